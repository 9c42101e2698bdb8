"""Building the PTB Application: wiring only, no features."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from random import Random

from telegram import Bot, BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.catalog import Catalog
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory, sqlite_path
from bot.db.file_guard import DatabaseFileGuard
from bot.domain.flood import FloodGate
from bot.handlers import (
    admin,
    errors,
    fallback,
    flood,
    membership,
    precautions,
    privacy,
    private_only,
    redflags,
    reminders,
    settings,
    stale_buttons,
    start,
    stretch,
)
from bot.observability import InstrumentedUpdateProcessor
from bot.ratelimit import SendRateLimiter
from bot.reminders.clock_watch import ClockWatch
from bot.reminders.sender import ReminderSender
from bot.reminders.tick import MAX_CHUNK, ReminderTicker
from bot.render.texts import COMMANDS
from bot.services import SERVICES_KEY, Services
from bot.transport import AiohttpRequest, ApiContact

log = logging.getLogger(__name__)

TICKER_KEY = "limber_ticker"
REMINDER_BOT_KEY = "limber_reminder_bot"
API_CONTACT_KEY = "limber_api_contact"
CLOCK_WATCH_KEY = "limber_clock_watch"
FEATURES = (start, stretch, precautions, settings, reminders, privacy, membership, admin)


def _limiter(settings: Settings) -> SendRateLimiter:
    return SendRateLimiter(
        per_second=settings.send_rate_per_second or None,
        per_chat_interval=settings.send_rate_per_chat_seconds or None,
    )


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    await application.bot.set_my_commands(
        [BotCommand(command, description) for command, description in COMMANDS]
    )
    await application.bot_data[REMINDER_BOT_KEY].initialize()
    watch: ClockWatch | None = application.bot_data.get(CLOCK_WATCH_KEY)
    if watch is not None:
        watch.start()


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    ticker: ReminderTicker = context.bot_data[TICKER_KEY]
    await ticker.tick()


@asynccontextmanager
async def started(application: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The application initialized and started, with the hooks ``run_polling`` would call;
    stopped and shut down on exit. Receiving updates (polling, webhook) is the caller's part."""
    assert application.post_init is not None and application.post_shutdown is not None
    try:
        await application.initialize()  # getMe: fails when Telegram refuses or cannot be reached
    except BaseException:
        # PTB's shutdown() does nothing for an application that never finished initializing,
        # which would leave the bot's HTTP sessions and the database open.
        await application.bot.shutdown()
        await application.post_shutdown(application)
        raise
    try:
        await application.post_init(application)
        await application.start()
        yield application
    finally:
        if application.running:
            await application.stop()  # waits for updates being handled
        await application.post_shutdown(application)  # closes the reminder bot and database
        await application.shutdown()


def build_application(
    settings: Settings,
    catalog: Catalog,
    *,
    token: str,
    clock: Clock | None = None,
    rng: Random | None = None,
    run_ticker: bool = True,
) -> Application:  # type: ignore[type-arg]
    """The bot, ready for polling, with its database, content and reminder tick attached."""
    engine = create_engine(settings.database_url)
    svc = Services(
        settings=settings,
        clock=clock or SystemClock(),
        sessions=create_session_factory(engine),
        catalog=catalog,
        rng=rng or Random(),
        database_guard=DatabaseFileGuard(sqlite_path(settings.database_url)),
    )
    base_url = f"{settings.api_base_url}/bot"
    contact = ApiContact()  # every request reports to it; /healthz reads it
    # Reminders go through their own plain Bot: the sender does its own rate limiting and
    # retries, which must not be doubled by PTB's limiter.
    # Waiting for a free connection is normal when a large batch is due: no pool timeout.
    reminder_request = AiohttpRequest(
        connection_pool_size=MAX_CHUNK, pool_timeout=None, contact=contact
    )
    reminder_bot = Bot(token, base_url=base_url, request=reminder_request)

    async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        watch: ClockWatch | None = application.bot_data.get(CLOCK_WATCH_KEY)
        if watch is not None:
            await watch.stop()
        await reminder_bot.shutdown()
        await engine.dispose()

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .request(AiohttpRequest(contact=contact))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, contact=contact))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(InstrumentedUpdateProcessor(max_concurrent_updates=256))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES_KEY] = svc
    application.bot_data[REMINDER_BOT_KEY] = reminder_bot
    application.bot_data[API_CONTACT_KEY] = contact
    ticker = ReminderTicker(
        svc,
        ReminderSender(reminder_bot, _limiter(settings)),
        lease=timedelta(seconds=settings.delivery_lease_seconds),
    )
    application.bot_data[TICKER_KEY] = ticker
    # Guards, in order: private chats only, flood control, buttons of deleted accounts.
    private_only.register(application)
    flood.register(application, FloodGate(settings.flood_messages, settings.flood_seconds))
    stale_buttons.register(application)
    # The check goes first: its ConversationHandler must see /cancel and its buttons.
    redflags.register(application, settings.redflags_idle_seconds)
    for feature in FEATURES:
        feature.register(application)
    fallback.register(application)
    application.add_error_handler(errors.on_error)
    if run_ticker and application.job_queue is not None:
        job = application.job_queue.run_repeating(
            _tick,
            interval=settings.tick_seconds,
            first=1.0,
            name="reminder-tick",
            # One tick at a time; a late tick runs once, not once per missed interval.
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        # The interval trigger follows the wall clock; the watch reschedules it after a jump.
        application.bot_data[CLOCK_WATCH_KEY] = ClockWatch(
            job, settings.tick_seconds, wall=lambda: svc.clock.now().timestamp()
        )
    return application
