"""The bot's HTTP server: Telegram's webhook (when configured), /healthz and /metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application

from bot import metrics
from bot.db.stats import count_users
from bot.reminders.tick import ReminderTicker
from bot.services import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DB_CHECK_TIMEOUT = 3.0


@dataclass(frozen=True)
class Webhook:
    path: str
    secret: str


@dataclass
class WebServer:
    application: Application  # type: ignore[type-arg]
    services: Services
    ticker: ReminderTicker | None
    webhook: Webhook | None = None

    def webhook_routes(self) -> web.Application:
        """The public side: only Telegram's webhook."""
        assert self.webhook is not None
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.webhook.path, self.receive_update)
        return app

    def health_routes(self) -> web.Application:
        """The operator's side: /healthz and /metrics."""
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def receive_update(self, request: web.Request) -> web.Response:
        """Accept an update from Telegram only with the secret token we registered."""
        assert self.webhook is not None
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.webhook.secret.encode()):
            log.warning("webhook request without the right secret token was rejected")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, self.application.bot)
        except (json.JSONDecodeError, ValueError, TypeError, KeyError):
            return web.Response(status=400, text="bad update")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def healthz(self, _request: web.Request) -> web.Response:
        """200 when the database answers and the reminder tick is alive; 503 otherwise."""
        checks: dict[str, str] = {"database": "ok", "scheduler": "ok"}
        try:
            async with asyncio.timeout(DB_CHECK_TIMEOUT), self.services.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any driver or timeout error means "not healthy"
            checks["database"] = f"error: {type(error).__name__}"
        if self.ticker is not None:
            max_silence = max(60.0, 10 * self.services.settings.tick_seconds)
            if not self.ticker.is_alive(max_silence):
                checks["scheduler"] = "not ticking"
        healthy = all(value == "ok" for value in checks.values())
        return web.json_response(checks, status=200 if healthy else 503)

    async def metrics(self, _request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(DB_CHECK_TIMEOUT), self.services.sessions() as session:
                counts = await count_users(session)
            metrics.ACTIVE_USERS.set(counts.active)
            metrics.SCHEDULED_USERS.set(counts.scheduled)
        except Exception:  # the counters are still worth serving without the gauges
            log.warning("could not refresh user gauges for /metrics", exc_info=True)
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=5.0)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
