"""Groups, supergroups, channels, edited messages and anonymous admins in the sandbox.

Every injected update is fetched over HTTP with getUpdates, as the bot would get it, and
parsed with PTB's `Update.de_json`; against the spec's object types where the spec is present.
"""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.sandbox.models import GROUP_ANONYMOUS_BOT, ButtonPress, FakeUser
from bot.sandbox.server import FakeBotApi
from bot.sandbox.world import command_entities
from tests.sandbox.conftest import RawClient, build_echo_bot, polling
from tests.sandbox.spec_shapes import SHARED_SPEC, shape_errors

ANN = FakeUser(id=501, first_name="Ann", language_code="de")
BOB = FakeUser(id=502, first_name="Bob", username="bob_b", language_code="en")
KEYBOARD = {"inline_keyboard": [[{"text": "Done", "callback_data": "done"}]]}


async def delivered(client: RawClient) -> list[dict[str, Any]]:
    """The pending updates exactly as getUpdates returns them, then confirmed."""
    updates: list[dict[str, Any]] = (await client.call("getUpdates")).result
    if updates:
        await client.call("getUpdates", offset=updates[-1]["update_id"] + 1, timeout=0)
    return updates


async def delivered_one(client: RawClient) -> tuple[dict[str, Any], Update]:
    [raw] = await delivered(client)
    return raw, Update.de_json(raw, None)


# -- groups and supergroups -----------------------------------------------------------------


async def test_a_member_writes_in_a_group(api: FakeBotApi, client: RawClient) -> None:
    group = api.create_group("Hip club")
    assert -1_000_000_000_000 < group < 0
    sent = await api.send_group_message(group, "hello all", user=ANN)
    raw, update = await delivered_one(client)
    assert raw["update_id"] == sent.update_id
    assert raw["message"]["chat"] == {"id": group, "type": "group", "title": "Hip club"}
    assert raw["message"]["from"] == {
        "id": 501,
        "is_bot": False,
        "first_name": "Ann",
        "language_code": "de",
    }
    assert "sender_chat" not in raw["message"]
    assert update.effective_chat is not None and update.effective_chat.type == "group"
    assert update.effective_user is not None
    assert (update.effective_user.id, update.effective_user.language_code) == (501, "de")
    assert update.message is not None and update.message.text == "hello all"


async def test_a_command_addressed_to_the_bot_in_a_supergroup(
    api: FakeBotApi, client: RawClient
) -> None:
    group = api.create_supergroup("Stretchers", username="stretchers")
    assert str(group).startswith("-100") and len(str(group)) == 14
    await api.send_group_message(group, f"/time@{api.bot_username} 08:15", user=BOB)
    raw, update = await delivered_one(client)
    command = "/time@limber_sandbox_bot"
    assert raw["message"]["entities"] == [
        {"type": "bot_command", "offset": 0, "length": len(command)}
    ]
    assert raw["message"]["chat"]["username"] == "stretchers"
    assert update.message is not None
    assert update.message.chat.type == "supergroup"
    assert list(update.message.parse_entities().values()) == [command]
    assert update.message.from_user is not None and update.message.from_user.username == "bob_b"


async def test_an_anonymous_admin_writes_in_the_groups_name(
    api: FakeBotApi, client: RawClient
) -> None:
    group = api.create_supergroup("Admins inside")
    await api.send_group_message(group, "/mydata", user=GROUP_ANONYMOUS_BOT)
    raw, update = await delivered_one(client)
    assert raw["message"]["from"] == {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }
    assert raw["message"]["sender_chat"] == raw["message"]["chat"]
    assert update.message is not None and update.message.sender_chat is not None
    assert update.message.sender_chat.id == group
    assert update.effective_sender == update.message.sender_chat  # PTB: the group speaks
    assert update.effective_user is not None and update.effective_user.is_bot


async def test_group_injection_needs_a_group_and_a_bot_inside(api: FakeBotApi) -> None:
    channel = api.create_channel()
    with pytest.raises(ValueError, match="not a group"):
        await api.send_group_message(channel, "hi", user=ANN)
    group = api.create_group()
    with pytest.raises(ValueError, match="use send_group_message"):
        await api.send_user_message(group, "hi")
    with pytest.raises(ValueError, match="not a channel"):
        await api.publish_channel_post(group, "news")
    await api.remove_bot_from_chat(group, by=ANN)
    with pytest.raises(ValueError, match="the bot is not in chat"):
        await api.send_group_message(group, "anyone?", user=ANN)


@pytest.mark.parametrize(
    ("create", "chat_id"),
    [
        ("create_group", -1001234567890),  # a supergroup's shape
        ("create_group", 42),
        ("create_supergroup", -5),
        ("create_channel", -4001234567),
    ],
)
def test_chat_ids_have_telegrams_shape(api: FakeBotApi, create: str, chat_id: int) -> None:
    with pytest.raises(ValueError, match="is not a"):
        getattr(api, create)(chat_id=chat_id)


def test_chat_ids_are_unique(api: FakeBotApi) -> None:
    assert api.create_group(chat_id=-77) == -77
    with pytest.raises(ValueError, match="already exists"):
        api.create_group(chat_id=-77)
    ids = {api.create_group() for _ in range(3)} | {api.create_supergroup(), api.create_channel()}
    assert len(ids) == 5 and -77 not in ids


# -- channels ---------------------------------------------------------------------------------


async def test_channel_posts_and_their_edits(api: FakeBotApi, client: RawClient) -> None:
    channel = api.create_channel("Daily mobility", username="dailymobility")
    post = await api.publish_channel_post(channel, "New routine out")
    raw, update = await delivered_one(client)
    message = raw["channel_post"]
    assert "from" not in message
    assert (
        message["sender_chat"]
        == message["chat"]
        == {
            "id": channel,
            "type": "channel",
            "title": "Daily mobility",
            "username": "dailymobility",
        }
    )
    assert update.channel_post is not None and update.effective_user is None
    assert update.effective_chat is not None and update.effective_chat.type == "channel"

    assert post.channel_post is not None
    await api.edit_user_message(channel, post.channel_post.message_id, "New routine is out")
    raw, update = await delivered_one(client)
    edited = update.edited_channel_post
    assert edited is not None and edited.text == "New routine is out"
    assert edited.message_id == post.channel_post.message_id
    assert raw["edited_channel_post"]["date"] == message["date"]
    assert edited.edit_date is not None


# -- edited messages ----------------------------------------------------------------------------


async def test_a_private_message_edited_into_a_command(api: FakeBotApi, client: RawClient) -> None:
    sent = await api.send_user_message(1001, "stretch")
    await delivered(client)
    assert sent.message is not None
    await api.edit_user_message(1001, sent.message.message_id, "/stretch")
    raw, update = await delivered_one(client)
    edited = raw["edited_message"]
    assert (edited["message_id"], edited["text"]) == (sent.message.message_id, "/stretch")
    assert edited["entities"] == [{"type": "bot_command", "offset": 0, "length": 8}]
    assert edited["from"]["id"] == 1001 and edited["chat"]["type"] == "private"
    assert isinstance(edited["edit_date"], int)
    assert edited["date"] == int(sent.message.date.timestamp())  # the original date stays
    assert update.edited_message is not None and update.message is None
    assert update.effective_message is update.edited_message


async def test_group_edits_keep_their_author(api: FakeBotApi, client: RawClient) -> None:
    group = api.create_group()
    by_ann = await api.send_group_message(group, "/time 8:00", user=ANN)
    by_admin = await api.send_group_message(group, "/pause", user=GROUP_ANONYMOUS_BOT)
    await delivered(client)
    assert by_ann.message is not None and by_admin.message is not None
    await api.edit_user_message(group, by_ann.message.message_id, "/time 9:00")
    await api.edit_user_message(group, by_admin.message.message_id, "/resume")
    ann_edit, admin_edit = [Update.de_json(raw, None) for raw in await delivered(client)]
    assert ann_edit.edited_message is not None and admin_edit.edited_message is not None
    assert ann_edit.effective_user is not None and ann_edit.effective_user.id == ANN.id
    assert ann_edit.edited_message.text == "/time 9:00"
    assert admin_edit.edited_message.sender_chat is not None
    assert admin_edit.edited_message.sender_chat.id == group


async def test_only_known_text_messages_can_be_edited(api: FakeBotApi, client: RawClient) -> None:
    location = await api.send_location(1001, 52.5, 13.4)
    assert location.message is not None
    with pytest.raises(ValueError, match="no user text message"):
        await api.edit_user_message(1001, location.message.message_id, "text")
    sent = (await client.call("sendMessage", chat_id=1001, text="from the bot")).result
    with pytest.raises(ValueError, match="no user text message"):
        await api.edit_user_message(1001, sent["message_id"], "not yours")
    text = await api.send_user_message(1001, "bye")
    assert text.message is not None
    await client.call("deleteMessage", chat_id=1001, message_id=text.message.message_id)
    with pytest.raises(ValueError, match="no user text message"):
        await api.edit_user_message(1001, text.message.message_id, "gone")


# -- the bot's side in groups and channels -----------------------------------------------------


async def test_the_bot_sends_edits_and_answers_in_every_chat_type(
    api: FakeBotApi, client: RawClient
) -> None:
    chats = [api.create_group(), api.create_supergroup(), api.create_channel()]
    for chat_id in chats:
        text = (
            await client.call("sendMessage", chat_id=chat_id, text="Pick", reply_markup=KEYBOARD)
        ).result
        photo = (
            await client.call("sendPhoto", chat_id=chat_id, photo="https://x.org/p.png")
        ).result
        await client.call("sendDocument", chat_id=chat_id, document="https://x.org/d.pdf")
        await client.call(
            "editMessageText", chat_id=chat_id, message_id=text["message_id"], text="Picked"
        )
        await client.call(
            "editMessageCaption", chat_id=chat_id, message_id=photo["message_id"], caption="Hip"
        )
        query_id = await api.press_button(chat_id, text["message_id"], "done", user=ANN)
        answer = await client.call("answerCallbackQuery", callback_query_id=query_id)
        assert answer.result is True
        assert [(m.kind, m.text) for m in api.messages(chat_id)] == [
            ("text", "Picked"),
            ("photo", "Hip"),
            ("document", ""),
        ]
        assert [m.action for m in api.history(chat_id)] == ["sent"] * 3 + ["edited"] * 2
        assert all(call.ok for call in api.calls), api.calls[-1]
    channel_message = text  # the last chat is the channel: its posts are signed by it
    assert "from" not in channel_message
    assert channel_message["sender_chat"]["id"] == chats[-1]


async def test_unknown_and_removed_chats_refuse_sends(api: FakeBotApi, client: RawClient) -> None:
    reply = await client.call("sendMessage", chat_id=-4999, text="hello")
    assert (reply.status, reply.description) == (400, "Bad Request: chat not found")
    group, supergroup, channel = (
        api.create_group(),
        api.create_supergroup(username="openstretch"),
        api.create_channel(),
    )
    by_name = await client.call("sendMessage", chat_id="@OpenStretch", text="hello")
    assert by_name.result["chat"]["id"] == supergroup  # usernames ignore case
    expected = {
        group: "Forbidden: bot was kicked from the group chat",
        supergroup: "Forbidden: bot was kicked from the supergroup chat",
        channel: "Forbidden: bot is not a member of the channel chat",
    }
    for chat_id, description in expected.items():
        await api.remove_bot_from_chat(chat_id, by=ANN)
        assert api.is_blocked(chat_id)
        reply = await client.call("sendMessage", chat_id=chat_id, text="still there?")
        assert (reply.status, reply.description) == (403, description)


async def test_a_member_presses_a_button_in_a_group(api: FakeBotApi, client: RawClient) -> None:
    group = api.create_group()
    await api.send_group_message(group, "/redflags", user=ANN)
    await client.call("sendMessage", chat_id=group, text="Check", reply_markup=KEYBOARD)
    await delivered(client)
    query_id = await api.press_button_labeled(group, "Done", user=BOB)
    raw, update = await delivered_one(client)
    assert raw["callback_query"]["id"] == query_id
    query = update.callback_query
    assert query is not None and query.from_user.id == BOB.id
    assert query.message is not None and query.message.chat.id == group
    assert update.effective_chat is not None and update.effective_chat.type == "group"
    with pytest.raises(ValueError, match="say which user acts"):
        await api.press_button_labeled(group, "Done")


async def test_unanswered_callback_queries_are_listed(api: FakeBotApi, client: RawClient) -> None:
    group = api.create_supergroup()
    sent = (await client.call("sendMessage", chat_id=group, text="x", reply_markup=KEYBOARD)).result
    first = await api.press_button(group, sent["message_id"], "done", user=ANN)
    second = await api.press_button(group, sent["message_id"], "forged", user=BOB)
    assert api.unanswered_callback_queries() == [
        ButtonPress(first, group, sent["message_id"], "done", ANN.id),
        ButtonPress(second, group, sent["message_id"], "forged", BOB.id),
    ]
    await client.call("answerCallbackQuery", callback_query_id=first)
    assert [p.query_id for p in api.unanswered_callback_queries()] == [second]
    await client.call("answerCallbackQuery", callback_query_id=second, text="Stale button")
    assert api.unanswered_callback_queries() == []


# -- the bot joins and leaves ------------------------------------------------------------------


async def test_the_bot_is_added_to_and_removed_from_a_group(
    api: FakeBotApi, client: RawClient
) -> None:
    group = api.create_group("Family")
    joined = await api.add_bot_to_chat(group, by=ANN)
    change, announcement = [Update.de_json(raw, None) for raw in await delivered(client)]
    assert change.update_id == joined.update_id
    member = change.my_chat_member
    assert member is not None and member.from_user.id == ANN.id
    assert (member.old_chat_member.status, member.new_chat_member.status) == ("left", "member")
    assert member.new_chat_member.user.id == api.bot_user["id"]
    assert announcement.message is not None
    assert [u.id for u in announcement.message.new_chat_members] == [api.bot_user["id"]]

    await api.remove_bot_from_chat(group, by=BOB)
    raw, update = await delivered_one(client)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "left"
    assert raw["my_chat_member"]["from"]["id"] == BOB.id

    await api.add_bot_to_chat(group, by=ANN)  # back again: sends work once more
    assert not api.is_blocked(group)
    assert (await client.call("sendMessage", chat_id=group, text="Hi again")).status == 200


async def test_supergroups_ban_and_channels_take_the_bot_as_admin(
    api: FakeBotApi, client: RawClient
) -> None:
    supergroup, channel = api.create_supergroup(), api.create_channel()
    await api.remove_bot_from_chat(supergroup, by=ANN)
    await api.add_bot_to_chat(supergroup, by=ANN)
    await api.add_bot_to_chat(channel, by=BOB)
    updates = [Update.de_json(raw, None) for raw in await delivered(client)]
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member is not None
    ]
    assert statuses == [("member", "kicked"), ("kicked", "member"), ("left", "administrator")]
    assert len(updates) == 4  # the supergroup announces the bot; the channel does not


async def test_a_ptb_bot_answers_in_a_group(api: FakeBotApi) -> None:
    """PTB quotes the command in groups (reply_parameters): the sandbox must accept that."""
    application = build_echo_bot(api)
    group = api.create_supergroup()
    async with polling(application):
        await api.wait_for_call("getUpdates")
        await api.send_group_message(group, "/start@someone_elses_bot", user=ANN)
        await api.send_group_message(group, f"/start@{api.bot_username}", user=ANN)
        [welcome] = await api.wait_for_bot_messages(group)
        assert welcome.text == "Welcome! Pick one:"
        query_id = await api.press_button_labeled(group, "Done", user=BOB)
        assert (await api.wait_for_callback_answer(query_id)).text == "Got done"
        [edited] = await api.wait_for_bot_messages(group)
        assert edited.text == "You pressed done"
    assert [m.text for m in api.messages(group)] == ["You pressed done"]  # one reply only
    assert api.unanswered_callback_queries() == []


# -- Telegram's command entities ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "commands"),
    [
        ("/start", ["/start"]),
        ("/time@limber_sandbox_bot 08:15", ["/time@limber_sandbox_bot"]),
        ("please /help me, or /start.", ["/help", "/start"]),
        ("/Start_2", ["/Start_2"]),
        ("/", []),
        ("/ start", []),
        ("/²³⁴⁵", []),  # superscripts are digits to Python, not to Telegram
        ("/time²", []),
        ("/stretch/now", []),
        ("a/b", []),
        ("/x@ab", []),  # a username needs 3 characters
        ("<b>/x</b>", []),
        ("/" + "a" * 64, ["/" + "a" * 64]),
        ("/" + "a" * 65, []),
    ],
)
def test_bot_command_entities_follow_telegram(text: str, commands: list[str]) -> None:
    found = [text[e["offset"] : e["offset"] + e["length"]] for e in command_entities(text)]
    assert found == commands


def test_command_offsets_count_utf16_units() -> None:
    assert command_entities("😀 /stretch") == [{"type": "bot_command", "offset": 3, "length": 8}]


# -- every kind against the spec ------------------------------------------------------------------


@pytest.mark.skipif(not SHARED_SPEC.is_file(), reason=f"full Bot API spec not at {SHARED_SPEC}")
async def test_every_injected_update_matches_the_spec_types(
    api: FakeBotApi, client: RawClient
) -> None:
    private = await api.send_user_message(1001, "/start")
    group, channel = api.create_supergroup(username="g_one"), api.create_channel()
    await api.add_bot_to_chat(group, by=ANN)
    await api.send_group_message(group, f"/time@{api.bot_username} 7:30", user=ANN)
    anonymous = await api.send_group_message(group, "hi", user=GROUP_ANONYMOUS_BOT)
    post = await api.publish_channel_post(channel, "post")
    sent = (await client.call("sendMessage", chat_id=group, text="x", reply_markup=KEYBOARD)).result
    await api.press_button(group, sent["message_id"], "done", user=BOB)
    assert private.message and anonymous.message and post.channel_post
    await api.edit_user_message(1001, private.message.message_id, "/help")
    await api.edit_user_message(group, anonymous.message.message_id, "hello")
    await api.edit_user_message(channel, post.channel_post.message_id, "post!")
    await api.block_bot(1001)
    await api.add_bot_to_chat(channel, by=BOB)
    await api.remove_bot_from_chat(group, by=ANN)

    updates = await delivered(client)
    kinds = [next(k for k in u if k != "update_id") for u in updates]
    assert sorted(set(kinds)) == [
        "callback_query",
        "channel_post",
        "edited_channel_post",
        "edited_message",
        "message",
        "my_chat_member",
    ]
    for update in updates:
        assert len(update) == 2  # update_id and exactly one payload
        assert shape_errors(update, "Update") == []
    # What the bot's own sends return in a group and a channel is a valid Message too.
    posted = (await client.call("sendMessage", chat_id=channel, text="y")).result
    assert shape_errors(sent, "Message") == shape_errors(posted, "Message") == []
