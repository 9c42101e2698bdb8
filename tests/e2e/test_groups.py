"""Everything is for private chats: in groups, supergroups and channels the bot shows and changes
nothing of anyone's, starts no check, and answers at most one short pointer to a private chat.
Edited messages never run a command again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import Base
from bot.render.callbacks import Action, encode
from bot.render.texts import COMMANDS
from bot.sandbox.models import GROUP_ANONYMOUS_BOT, FakeUser
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, Chat
from tests.unit.test_callbacks import SAMPLE_ARGS

# The user with data in their private chat, writing in a group too.
OWNER = FakeUser(id=CHAT_ID, first_name="Ann")
MEMBER = FakeUser(id=515151, first_name="Bob")
ARGUMENTS = {"time": " 08:15", "timezone": " Europe/Paris", "start": " redflags"}
GROUP_COMMANDS = [
    f"/{command}{ARGUMENTS.get(command, '')}"
    for command in [name for name, _ in COMMANDS] + ["cancel", "stats", "frobnicate"]
]


async def all_rows(chat: Chat) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table: nothing in a group may add, change or remove one."""
    rows = {}
    async with chat.services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            result = await session.execute(select(table))
            rows[table.name] = sorted((dict(row) for row in result.mappings()), key=repr)
    return rows


async def settle(api: FakeBotApi) -> None:
    """Until the bot has fetched every update and gone quiet (nothing new for a while)."""
    quiet_since, seen = 0, -1
    while quiet_since < 10:
        await asyncio.sleep(0.05)
        now = len(api.calls)
        quiet_since = quiet_since + 1 if now == seen and api.pending_update_count == 0 else 0
        seen = now


async def user_with_data(chat: Chat) -> list[str]:
    await chat.say("/timezone Europe/Berlin", replies=2)
    await chat.say("/time 07:30", replies=2)
    _, card = await chat.say("/stretch", replies=2)
    return [b.callback_data for b in card.buttons if b.callback_data]


@pytest.mark.parametrize("make_chat", [FakeBotApi.create_group, FakeBotApi.create_supergroup])
@pytest.mark.parametrize("author", [OWNER, MEMBER, GROUP_ANONYMOUS_BOT], ids=lambda u: str(u.id))
async def test_commands_in_a_group_change_nothing_and_get_one_pointer(
    chat: Chat, api: FakeBotApi, make_chat: Callable[[FakeBotApi], int], author: FakeUser
) -> None:
    await user_with_data(chat)
    before = await all_rows(chat)
    private_messages = len(api.history(CHAT_ID))
    group = make_chat(api)
    for command in GROUP_COMMANDS:
        name, _, rest = command.partition(" ")
        for text in (command, f"{name}@{api.bot_username} {rest}".strip()):
            await api.send_group_message(group, text, user=author)
    await api.send_group_message(group, "my back hurts, can someone help", user=author)
    await settle(api)

    assert await all_rows(chat) == before  # nobody's data shown, changed or created
    assert len(api.history(CHAT_ID)) == private_messages  # nothing sent to the private chat
    [pointer] = api.messages(group)  # one short line, once, however many commands
    assert "private chat" in pointer.text and "t.me/limber_sandbox_bot?start=" in str(
        pointer.entities
    )
    assert pointer.buttons == []  # no check, no card, no settings screen


@pytest.mark.parametrize("make_chat", [FakeBotApi.create_group, FakeBotApi.create_supergroup])
async def test_buttons_pressed_in_a_group_are_answered_and_change_nothing(
    chat: Chat, api: FakeBotApi, make_chat: Callable[[FakeBotApi], int]
) -> None:
    buttons = await user_with_data(chat)
    group = make_chat(api)
    await api.send_group_message(group, "/stretch", user=OWNER)
    [pointer] = await api.wait_for_bot_messages(group)
    before = await all_rows(chat)
    # The user's own buttons, and one well-formed press of every action there is (sessions,
    # timers, feedback, onboarding, check-ins, weekly summary...), so a new one is covered too.
    every_action = [encode(action, *SAMPLE_ARGS.get(action, ())) for action in Action]
    forged = [*buttons, *every_action, "1:ra:1:a:0"]
    for data in forged:
        for presser in (OWNER, MEMBER, GROUP_ANONYMOUS_BOT):
            query = await api.press_button(group, pointer.message_id, data, user=presser)
            answer = await api.wait_for_callback_answer(query)
            assert "private" in (answer.text or ""), data
    await settle(api)
    assert await all_rows(chat) == before
    assert api.unanswered_callback_queries() == []
    assert api.messages(group) == [pointer]


async def test_added_to_a_group_the_bot_says_once_where_it_works(
    chat: Chat, api: FakeBotApi
) -> None:
    group = api.create_group(chat_id=-777)
    await api.add_bot_to_chat(group, by=MEMBER)
    [pointer] = await api.wait_for_bot_messages(group)
    assert "private chat" in pointer.text
    await api.remove_bot_from_chat(group, by=MEMBER)
    await settle(api)
    assert api.messages(group) == [pointer]


async def test_channel_posts_get_no_answer(chat: Chat, api: FakeBotApi) -> None:
    channel = api.create_channel()
    before = await all_rows(chat)
    sent = await api.publish_channel_post(channel, "/stretch")
    assert sent.channel_post is not None
    await api.edit_user_message(channel, sent.channel_post.message_id, "/redflags")
    await settle(api)
    assert api.messages(channel) == []
    assert await all_rows(chat) == before


async def test_edited_messages_never_run_a_command_again(chat: Chat, api: FakeBotApi) -> None:
    sent = await api.send_user_message(CHAT_ID, "/stretch")
    await api.wait_for_bot_messages(CHAT_ID, 2)
    assert sent.message is not None
    shown = len(api.history(CHAT_ID))
    for attempt in range(40):
        await api.edit_user_message(CHAT_ID, sent.message.message_id, f"/stretch {attempt}")
    await api.edit_user_message(CHAT_ID, sent.message.message_id, "/time 09:00")
    await settle(api)
    assert len(api.history(CHAT_ID)) == shown
    user = await chat.user()
    assert user.reminder_time is None
