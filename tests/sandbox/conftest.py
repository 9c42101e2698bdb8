"""Fixtures for the sandbox's own tests: the server, a raw HTTP client, a tiny PTB bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox.server import FakeBotApi


@dataclass
class Reply:
    status: int
    body: dict[str, Any]

    @property
    def description(self) -> str:
        return str(self.body.get("description", ""))

    @property
    def result(self) -> Any:
        assert self.body["ok"], self.body
        return self.body["result"]


@dataclass
class RawClient:
    """Bot API calls over plain HTTP, to see exactly what the server answers."""

    api: FakeBotApi
    session: aiohttp.ClientSession

    def url(self, method: str) -> str:
        return f"{self.api.base_url}/bot{self.api.token}/{method}"

    async def call(self, method: str, **params: Any) -> Reply:
        """A JSON request, like most Bot API libraries other than PTB send."""
        async with self.session.post(self.url(method), json=params) as response:
            return Reply(response.status, await response.json())

    async def form(self, method: str, data: Any) -> Reply:
        """A form-encoded or multipart request, like PTB sends."""
        async with self.session.post(self.url(method), data=data) as response:
            return Reply(response.status, await response.json())


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def client(api: FakeBotApi) -> AsyncIterator[RawClient]:
    async with aiohttp.ClientSession() as session:
        yield RawClient(api, session)


KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Done", callback_data="done")],
        [InlineKeyboardButton("Another", callback_data="another")],
    ]
)


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_html("<b>Welcome!</b> Pick one:", reply_markup=KEYBOARD)


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(f"You said: {update.message.text}")


async def _button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"Got {query.data}")
    await query.edit_message_text(f"You pressed <i>{query.data}</i>", parse_mode="HTML")


def build_echo_bot(api: FakeBotApi) -> Application:  # type: ignore[type-arg]
    """/start shows two buttons, a press edits the message, text is echoed."""
    application = ApplicationBuilder().token(api.token).base_url(f"{api.base_url}/bot").build()
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    application.add_handler(CallbackQueryHandler(_button))
    return application


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the bot the way run_polling does, but inside the test's event loop."""
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


@pytest.fixture
async def echo_bot(api: FakeBotApi) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with polling(build_echo_bot(api)) as application:
        yield application
