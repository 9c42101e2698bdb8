"""Building the PTB Application: wiring only, no features."""

from __future__ import annotations

from random import Random

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot.catalog.stretches import StretchLibrary
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory
from bot.handlers import errors, fallback, start, stretch
from bot.render.texts import COMMANDS
from bot.services import SERVICES_KEY, Services


async def _register_commands(application: Application) -> None:  # type: ignore[type-arg]
    await application.bot.set_my_commands(
        [BotCommand(command, description) for command, description in COMMANDS]
    )


def build_application(
    settings: Settings,
    stretches: StretchLibrary,
    *,
    token: str,
    clock: Clock | None = None,
    rng: Random | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot, ready for polling, with its database and content attached."""
    engine = create_engine(settings.database_url)
    svc = Services(
        settings=settings,
        clock=clock or SystemClock(),
        sessions=create_session_factory(engine),
        stretches=stretches,
        rng=rng or Random(),
    )
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(_register_commands)
        .post_shutdown(lambda _app: engine.dispose())
        .build()
    )
    application.bot_data[SERVICES_KEY] = svc
    for feature in (start, stretch):
        feature.register(application)
    fallback.register(application)
    application.add_error_handler(errors.on_error)
    return application
