"""Running the bot as a service: polling or webhook or reminder worker, with health and metrics,
until SIGTERM or Ctrl+C, then a graceful stop (in-flight sends finish, the tick stops, the
database closes) within ``SHUTDOWN_SECONDS``, whatever Telegram does."""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import secrets
import signal
from collections.abc import Awaitable
from enum import Enum
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import Application

from bot.app import LimberApp, build_application, started
from bot.catalog import Catalog
from bot.config import Settings
from bot.db.app_state import get_or_create
from bot.db.file_guard import DatabaseFileLost
from bot.observability import set_user_hash_key
from bot.redaction import register_secrets
from bot.reminders.tick import ReminderTicker
from bot.services import Services
from bot.web import Webhook, WebServer, start_site

log = logging.getLogger("limber")

WEBHOOK_SECRET_KEY = "webhook_secret"
CONFLICT_ADVICE = (
    "Telegram answered 409 Conflict: another process is getting updates for this bot token. "
    "Run only one `limber run` per token (use `limber worker` for extra reminder processes), "
    "or stop the other program using this token."
)
# Supervisors wait 30 s (systemd's TimeoutStopSec, compose's stop_grace_period) before SIGKILL,
# which would leave deliveries "sending" for ever: stop well within that, whatever Telegram does.
SHUTDOWN_SECONDS = 6.0
# Parts of it: the last getUpdates (it confirms the updates handled), and the reminder sends in
# flight; what is left of the budget goes to updates being handled.
POLLING_STOP_SECONDS = 2.0
SENDS_STOP_SECONDS = 4.0


class ServeError(Exception):
    """The bot cannot start or must stop, for a reason the operator can fix (one line)."""


class Mode(Enum):
    POLLING = "polling"
    WEBHOOK = "webhook"
    WORKER = "worker"  # reminders only: no updates are received


def mode_for(settings: Settings, *, worker: bool) -> Mode:
    if worker:
        return Mode.WORKER
    return Mode.WEBHOOK if settings.webhook_url else Mode.POLLING


def on_polling_error(error: TelegramError) -> None:
    if isinstance(error, Conflict):
        log.error(CONFLICT_ADVICE)
    else:
        log.warning("getting updates failed: %s; retrying", error)


async def webhook_secret(settings: Settings, services: Services) -> str:
    """The configured secret, or one generated once and kept in the database (all replicas)."""
    if settings.webhook_secret is not None and settings.webhook_secret.get_secret_value():
        return settings.webhook_secret.get_secret_value()
    async with services.transaction() as session:
        secret = await get_or_create(session, WEBHOOK_SECRET_KEY, secrets.token_urlsafe(32))
    register_secrets([secret])  # kept out of the logs like the configured one
    return secret


async def serve(
    settings: Settings,
    catalog: Catalog,
    token: str,
    mode: Mode,
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until ``stop`` is set (SIGTERM and SIGINT set it), then shut down gracefully.

    A stop while starting (Telegram unreachable: getMe waits for its timeouts) ends at once.
    Raises :class:`ServeError` when the bot cannot start, or stops because its SQLite file
    was deleted or replaced.
    """
    stop = stop or _stop_on_signals()
    set_user_hash_key(token)
    ticking = mode is Mode.WORKER or not settings.reminders_in_workers
    if not ticking:
        log.info("reminders are left to `limber worker` processes (LIMBER_REMINDERS_IN_WORKERS)")
    app = build_application(settings, catalog, token=token, run_ticker=ticking)
    log.info("starting (%s): connecting to the Bot API at %s", mode.value, settings.api_base_url)
    ready = asyncio.Event()
    run = asyncio.create_task(_run(app, settings, mode, stop, ready))
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait((run, stopped), return_when=asyncio.FIRST_COMPLETED)
        if not run.done() and not ready.is_set():
            log.info("stopping before start-up finished")
            run.cancel()
        await asyncio.wait((run,))
    finally:
        stopped.cancel()
        run.cancel()  # only if serve itself is cancelled
    if not run.cancelled():
        run.result()


async def _run(
    app: LimberApp, settings: Settings, mode: Mode, stop: asyncio.Event, ready: asyncio.Event
) -> None:
    application, svc, ticker = app.application, app.services, app.ticker
    lost: str | None = None
    try:
        async with started(app):
            # What is alive now (modules, content, the app) lives as long as the process: keep
            # it out of the collector's full passes, which otherwise block the loop for ~100 ms.
            gc.collect()
            gc.freeze()
            sites: list[web.AppRunner] = []
            try:
                sites = await _start_web(app, settings, mode)
                await _receive_updates(application, settings, svc, mode)
                ready.set()
                log.info(
                    "Limber is running (%s) with %d stretches",
                    mode.value,
                    len(svc.catalog.stretches),
                )
                lost = await _until_stopped_or_lost(stop, svc)
                log.info("stopping: finishing in-flight work")
            finally:
                await _wind_down(application, ticker, sites, mode)
    except InvalidToken as error:
        raise ServeError(
            "Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN"
        ) from error
    except TelegramError as error:
        raise ServeError(
            f"the Telegram Bot API at {settings.api_base_url} failed while starting: {error}. "
            "Check the network and TELEGRAM_API_BASE_URL."
        ) from error
    if lost is not None:
        raise ServeError(lost)


async def _until_stopped_or_lost(stop: asyncio.Event, svc: Services) -> str | None:
    """Wait for a stop; or for the database file to be lost (returns what happened to it)."""
    stopped = asyncio.create_task(stop.wait())
    lost = asyncio.create_task(svc.database_guard.wait_lost())
    try:
        await asyncio.wait((stopped, lost), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not lost.done():
            lost.cancel()
    if not lost.done() or lost.cancelled():
        return None
    message = str(DatabaseFileLost(lost.result()))
    log.critical(message)
    return message


async def _start_web(app: LimberApp, settings: Settings, mode: Mode) -> list[web.AppRunner]:
    """The webhook (webhook mode) on its public port, and /healthz and /metrics on their own
    private port (LIMBER_HEALTH_LISTEN:LIMBER_HEALTH_PORT; port 0 turns it off)."""
    sites = []
    application, svc, contact = app.application, app.services, app.contact
    ticker = app.ticker if app.clock_watch is not None else None  # None: workers tick
    if mode is Mode.WEBHOOK:
        assert settings.webhook_url is not None
        path = urlsplit(settings.webhook_url).path or "/"
        hook = Webhook(path=path, secret=await webhook_secret(settings, svc))
        server = WebServer(application, svc, ticker, contact, hook)
        where = f"{settings.webhook_listen}:{settings.webhook_port}"
        try:
            sites.append(
                await start_site(
                    server.webhook_routes(), settings.webhook_listen, settings.webhook_port
                )
            )
        except OSError as error:  # without its webhook the bot hears nothing: fatal
            raise ServeError(
                f"cannot listen for the webhook on {where}: {error.strerror}"
            ) from error
    if settings.health_port:
        server = WebServer(application, svc, ticker, contact)
        try:
            sites.append(
                await start_site(
                    server.health_routes(), settings.health_listen, settings.health_port
                )
            )
        except OSError as error:
            # The bot's job is the chat: carry on without health rather than not at all.
            busy = error.errno == errno.EADDRINUSE
            log.error(
                "health and metrics are off: cannot listen on %s:%d (%s)%s",
                settings.health_listen,
                settings.health_port,
                error.strerror,
                "; another process (a second Limber?) uses that port: give each process its "
                "own LIMBER_HEALTH_PORT, or 0 to turn health off"
                if busy
                else "",
            )
    return sites


async def _receive_updates(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    svc: Services,
    mode: Mode,
) -> None:
    if mode is Mode.POLLING:
        assert application.updater is not None
        await application.updater.start_polling(
            allowed_updates=Update.ALL_TYPES, error_callback=on_polling_error
        )
    elif mode is Mode.WEBHOOK:
        assert settings.webhook_url is not None
        await application.bot.set_webhook(
            settings.webhook_url,
            secret_token=await webhook_secret(settings, svc),
            allowed_updates=Update.ALL_TYPES,
        )


async def _wind_down(
    application: Application,  # type: ignore[type-arg]
    ticker: ReminderTicker,
    sites: list[web.AppRunner],
    mode: Mode,
) -> None:
    """Stop taking work and finish what is in flight, within SHUTDOWN_SECONDS in all: the
    reminder tick stops waiting for Telegram at once, and each step that still waits for it
    is given up at its deadline. ``started`` then closes the bot and the database."""
    now = asyncio.get_running_loop().time()
    deadline = now + SHUTDOWN_SECONDS
    stopping_sends = asyncio.create_task(ticker.stop(give_up_at=now + SENDS_STOP_SECONDS))
    if mode is Mode.POLLING and application.updater is not None and application.updater.running:
        await _by(now + POLLING_STOP_SECONDS, application.updater.stop(), "the last getUpdates")
    if application.job_queue is not None and application.job_queue.scheduler.running:
        application.job_queue.scheduler.pause()
    await _by(deadline, stopping_sends, "the reminder sends")
    for site in sites:
        await site.cleanup()
    if application.running:  # waits for updates being handled, then stops the job queue
        await _by(deadline, application.stop(), "the updates being handled")


async def _by(deadline: float, step: Awaitable[object], what: str) -> None:
    """Wait for ``step`` until ``deadline`` (event loop time); then give it up, with a line."""
    try:
        async with asyncio.timeout_at(deadline):
            await step
    except TimeoutError:
        log.warning("stopping: gave up waiting for %s", what)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
