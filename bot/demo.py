"""``limber demo``: the real bot against the in-process sandbox Bot API, chatting in this terminal.

No token and no network: the sandbox serves the Bot API on 127.0.0.1, the bot long-polls it
over real HTTP exactly as it would Telegram, and the terminal plays the user.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.app import build_application, started
from bot.catalog import Catalog
from bot.config import Settings
from bot.sandbox.server import FakeBotApi
from bot.sandbox.terminal import run_terminal_chat

DEMO_DATABASE_URL = "sqlite+aiosqlite:///limber-demo.sqlite3"
DEMO_CHAT_ID = 100001
DEMO_TICK_SECONDS = 2.0


def demo_settings(settings: Settings) -> Settings:
    """The operator's settings, with the demo's own database unless one was chosen explicitly."""
    changes: dict[str, object] = {"tick_seconds": min(settings.tick_seconds, DEMO_TICK_SECONDS)}
    if "database_url" not in settings.model_fields_set:
        changes["database_url"] = DEMO_DATABASE_URL
    return settings.model_copy(update=changes)


async def run_demo(
    settings: Settings,
    catalog: Catalog,
    *,
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
) -> None:
    """Run the bot against a local sandbox until the user types /quit or input ends."""
    async with FakeBotApi() as api:
        settings = settings.model_copy(update={"telegram_api_base_url": api.base_url})
        app = build_application(settings, catalog, token=api.token)
        application = app.application
        async with started(app):
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.0, timeout=10)
            out = output or sys.stdout
            out.write(
                "Limber demo: you are chatting with the real bot through a local sandbox.\n"
                "Try /start, /stretch, /settings or /redflags; type a number to press a button, "
                "/quit to leave.\n\n"
            )
            out.flush()
            try:
                await run_terminal_chat(api, DEMO_CHAT_ID, input_stream=input_stream, output=output)
            finally:
                await application.updater.stop()
