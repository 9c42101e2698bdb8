"""The sender's fast path posts exactly what ``Bot.send_message`` would post."""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import BaseRequest, RequestData

from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.reminders import DeliveryStatus
from bot.ratelimit import SendRateLimiter
from bot.reminders.sender import OutgoingMessage, ReminderSender
from bot.render.i18n import ENGLISH
from bot.render.stretch_card import reminder_card_keyboard, render_stretch_card
from bot.render.texts import NO_PREVIEW


class Recorder(BaseRequest):
    """Keeps each request's URL and JSON parameters; answers with a sent Message."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *_: Any, **__: Any
    ) -> tuple[int, bytes]:
        assert request_data is not None
        self.requests.append((url, request_data.json_parameters))
        message = {"message_id": 41, "date": 0, "chat": {"id": 5, "type": "private"}}
        return 200, json.dumps({"ok": True, "result": message}).encode()


def recording_bot() -> tuple[Bot, Recorder]:
    recorder = Recorder()
    return Bot("1:token", request=recorder, get_updates_request=Recorder()), recorder


async def test_a_reminder_request_is_the_one_send_message_makes() -> None:
    stretch = load_catalog(DEFAULT_CONTENT_DIR).stretches.all()[0]
    message = OutgoingMessage(
        chat_id=5,
        text=render_stretch_card(ENGLISH, stretch, heading="⏰ Time for your daily stretch!"),
        keyboard=reminder_card_keyboard(ENGLISH, stretch),
    )
    reference_bot, reference = recording_bot()
    await reference_bot.send_message(
        message.chat_id,
        message.text,
        parse_mode=ParseMode.HTML,
        reply_markup=message.keyboard,
        link_preview_options=NO_PREVIEW,
    )
    bot, recorder = recording_bot()
    sender = ReminderSender(bot, SendRateLimiter(None, None))

    first = await sender.send(message)
    second = await sender.send(message)  # the keyboard's JSON now comes from the cache

    assert (first.status, first.message_id) == (DeliveryStatus.SENT, 41)
    assert second == first
    assert recorder.requests == [reference.requests[0]] * 2


async def test_a_message_without_buttons_sends_no_reply_markup() -> None:
    bot, recorder = recording_bot()
    sender = ReminderSender(bot, SendRateLimiter(None, None))
    await sender.send(OutgoingMessage(chat_id=5, text="<b>hi</b>", keyboard=None))
    [(url, parameters)] = recorder.requests
    assert url.endswith("/sendMessage")
    assert "reply_markup" not in parameters
    assert parameters["parse_mode"] == "HTML"
