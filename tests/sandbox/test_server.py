"""The fake Bot API over real HTTP: routing, validation, Telegram's refusals, faults."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.sandbox import server as server_module
from bot.sandbox.models import InlineButton
from bot.sandbox.server import FakeBotApi
from tests.sandbox.conftest import RawClient

CHAT = 1001
DONE_KEYBOARD = {"inline_keyboard": [[{"text": "Done", "callback_data": "done"}]]}


async def _user_said_hi(api: FakeBotApi, chat_id: int = CHAT) -> None:
    await api.send_user_message(chat_id, "hi")


# -- routing and envelopes ---------------------------------------------------------


async def test_get_me_over_json_form_query_and_any_case(client: RawClient) -> None:
    for reply in (
        await client.call("getMe"),
        await client.form("getme", {}),
        await client.call("GETME/"),  # trailing slash and upper case both work
    ):
        assert reply.status == 200
        assert reply.result["is_bot"] is True
        assert reply.result["username"] == "limber_sandbox_bot"
    async with client.session.get(client.url("getMe")) as response:
        assert (await response.json())["ok"] is True


async def test_unknown_method_is_404_and_wrong_token_is_401(client: RawClient) -> None:
    reply = await client.call("sendMessages", chat_id=CHAT, text="x")
    assert (reply.status, reply.body) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    async with client.session.post(
        f"{client.api.base_url}/bot123:wrong/getMe", json={}
    ) as response:
        assert response.status == 401


async def test_every_call_is_logged_with_typed_params(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    await client.form("sendMessage", {"chat_id": str(CHAT), "text": "hello"})
    await client.call("sendMessage", chat_id=999, text="nobody")
    ok, refused = api.calls_to("sendmessage")
    assert (ok.method, ok.params, ok.status) == (
        "sendMessage",
        {"chat_id": CHAT, "text": "hello"},
        200,
    )
    assert (refused.status, refused.description) == (400, "Bad Request: chat not found")


# -- sendMessage and what the user sees -----------------------------------------------


async def test_send_message_records_what_the_user_sees(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    reply = await client.call(
        "sendMessage",
        chat_id=CHAT,
        text="<b>Stretch</b> &amp; breathe &lt;3 <a href='https://x.org/?a=1&amp;b=2'>why</a>",
        parse_mode="HTML",
        reply_markup={
            "inline_keyboard": [
                [{"text": "Done", "callback_data": "done"}, {"text": "Skip", "callback_data": "s"}],
                [{"text": "Docs", "url": "https://example.org"}],
            ]
        },
    )
    assert reply.status == 200
    result = reply.result
    assert result["text"] == "Stretch & breathe <3 why"
    assert {"type": "bold", "offset": 0, "length": 7} in result["entities"]
    assert result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "done"

    [message] = api.messages(CHAT)
    assert message.message_id == result["message_id"] == 2  # the user's "hi" was 1
    assert message.text == "Stretch & breathe <3 why"
    assert message.raw_text is not None and message.raw_text.startswith("<b>Stretch</b>")
    assert message.parse_mode == "HTML"
    assert message.keyboard_pairs == [[("Done", "done"), ("Skip", "s")], [("Docs", None)]]
    assert message.buttons[2] == InlineButton("Docs", url="https://example.org")
    assert api.last_message(CHAT) == message


async def test_chat_not_found_until_the_user_writes(api: FakeBotApi, client: RawClient) -> None:
    reply = await client.call("sendMessage", chat_id=CHAT, text="hello")
    assert (reply.status, reply.description) == (400, "Bad Request: chat not found")
    reply = await client.call("sendMessage", chat_id="@somechannel", text="hello")
    assert reply.description == "Bad Request: chat not found"
    api.register_chat(CHAT)  # e.g. a user who wrote before the test started
    assert (await client.call("sendMessage", chat_id=CHAT, text="hello")).status == 200


@pytest.mark.parametrize(
    ("text", "parse_mode", "accepted"),
    [
        ("x" * 4096, None, True),
        ("x" * 4097, None, False),
        ("<b>" + "x" * 4096 + "</b>", "HTML", True),  # tags do not count
        ("&lt;" * 4096, "HTML", True),  # each entity is one character
        ("&lt;" * 4097, "HTML", False),
        ("😀" * 4096, None, True),  # counted in characters, not UTF-16 units or bytes
    ],
)
async def test_message_length_counts_after_entity_parsing(
    api: FakeBotApi, client: RawClient, text: str, parse_mode: str | None, accepted: bool
) -> None:
    await _user_said_hi(api)
    params = {"chat_id": CHAT, "text": text}
    if parse_mode:
        params["parse_mode"] = parse_mode
    reply = await client.call("sendMessage", **params)
    if accepted:
        assert reply.status == 200
    else:
        assert (reply.status, reply.description) == (400, "Bad Request: message is too long")


@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>"])
async def test_empty_text_is_refused(api: FakeBotApi, client: RawClient, text: str) -> None:
    await _user_said_hi(api)
    reply = await client.call("sendMessage", chat_id=CHAT, text=text, parse_mode="HTML")
    assert (reply.status, reply.description) == (400, "Bad Request: message text is empty")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<div>hi</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>bold <i>both</b></i>", 'Unmatched end tag at byte offset 15, expected "</i>"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("text</b>", "Unexpected end tag at byte offset 4"),
        ("Q&A", 'Unescaped "&"'),
        ("&nbsp;", 'Unescaped "&"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("é <b", "Unclosed start tag at byte offset 3"),
    ],
)
async def test_bad_html_is_refused_like_telegram(
    api: FakeBotApi, client: RawClient, text: str, detail: str
) -> None:
    await _user_said_hi(api)
    reply = await client.call("sendMessage", chat_id=CHAT, text=text, parse_mode="HTML")
    assert reply.status == 400
    assert reply.description.startswith("Bad Request: can't parse entities: ")
    assert detail in reply.description
    assert api.messages(CHAT) == []


async def test_html_is_not_parsed_without_parse_mode(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    reply = await client.call("sendMessage", chat_id=CHAT, text="1 < 2 & <b>x</b>")
    assert reply.result["text"] == "1 < 2 & <b>x</b>"


@pytest.mark.parametrize(
    ("data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("é" * 32, True), ("é" * 33, False), ("", False)],
)
async def test_callback_data_is_limited_to_64_bytes(
    api: FakeBotApi, client: RawClient, data: str, accepted: bool
) -> None:
    await _user_said_hi(api)
    markup = {"inline_keyboard": [[{"text": "B", "callback_data": data}]]}
    reply = await client.call("sendMessage", chat_id=CHAT, text="t", reply_markup=markup)
    if accepted:
        assert reply.status == 200
    else:
        assert (reply.status, reply.description) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_keyboard_limits_and_button_shape(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    too_many = {
        "inline_keyboard": [[{"text": str(i), "callback_data": str(i)}] for i in range(101)]
    }
    reply = await client.call("sendMessage", chat_id=CHAT, text="t", reply_markup=too_many)
    assert reply.description == "Bad Request: reply markup is too long"
    no_action = {"inline_keyboard": [[{"text": "just text"}]]}
    reply = await client.call("sendMessage", chat_id=CHAT, text="t", reply_markup=no_action)
    assert "Text buttons are unallowed in the inline keyboard" in reply.description


async def test_spec_validation_of_parameters(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    reply = await client.call("sendMessage", chat_id=CHAT, text="t", colour="red")
    assert (reply.status, reply.description) == (
        400,
        'Bad Request: unknown parameter "colour" for method sendMessage',
    )
    reply = await client.call("sendMessage", text="t")
    assert reply.description == "Bad Request: chat_id is empty"
    reply = await client.call("deleteMessage", chat_id=CHAT, message_id="seven")
    assert reply.description == 'Bad Request: parameter "message_id" must be an Integer'
    reply = await client.call("sendMessage", chat_id=CHAT, text="t", disable_notification="maybe")
    assert reply.description == 'Bad Request: parameter "disable_notification" must be a Boolean'
    reply = await client.form("sendMessage", {"chat_id": CHAT, "text": "t", "reply_markup": "{"})
    assert reply.description == 'Bad Request: can\'t parse JSON in parameter "reply_markup"'


async def test_form_values_are_coerced_like_telegram_does(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    reply = await client.form(
        "sendMessage",
        {
            "chat_id": str(CHAT),
            "text": "<i>hi</i>",
            "parse_mode": "HTML",
            "disable_notification": "true",
            "reply_markup": json.dumps(DONE_KEYBOARD),
        },
    )
    assert reply.status == 200
    assert api.last_message(CHAT) is not None
    assert api.calls[-1].params["disable_notification"] is True


# -- editing, deleting, callback queries ------------------------------------------------


async def test_edit_not_modified_and_keyboard_removal(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    sent = (
        await client.call(
            "sendMessage",
            chat_id=CHAT,
            text="<b>Hi</b>",
            parse_mode="HTML",
            reply_markup=DONE_KEYBOARD,
        )
    ).result
    same = await client.call(
        "editMessageText",
        chat_id=CHAT,
        message_id=sent["message_id"],
        text="<b>Hi</b>",
        parse_mode="HTML",
        reply_markup=DONE_KEYBOARD,
    )
    assert same.status == 400
    assert same.description.startswith("Bad Request: message is not modified")

    # Same text without reply_markup is a change: Telegram drops the keyboard.
    edited = await client.call(
        "editMessageText",
        chat_id=CHAT,
        message_id=sent["message_id"],
        text="<b>Hi</b>",
        parse_mode="HTML",
    )
    assert edited.status == 200 and "reply_markup" not in edited.result
    assert edited.result["edit_date"] >= sent["date"]
    first, second = api.history(CHAT)
    assert (first.action, second.action) == ("sent", "edited")
    assert first.buttons and not second.buttons
    assert api.messages(CHAT) == [second]

    markup_only = await client.call(
        "editMessageReplyMarkup", chat_id=CHAT, message_id=sent["message_id"]
    )
    assert markup_only.description.startswith("Bad Request: message is not modified")


async def test_edit_and_delete_unknown_messages(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    reply = await client.call("editMessageText", chat_id=CHAT, message_id=99, text="x")
    assert reply.description == "Bad Request: message to edit not found"
    reply = await client.call("editMessageText", chat_id=CHAT, message_id=1, text="x")
    assert reply.description == "Bad Request: message can't be edited"  # the user's own

    sent = (await client.call("sendMessage", chat_id=CHAT, text="bye")).result
    assert (await client.call("deleteMessage", chat_id=CHAT, message_id=2)).result is True
    assert api.messages(CHAT) == [] and api.deleted_message_ids(CHAT) == [sent["message_id"]]
    again = await client.call("deleteMessage", chat_id=CHAT, message_id=2)
    assert again.description == "Bad Request: message to delete not found"


async def test_callback_queries_are_answered_once(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    sent = (
        await client.call("sendMessage", chat_id=CHAT, text="Pick", reply_markup=DONE_KEYBOARD)
    ).result
    query_id = await api.press_button(CHAT, sent["message_id"], "done")
    reply = await client.call(
        "answerCallbackQuery", callback_query_id=query_id, text="Saved", show_alert=True
    )
    assert reply.result is True
    answer = await api.wait_for_callback_answer(query_id, timeout=1)
    assert (answer.text, answer.show_alert) == ("Saved", True)
    assert api.callback_answers[query_id] == answer

    expected = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    again = await client.call("answerCallbackQuery", callback_query_id=query_id)
    assert (again.status, again.description) == (400, expected)
    unknown = await client.call("answerCallbackQuery", callback_query_id="123456")
    assert unknown.description == expected


async def test_pressing_requires_an_existing_bot_message(api: FakeBotApi) -> None:
    await _user_said_hi(api)
    with pytest.raises(ValueError, match="no bot message 1"):
        await api.press_button(CHAT, 1, "done")  # message 1 is the user's
    with pytest.raises(ValueError, match="does not exist"):
        await api.press_button(4242, 1, "done")


async def test_stale_data_and_press_by_label(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    await client.call("sendMessage", chat_id=CHAT, text="Pick", reply_markup=DONE_KEYBOARD)
    forged = await api.press_button(CHAT, 2, "not-on-the-keyboard")
    by_label = await api.press_button_labeled(CHAT, "Done")
    updates = (await client.call("getUpdates")).result
    presses = [u["callback_query"] for u in updates if "callback_query" in u]
    assert [(p["id"], p["data"]) for p in presses] == [
        (forged, "not-on-the-keyboard"),
        (by_label, "done"),
    ]
    assert presses[0]["message"]["text"] == "Pick"
    with pytest.raises(ValueError, match="no callback button"):
        await api.press_button_labeled(CHAT, "Nope")


# -- long polling ------------------------------------------------------------------------


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    api: FakeBotApi, client: RawClient
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(client.call("getUpdates", timeout=10))
    await asyncio.sleep(0.1)
    assert not poll.done()
    update = await api.send_user_message(CHAT, "/start now", first_name="Ada")
    reply = await asyncio.wait_for(poll, 2)
    assert loop.time() - started < 1.5
    [raw] = reply.result
    assert raw["update_id"] == update.update_id
    message = raw["message"]
    assert message["text"] == "/start now"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["from"]["first_name"] == "Ada" and message["chat"]["type"] == "private"


async def test_empty_long_poll_times_out_with_no_updates(client: RawClient) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await client.call("getUpdates", timeout=1)).result == []
    assert loop.time() - started >= 0.9


async def test_offset_confirms_and_limit_caps(api: FakeBotApi, client: RawClient) -> None:
    for text in ("one", "two", "three"):
        await api.send_user_message(CHAT, text)
    first_two = (await client.call("getUpdates", limit=2)).result
    assert [u["message"]["text"] for u in first_two] == ["one", "two"]
    unconfirmed = (await client.call("getUpdates")).result
    assert len(unconfirmed) == 3  # nothing is dropped until an offset confirms it
    rest = (await client.call("getUpdates", offset=first_two[-1]["update_id"] + 1)).result
    assert [u["message"]["text"] for u in rest] == ["three"]
    assert api.pending_update_count == 1
    assert (await client.call("getUpdates", offset=-1)).result == rest


async def test_allowed_updates_filters_and_sticks(api: FakeBotApi, client: RawClient) -> None:
    await api.send_user_message(CHAT, "hello")
    assert (await client.call("getUpdates", allowed_updates=["callback_query"])).result == []
    await api.send_location(CHAT, 52.5, 13.4)
    assert (await client.call("getUpdates")).result == []  # the setting is remembered
    await client.call("getUpdates", allowed_updates=[])  # back to the default set
    await api.send_location(CHAT, 52.5, 13.4)
    [update] = (await client.call("getUpdates")).result
    assert update["message"]["location"] == {"latitude": 52.5, "longitude": 13.4}


async def test_a_newer_poll_terminates_the_older_one(client: RawClient) -> None:
    older = asyncio.create_task(client.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    newer = await client.call("getUpdates", timeout=0)
    reply = await asyncio.wait_for(older, 2)
    assert newer.status == 200
    assert reply.status == 409 and "terminated by other getUpdates request" in reply.description


async def test_webhook_blocks_get_updates(api: FakeBotApi, client: RawClient) -> None:
    await api.send_user_message(CHAT, "hello")
    assert (await client.call("setWebhook", url="http://insecure")).status == 400
    assert (await client.call("setWebhook", url="https://bot.example/hook")).result is True
    assert api.webhook_url == "https://bot.example/hook"
    assert (await client.call("getUpdates")).status == 409
    info = (await client.call("getWebhookInfo")).result
    assert info["pending_update_count"] == 1
    assert (await client.call("deleteWebhook", drop_pending_updates=True)).result is True
    assert (await client.call("getUpdates")).result == []


async def test_server_stop_releases_waiting_long_polls(client: RawClient) -> None:
    poll = asyncio.create_task(client.call("getUpdates", timeout=30))
    await asyncio.sleep(0.1)
    await client.api.stop()
    reply = await asyncio.wait_for(poll, 3)
    assert reply.result == []


# -- blocking ----------------------------------------------------------------------------


async def test_blocked_user_gives_403_and_writing_again_unblocks(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    await client.call("getUpdates", offset=-1, timeout=0)
    update = await api.block_bot(CHAT)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert api.is_blocked(CHAT)

    blocked = (403, "Forbidden: bot was blocked by the user")
    reply = await client.call("sendMessage", chat_id=CHAT, text="still there?")
    assert (reply.status, reply.description) == blocked
    reply = await client.call("sendChatAction", chat_id=CHAT, action="typing")
    assert (reply.status, reply.description) == blocked
    assert api.messages(CHAT) == []

    await api.send_user_message(CHAT, "/start")  # "Restart" in the client
    assert not api.is_blocked(CHAT)
    kinds = [
        next(k for k in u if k != "update_id") for u in (await client.call("getUpdates")).result
    ]
    assert kinds[-2:] == ["my_chat_member", "message"]
    assert (await client.call("sendMessage", chat_id=CHAT, text="welcome back")).status == 200


# -- fault injection -----------------------------------------------------------------------


async def test_injected_429_carries_retry_after_and_has_no_effect(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    api.fail_next("sendMessage", status=429, retry_after=7, times=2)
    for _ in range(2):
        reply = await client.call("sendMessage", chat_id=CHAT, text="x")
        assert reply.status == 429
        assert reply.body == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        }
    assert api.messages(CHAT) == []
    assert (await client.call("sendMessage", chat_id=CHAT, text="x")).status == 200


async def test_faults_can_target_a_chat_or_any_method(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api, 1)
    await _user_said_hi(api, 2)
    api.fail_next("sendMessage", status=403, chat_id=2)
    assert (await client.call("sendMessage", chat_id=1, text="x")).status == 200
    reply = await client.call("sendMessage", chat_id=2, text="x")
    assert (reply.status, reply.description) == (403, "Forbidden: bot was blocked by the user")
    api.fail_next("*", status=502)
    assert (await client.call("getMe")).status == 502
    api.fail_next("getMe", status=500, description="Internal Server Error: restart")
    assert (await client.call("getMe")).description == "Internal Server Error: restart"
    assert (await client.call("getMe")).status == 200


async def test_delayed_response_after_processing_is_not_lost(
    api: FakeBotApi, client: RawClient
) -> None:
    """The client gives up, yet Telegram did send the message: retrying would duplicate it."""
    await _user_said_hi(api)
    api.delay_next("sendMessage", 2.0, after_processing=True)
    with pytest.raises(TimeoutError):
        async with client.session.post(
            client.url("sendMessage"),
            json={"chat_id": CHAT, "text": "once"},
            timeout=aiohttp.ClientTimeout(total=0.3),
        ) as response:
            await response.read()
    assert [m.text for m in api.messages(CHAT)] == ["once"]


async def test_delay_before_processing_defers_the_effect(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    api.delay_next("sendMessage", 0.3)
    call = asyncio.create_task(client.call("sendMessage", chat_id=CHAT, text="slow"))
    await asyncio.sleep(0.1)
    assert api.messages(CHAT) == []
    assert (await asyncio.wait_for(call, 2)).status == 200
    assert [m.text for m in api.messages(CHAT)] == ["slow"]


# -- files, commands, chat actions, other methods ---------------------------------------------


async def test_multipart_document_upload(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(CHAT))
    form.add_field("caption", "<b>Your data</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field("document", b'{"a": 1}', filename="mydata.json", content_type="application/json")
    result = (await client.form("sendDocument", form)).result
    assert result["document"]["file_name"] == "mydata.json"
    assert result["caption"] == "Your data"
    [message] = api.messages(CHAT)
    assert message.kind == "document" and message.text == "Your data"
    assert message.file is not None
    assert (message.file.filename, message.file.content, message.file.size) == (
        "mydata.json",
        b'{"a": 1}',
        8,
    )
    # Resending by file_id reuses the stored bytes.
    again = await client.call("sendDocument", chat_id=CHAT, document=result["document"]["file_id"])
    assert again.status == 200 and api.messages(CHAT)[-1].file == message.file
    bad = await client.call("sendDocument", chat_id=CHAT, document="no-such-file-id")
    assert bad.description == "Bad Request: wrong file identifier/HTTP URL specified"
    long_caption = await client.call(
        "sendPhoto", chat_id=CHAT, photo="https://x.org/p.png", caption="c" * 1025
    )
    assert long_caption.description == "Bad Request: message caption is too long"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(out, format="PNG")
    return out.getvalue()


def _gif(frames: int, centiseconds: int, size: tuple[int, int] = (24, 16)) -> bytes:
    images = [Image.new("RGB", size, (40 * index % 256, 90, 200)) for index in range(frames)]
    out = io.BytesIO()
    images[0].save(
        out, format="GIF", save_all=True, append_images=images[1:], duration=centiseconds * 10
    )
    return out.getvalue()


async def _upload(client: RawClient, method: str, field: str, content: bytes, **params: str) -> Any:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(CHAT))
    for name, value in params.items():
        form.add_field(name, value)
    form.add_field(field, content, filename=f"upload.{field}")
    return await client.form(method, form)


async def test_a_photo_must_be_an_image_within_telegrams_limits(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    sent = await _upload(client, "sendPhoto", "photo", _png(1094, 540), caption="Start, end")
    assert sent.status == 200
    assert [(p["width"], p["height"]) for p in sent.result["photo"]] == [(1094, 540)]
    for content, error in [
        (b"\x89PNG\r\n\x1a\n broken", "IMAGE_PROCESS_FAILED"),
        (b"GIF89a-not-really", "IMAGE_PROCESS_FAILED"),
        (_png(2100, 100), "PHOTO_INVALID_DIMENSIONS"),  # wider than 20 times its height
    ]:
        refused = await _upload(client, "sendPhoto", "photo", content)
        assert refused.description == f"Bad Request: {error}"
    assert len(api.messages(CHAT)) == 1


async def test_send_animation_reads_the_gif_and_resends_by_file_id(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    sent = await _upload(
        client,
        "sendAnimation",
        "animation",
        _gif(frames=24, centiseconds=13),  # 3.12 s
        caption="<b>Cat-cow</b>",
        parse_mode="HTML",
    )
    assert sent.status == 200
    animation = sent.result["animation"]
    assert (animation["width"], animation["height"], animation["duration"]) == (24, 16, 4)
    assert animation["mime_type"] == "image/gif"
    assert sent.result["document"]["file_id"] == animation["file_id"]  # both, as Telegram does
    assert sent.result["caption"] == "Cat-cow"
    [message] = api.messages(CHAT)
    assert message.kind == "animation" and message.file is not None
    assert message.file.duration == 4

    again = await client.call("sendAnimation", chat_id=CHAT, animation=animation["file_id"])
    assert again.status == 200 and again.result["animation"]["file_id"] == animation["file_id"]
    assert api.messages(CHAT)[-1].file == message.file


async def test_send_animation_refuses_what_telegram_refuses(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    photo = (await _upload(client, "sendPhoto", "photo", _png(10, 10))).result
    photo_id = photo["photo"][-1]["file_id"]
    animation = (await _upload(client, "sendAnimation", "animation", _gif(2, 10))).result
    animation_id = animation["animation"]["file_id"]

    wrong_kind = await client.call("sendAnimation", chat_id=CHAT, animation=photo_id)
    assert wrong_kind.description == "Bad Request: type of file mismatch"
    wrong_way = await client.call("sendPhoto", chat_id=CHAT, photo=animation_id)
    assert wrong_way.description == "Bad Request: type of file mismatch"
    unknown = await client.call("sendAnimation", chat_id=CHAT, animation="no-such-file")
    assert unknown.description == "Bad Request: wrong file identifier/HTTP URL specified"
    missing = await client.call("sendAnimation", chat_id=CHAT)
    assert missing.status == 400 and "animation" in (missing.description or "")
    long_caption = await client.call(
        "sendAnimation", chat_id=CHAT, animation=animation_id, caption="c" * 1025
    )
    assert long_caption.description == "Bad Request: message caption is too long"
    empty = await _upload(client, "sendAnimation", "animation", b"")
    assert empty.status == 400

    # A file that is not a GIF or MP4 arrives as a plain document.
    not_moving = await _upload(client, "sendAnimation", "animation", b"%PDF-1.4 ...")
    assert "animation" not in not_moving.result and "document" in not_moving.result
    assert api.messages(CHAT)[-1].kind == "document"


async def test_commands_by_scope_and_language(api: FakeBotApi, client: RawClient) -> None:
    commands = [
        {"command": "start", "description": "Start"},
        {"command": "help", "description": "Help"},
    ]
    assert (await client.call("setMyCommands", commands=commands)).result is True
    await client.call(
        "setMyCommands",
        commands=commands[:1],
        language_code="de",
        scope={"type": "all_private_chats"},
    )
    assert api.commands() == [("start", "Start"), ("help", "Help")]
    assert api.commands(scope={"type": "all_private_chats"}, language_code="de") == [
        ("start", "Start")
    ]
    assert (await client.call("getMyCommands")).result == commands
    await client.call("deleteMyCommands")
    assert api.commands() == []
    bad = await client.call("setMyCommands", commands=[{"command": "Start!", "description": "x"}])
    assert bad.description == "Bad Request: BOT_COMMAND_INVALID"


async def test_chat_actions_and_generic_methods(api: FakeBotApi, client: RawClient) -> None:
    await _user_said_hi(api)
    assert (await client.call("sendChatAction", chat_id=CHAT, action="typing")).result is True
    assert api.chat_actions(CHAT) == ["typing"]
    bad = await client.call("sendChatAction", chat_id=CHAT, action="dancing")
    assert bad.description == "Bad Request: wrong parameter action in request"
    # Spec methods that only return True are accepted without an implementation...
    assert (await client.call("setMyDescription", description="Stretch daily")).result is True
    # ...the rest say clearly that the sandbox cannot fake them.
    reply = await client.call("getChat", chat_id=CHAT)
    assert reply.description == "Bad Request: method getChat is not implemented by the sandbox"
    assert (await client.call("close")).result is True


async def test_without_the_spec_parameters_are_not_validated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(server_module, "default_spec_path", lambda: tmp_path / "missing.json")
    async with FakeBotApi() as api, aiohttp.ClientSession() as session:
        client = RawClient(api, session)
        await _user_said_hi(api)
        reply = await client.call("sendMessage", chat_id=CHAT, text="hi", colour="red")
        assert reply.status == 200  # unknown parameters pass without the spec
        assert (await client.call("getChat", chat_id=CHAT)).status == 404  # not implemented
    with pytest.raises(FileNotFoundError):
        FakeBotApi(spec_path=tmp_path / "missing.json")


# -- waiting helpers ---------------------------------------------------------------------------


async def test_wait_for_bot_messages_after_the_users_action(
    api: FakeBotApi, client: RawClient
) -> None:
    await _user_said_hi(api)
    await client.call("sendMessage", chat_id=CHAT, text="old")
    await api.send_user_message(CHAT, "again")  # the default mark moves here

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await client.call("sendMessage", chat_id=CHAT, text="new 1")
        await client.call("sendMessage", chat_id=CHAT, text="new 2")

    task = asyncio.create_task(reply_later())
    replies = await api.wait_for_bot_messages(CHAT, 2, timeout=2)
    await task
    assert [m.text for m in replies] == ["new 1", "new 2"]

    mark = api.mark()
    with pytest.raises(TimeoutError, match=r"expected 1 bot message\(s\) in chat 1001, got 0"):
        await api.wait_for_bot_messages(CHAT, 1, timeout=0.1, after=mark)
    assert [m.text for m in await api.wait_for_bot_messages(CHAT, 3, after=0)] == [
        "old",
        "new 1",
        "new 2",
    ]
    assert (await api.wait_for_call("sendMessage")).params["text"] == "old"


# -- a real PTB Bot against the sandbox ------------------------------------------------------------


async def test_python_telegram_bot_round_trip(api: FakeBotApi) -> None:
    bot = Bot(api.token, base_url=f"{api.base_url}/bot")
    async with bot:
        me = await bot.get_me()
        assert (me.id, me.username) == (123456789, "limber_sandbox_bot")

        await api.send_user_message(CHAT, "/start")
        [update] = await bot.get_updates(timeout=1)
        assert update.message is not None and update.message.text == "/start"
        assert update.message.entities[0].type == "bot_command"

        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done:1")]])
        sent = await bot.send_message(
            CHAT, "<b>Time</b> to stretch &amp; relax", parse_mode="HTML", reply_markup=keyboard
        )
        assert sent.text == "Time to stretch & relax"
        assert sent.entities[0].type == "bold"
        assert sent.reply_markup == keyboard

        query_id = await api.press_button(CHAT, sent.message_id, "done:1")
        [press] = await bot.get_updates(offset=update.update_id + 1, timeout=1)
        assert press.callback_query is not None
        assert (press.callback_query.id, press.callback_query.data) == (query_id, "done:1")
        assert press.callback_query.message is not None
        assert press.callback_query.message.message_id == sent.message_id
        assert await bot.answer_callback_query(query_id, text="Nice!") is True

        edited = await bot.edit_message_text("Done ✅", chat_id=CHAT, message_id=sent.message_id)
        assert isinstance(edited, type(sent)) and edited.text == "Done ✅"

        document = await bot.send_document(CHAT, InputFile(b"csv,data", filename="export.csv"))
        assert document.document is not None and document.document.file_name == "export.csv"
        photo = await bot.send_photo(CHAT, _png(40, 30))
        assert (photo.photo[-1].width, photo.photo[-1].height) == (40, 30)
        with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
            await bot.send_photo(CHAT, b"\x89PNG fake")
        animation = await bot.send_animation(CHAT, _gif(frames=3, centiseconds=50))
        assert animation.animation is not None and animation.document is not None
        assert animation.animation.width == 24
        assert animation.animation.duration in (2, timedelta(seconds=2))  # PTB's choice

        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("Done ✅", chat_id=CHAT, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(CHAT, "a < b", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_callback_query(query_id)

        api.fail_next("sendMessage", status=429, retry_after=5)
        with pytest.raises(RetryAfter, match=r"Retry in (5 seconds|0:00:05)"):
            await bot.send_message(CHAT, "again")

        api.fail_next("sendMessage", status=502)
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "again")

        await api.block_bot(CHAT)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(CHAT, "hello?")

    texts = [m.text for m in api.history(CHAT)]
    assert texts == ["Time to stretch & relax", "Done ✅", "", "", ""]  # document, photo, animation
    assert api.callback_answers[query_id].text == "Nice!"


async def test_python_telegram_bot_times_out_on_a_slow_response(api: FakeBotApi) -> None:
    bot = Bot(
        api.token,
        base_url=f"{api.base_url}/bot",
        request=HTTPXRequest(read_timeout=0.3),
    )
    await api.send_user_message(CHAT, "hi")
    async with bot:
        api.delay_next("sendMessage", 1.0, after_processing=True)
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "accepted anyway")
    assert [m.text for m in api.messages(CHAT)] == ["accepted anyway"]


async def test_a_polling_application_end_to_end(api: FakeBotApi, echo_bot: object) -> None:
    await api.wait_for_call("getUpdates")
    await api.send_user_message(CHAT, "/start")
    [welcome] = await api.wait_for_bot_messages(CHAT)
    assert welcome.text == "Welcome! Pick one:"
    assert welcome.button_texts == ["Done", "Another"]

    query_id = await api.press_button_labeled(CHAT, "Another")
    answer = await api.wait_for_callback_answer(query_id)
    [edited] = await api.wait_for_bot_messages(CHAT)
    assert answer.text == "Got another"
    assert (edited.message_id, edited.text, edited.buttons) == (
        welcome.message_id,
        "You pressed another",
        [],
    )

    await api.send_user_message(CHAT, "hello")
    [echo] = await api.wait_for_bot_messages(CHAT)
    assert echo.text == "You said: hello"
