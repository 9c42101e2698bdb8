"""Running the bot as a service: polling or webhook or reminder worker, with health and metrics,
until SIGTERM or Ctrl+C, then a graceful stop (in-flight sends finish, the tick stops, the
database closes)."""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import signal
from enum import Enum
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application

from bot.app import TICKER_KEY, build_application, started
from bot.catalog import Catalog
from bot.config import Settings
from bot.db.app_state import get_or_create
from bot.observability import set_user_hash_key
from bot.reminders.tick import ReminderTicker
from bot.services import SERVICES_KEY, Services
from bot.web import Webhook, WebServer, start_site

log = logging.getLogger("limber")

WEBHOOK_SECRET_KEY = "webhook_secret"
CONFLICT_ADVICE = (
    "Telegram answered 409 Conflict: another process is getting updates for this bot token. "
    "Run only one `limber run` per token (use `limber worker` for extra reminder processes), "
    "or stop the other program using this token."
)


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
        return await get_or_create(session, WEBHOOK_SECRET_KEY, secrets.token_urlsafe(32))


async def serve(
    settings: Settings,
    catalog: Catalog,
    token: str,
    mode: Mode,
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until ``stop`` is set (SIGTERM and SIGINT set it), then shut down gracefully."""
    stop = stop or _stop_on_signals()
    set_user_hash_key(token)
    application = build_application(settings, catalog, token=token)
    svc: Services = application.bot_data[SERVICES_KEY]
    ticker: ReminderTicker = application.bot_data[TICKER_KEY]
    async with started(application):
        # What is alive now (modules, content, the app) lives as long as the process: keep it
        # out of the collector's full passes, which otherwise block the loop for ~100 ms.
        gc.collect()
        gc.freeze()
        sites = await _start_web(application, settings, svc, ticker, mode)
        try:
            await _receive_updates(application, settings, svc, mode)
            log.info("Limber is running (%s) with %d stretches", mode.value, len(catalog.stretches))
            await stop.wait()
            log.info("stopping: finishing in-flight work")
        finally:
            await _wind_down(application, ticker, sites, mode)


async def _start_web(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    svc: Services,
    ticker: ReminderTicker,
    mode: Mode,
) -> list[web.AppRunner]:
    """The webhook (webhook mode) on its public port, and /healthz and /metrics on their own
    port (LIMBER_HEALTH_PORT; 0 turns it off), so they are never exposed with the webhook."""
    sites = []
    if mode is Mode.WEBHOOK:
        assert settings.webhook_url is not None
        path = urlsplit(settings.webhook_url).path or "/"
        hook = Webhook(path=path, secret=await webhook_secret(settings, svc))
        server = WebServer(application, svc, ticker, hook)
        sites.append(
            await start_site(
                server.webhook_routes(), settings.webhook_listen, settings.webhook_port
            )
        )
    if settings.health_port:
        server = WebServer(application, svc, ticker)
        sites.append(
            await start_site(server.health_routes(), settings.webhook_listen, settings.health_port)
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
    """Stop taking work, let the tick in progress finish its sends; ``started`` does the rest."""
    if mode is Mode.POLLING and application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.job_queue is not None and application.job_queue.scheduler.running:
        application.job_queue.scheduler.pause()
    await ticker.drain()
    for site in sites:
        await site.cleanup()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
