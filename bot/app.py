"""Building the PTB Application: wiring only, no features."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from random import Random
from typing import Any

from telegram import Bot, BotCommand
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.catalog import Catalog
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory, sqlite_path
from bot.db.file_guard import DatabaseFileGuard
from bot.domain.flood import FloodGate
from bot.handlers import (
    admin,
    checkin,
    errors,
    fallback,
    feedback,
    flood,
    guided,
    identity,
    learn,
    membership,
    onboarding,
    precautions,
    privacy,
    private_only,
    progress,
    redflags,
    reengagement,
    reminder_time,
    reminders,
    settings,
    start,
    stretch,
    weekly,
)
from bot.handlers.context import CONTEXT_TYPES, BotData, LimberContext
from bot.illustration_files import IllustrationFiles
from bot.observability import InstrumentedUpdateProcessor
from bot.priority import PeopleFirst
from bot.ratelimit import SendRateLimiter
from bot.reminders.budget_setup import send_budget
from bot.reminders.clock_watch import ClockWatch
from bot.reminders.kinds import standard_kinds
from bot.reminders.sender import ReminderSender
from bot.reminders.tick import CHUNKS_IN_FLIGHT, MAX_CHUNK, ReminderTicker
from bot.render.i18n import SOURCE_LANGUAGE, Catalogs, text
from bot.render.texts import DESCRIPTION, SHORT_DESCRIPTION, command_menu
from bot.services import Services
from bot.timers import TimerTicker
from bot.transport import AiohttpRequest, ApiContact

log = logging.getLogger(__name__)

FEATURES = (
    start,
    stretch,
    feedback,
    guided,
    onboarding,
    precautions,
    settings,
    weekly,
    progress,
    learn,
    reminder_time,
    reminders,
    privacy,
    membership,
    admin,
    reengagement,
    checkin,
)

PtbApplication = Application[Any, LimberContext, Any, Any, BotData, Any]


@dataclass
class LimberApp:
    """The bot as built: PTB's application and what runs beside it."""

    application: PtbApplication
    services: Services
    ticker: ReminderTicker
    reminder_bot: Bot  # reminders go through their own plain Bot (own pacing and retries)
    contact: ApiContact  # every Bot API request reports to it; /healthz reads it
    timers: TimerTicker  # the hold timers' edits and buzzes (through the reminder bot)
    clock_watch: ClockWatch | None = None  # reschedules the tick after a wall-clock jump


def _limiter(settings: Settings) -> SendRateLimiter:
    """Per-chat spacing and this process's pause after a 429; the overall rate is the budget's."""
    return SendRateLimiter(
        per_second=None, per_chat_interval=settings.send_rate_per_chat_seconds or None
    )


@asynccontextmanager
async def started(app: LimberApp) -> AsyncIterator[LimberApp]:
    """The application initialized and started, with the hooks ``run_polling`` would call;
    stopped and shut down on exit. Receiving updates (polling, webhook) is the caller's part."""
    application = app.application
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
        yield app
    finally:
        if application.running:
            await application.stop()  # waits for updates being handled
        await application.post_shutdown(application)  # closes the reminder bot and database
        await application.shutdown()


async def describe_bot(bot: Bot, catalogs: Catalogs) -> None:
    """The bot's description (shown in an empty chat before /start) and short description
    (its profile), once at start in each language. Telegram limits how often they may be
    changed, and they only matter to new users, so a refusal is logged, never fatal."""
    for language in catalogs.languages():
        t = catalogs.translator(language)
        code = None if language == SOURCE_LANGUAGE else language
        try:
            await bot.set_my_description(text(t, DESCRIPTION), language_code=code)
            await bot.set_my_short_description(text(t, SHORT_DESCRIPTION), language_code=code)
        except TelegramError as error:
            log.warning("bot description (%s) not set: %s", language, error)


def build_application(
    settings: Settings,
    catalog: Catalog,
    *,
    token: str,
    clock: Clock | None = None,
    rng: Random | None = None,
    run_ticker: bool = True,
) -> LimberApp:
    """The bot, ready for polling, with its database, content and reminder tick attached."""
    engine = create_engine(settings.database_url)
    catalogs = Catalogs(settings.locale_dir) if settings.locale_dir else Catalogs()
    svc = Services(
        settings=settings,
        clock=clock or SystemClock(),
        sessions=create_session_factory(engine),
        catalog=catalog,
        rng=rng or Random(),
        database_guard=DatabaseFileGuard(sqlite_path(settings.database_url)),
    )
    base_url = f"{settings.api_base_url}/bot"
    contact = ApiContact()
    # Reminders go through their own plain Bot: the sender does its own rate limiting and
    # retries, which must not be doubled by PTB's limiter.
    # Waiting for a free connection is normal when a large batch is due: no pool timeout.
    reminder_request = AiohttpRequest(
        connection_pool_size=MAX_CHUNK * CHUNKS_IN_FLIGHT, pool_timeout=None, contact=contact
    )
    reminder_bot = Bot(token, base_url=base_url, request=reminder_request)
    people = PeopleFirst()  # the tick yields to the updates being handled
    sender = ReminderSender(
        reminder_bot,
        _limiter(settings),
        send_budget(settings, svc.transaction, shared=engine.dialect.name == "postgresql"),
    )
    ticker = ReminderTicker(
        svc,
        sender,
        lease=timedelta(seconds=settings.delivery_lease_seconds),
        kinds=standard_kinds(svc, catalogs),
        people=people,
    )
    app: LimberApp

    async def post_init(application: PtbApplication) -> None:
        # The command menu in English, and in each language with a catalogue for its users.
        for language in catalogs.languages():
            texts = command_menu(catalogs.translator(language))
            await application.bot.set_my_commands(
                [BotCommand(command, text) for command, text in texts],
                language_code=None if language == SOURCE_LANGUAGE else language,
            )
        await describe_bot(application.bot, catalogs)
        await reminder_bot.initialize()
        if app.clock_watch is not None:
            app.clock_watch.start()

    async def post_shutdown(_application: PtbApplication) -> None:
        if app.clock_watch is not None:
            await app.clock_watch.stop()
        await reminder_bot.shutdown()
        await sender.close()
        await engine.dispose()

    application: PtbApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .context_types(CONTEXT_TYPES)
        .request(AiohttpRequest(contact=contact))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, contact=contact))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(InstrumentedUpdateProcessor(256, people=people))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.services = svc
    application.bot_data.catalogs = catalogs
    application.bot_data.illustrations = IllustrationFiles(svc.transaction, svc.clock)
    application.bot_data.lateness = ticker.lateness
    # Timer edits go through the plain bot too: a refused edit is skipped, never retried.
    timer_ticker = TimerTicker(svc, reminder_bot, catalogs)
    app = LimberApp(application, svc, ticker, reminder_bot, contact, timer_ticker)
    # Guards, in order: private chats only, flood control, who is talking.
    private_only.register(application)
    flood.register(application, FloodGate(settings.flood_messages, settings.flood_seconds))
    identity.register(application)
    # The check goes first: its ConversationHandler must see /cancel and its buttons.
    redflags.register(application, settings.redflags_idle_seconds)
    for feature in FEATURES:
        feature.register(application)
    fallback.register(application)
    application.add_error_handler(errors.on_error)
    if run_ticker and application.job_queue is not None:

        async def tick(_context: LimberContext) -> None:
            await ticker.tick()

        job = application.job_queue.run_repeating(
            tick,
            interval=settings.tick_seconds,
            first=1.0,
            name="reminder-tick",
            # One tick at a time; a late tick runs once, not once per missed interval.
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )

        async def tick_timers(_context: LimberContext) -> None:
            await timer_ticker.tick()

        application.job_queue.run_repeating(
            tick_timers,
            interval=settings.timer_tick_seconds,
            first=1.0,
            name="timer-tick",
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        # The interval trigger follows the wall clock; the watch reschedules it after a jump.
        app.clock_watch = ClockWatch(
            job, settings.tick_seconds, wall=lambda: svc.clock.now().timestamp()
        )
    return app
