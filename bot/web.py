"""The bot's HTTP server: Telegram's webhook (when configured), /healthz and /metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot import metrics
from bot.db.app_state import write_heartbeat
from bot.db.reminders import THIS_PROCESS
from bot.db.send_budget import paid_broadcasts_on
from bot.db.stats import count_users
from bot.domain.forecast import FREE, Outlook
from bot.domain.pacing import stars_for
from bot.domain.stats import Retention
from bot.reminders.tick import ReminderTicker
from bot.services import Services
from bot.transport import ApiContact
from bot.usecases import admin

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DB_CHECK_TIMEOUT = 3.0
# Asking Telegram directly (getMe) when the bot has not heard from it lately.
PROBE_TIMEOUT = 3.0
# A connection must bring a whole request's headers within this long of opening (and may
# then idle as long between requests); the body must arrive within BODY_TIMEOUT. Telegram
# sends both at once, so only a slow or idle client is cut off, and none can pile up.
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
MAX_BODY = 1024 * 1024
# Update ids already taken from the webhook, to drop a replayed POST: Telegram resends an
# update only when it got no answer, so a short memory is enough.
SEEN_UPDATES = 1024
# Retention reads the activity log: refreshed at most this often however often /metrics is
# scraped (it changes slowly, and one count per user per day is not worth a scrape's cost),
# in the background, so a scrape never waits for it (a big database may take seconds).
RETENTION_REFRESH_SECONDS = 300.0
RETENTION_TIMEOUT = 60.0


class RecentIds:
    """The last ``size`` ids added, for "seen before?" (oldest forgotten first)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def add(self, item: int) -> bool:
        """Remember ``item``; False if it was remembered already."""
        if item in self._ids:
            return False
        self._ids[item] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


@dataclass(frozen=True)
class Webhook:
    path: str
    secret: str


@dataclass
class WebServer:
    application: Application  # type: ignore[type-arg]
    services: Services
    ticker: ReminderTicker | None
    contact: ApiContact
    webhook: Webhook | None = None
    _seen: RecentIds = field(default_factory=lambda: RecentIds(SEEN_UPDATES))
    _probe: asyncio.Lock = field(default_factory=asyncio.Lock)
    _retention_at: float | None = None  # monotonic time the last retention refresh started
    _retention_task: asyncio.Task[None] | None = None

    def webhook_routes(self) -> web.Application:
        """The public side: only Telegram's webhook."""
        assert self.webhook is not None
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.webhook.path, self.receive_update)
        return app

    def health_routes(self) -> web.Application:
        """The operator's side: /healthz and /metrics."""
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def receive_update(self, request: web.Request) -> web.Response:
        """Accept an update from Telegram only with the secret token we registered, only a
        well-formed one (400 otherwise, never a traceback), and each update id only once."""
        assert self.webhook is not None
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.webhook.secret.encode()):
            log.warning("webhook request without the right secret token was rejected")
            return web.Response(status=403, text="forbidden")
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                body = await request.read()
        except TimeoutError:
            return web.Response(status=408, text="request body too slow")
        update = self._parse(body)
        if update is None:
            log.warning("webhook request with a malformed update was rejected")
            return web.Response(status=400, text="bad update")
        if not self._seen.add(update.update_id):
            log.info("update %d arrived again; already handled", update.update_id)
            return web.Response(text="ok")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    def _parse(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                return None
            return Update.de_json(data, self.application.bot)
        except Exception:  # whatever a malformed update makes the JSON or PTB's parser raise
            return None

    async def healthz(self, _request: web.Request) -> web.Response:
        """200 when every check passes, else 503; the body names each check's state:
        the database takes a write, the reminder tick is alive, Telegram answers."""
        checks = {
            "database": await self._database_check(),
            "scheduler": self._scheduler_check(),
            "telegram": await self._telegram_check(),
        }
        healthy = all(value == "ok" for value in checks.values())
        return web.json_response(checks, status=200 if healthy else 503)

    async def _database_check(self) -> str:
        """A real write (the heartbeat row): a database that answers SELECT 1 may still refuse
        writes (disk full, read-only), and a deleted SQLite file still takes them."""
        stamp = f"{datetime.now(UTC).isoformat(timespec='seconds')} {THIS_PROCESS}"
        try:
            async with asyncio.timeout(DB_CHECK_TIMEOUT), self.services.transaction() as session:
                await write_heartbeat(session, stamp)
        except Exception as error:  # any driver, timeout or lost-file error: not healthy
            first_line = next(iter(str(error).splitlines()), "")  # not the SQL that follows
            return f"error: {type(error).__name__}: {first_line}"[:300]
        return "ok"

    def _scheduler_check(self) -> str:
        if self.ticker is None:
            return "ok"
        max_silence = max(60.0, 10 * self.services.settings.tick_seconds)
        return "ok" if self.ticker.is_alive(max_silence) else "not ticking"

    async def _telegram_check(self) -> str:
        """Some Bot API call answered lately; if none did (a quiet webhook or worker makes
        few), ask Telegram once (getMe) before calling it unreachable."""
        limit = self.services.settings.health_telegram_seconds
        if not self._heard_within(limit):
            async with self._probe:  # one probe at a time
                if not self._heard_within(limit):
                    try:
                        async with asyncio.timeout(PROBE_TIMEOUT):
                            await self.application.bot.get_me()
                    except (TelegramError, TimeoutError):
                        pass  # the transport has recorded why
        if self._heard_within(limit):
            return "ok"
        silence = self.contact.silence()
        since = "since start" if silence is None else f"for {silence:.0f} s"
        return f"no answer from the Bot API {since} ({self.contact.last_failure})"

    def _heard_within(self, seconds: float) -> bool:
        silence = self.contact.silence()
        return silence is not None and silence < seconds

    async def metrics(self, _request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(DB_CHECK_TIMEOUT), self.services.sessions() as session:
                counts = await count_users(session)
                paid = await paid_broadcasts_on(session, self.services.clock.now().date())
            metrics.ACTIVE_USERS.set(counts.active)
            metrics.SCHEDULED_USERS.set(counts.scheduled)
            if self.ticker is not None:
                set_lateness_gauges(await self.ticker.lateness.outlook(self.services))
            metrics.PAID_BROADCASTS_TODAY.set(paid)
            metrics.PAID_BROADCAST_STARS_TODAY.set(stars_for(paid))
        except Exception:  # the counters are still worth serving without the gauges
            log.warning("could not refresh user gauges for /metrics", exc_info=True)
        self._refresh_retention()
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    def _refresh_retention(self) -> None:
        """Start a retention refresh if the last one is old; this scrape serves the values
        already there (none before the first refresh ends)."""
        now = time.monotonic()
        if self._retention_at is not None and now - self._retention_at < RETENTION_REFRESH_SECONDS:
            return
        self._retention_at = now  # also after a failure: the next try waits its turn
        self._retention_task = asyncio.create_task(self._collect_retention())

    async def _collect_retention(self) -> None:
        try:
            async with asyncio.timeout(RETENTION_TIMEOUT):
                retention = await admin.retention(self.services)
        except Exception:  # served without fresh retention until the next refresh
            log.warning("could not refresh retention gauges for /metrics", exc_info=True)
            return
        set_retention_gauges(retention)


def set_retention_gauges(retention: Retention) -> None:
    for day in retention.days:
        metrics.RETENTION_ELIGIBLE.labels(day=str(day.day)).set(day.eligible)
        metrics.RETENTION_ACTIVE.labels(day=str(day.day)).set(day.active)
    metrics.WEEKLY_ACTIVE_USERS.set(retention.weekly_active)
    metrics.SESSIONS_WEEK.set(retention.sessions_week)
    metrics.STRETCHES_DONE_WEEK.set(retention.stretches_done_week)


def set_lateness_gauges(outlook: Outlook) -> None:
    for budget, forecast in outlook.forecasts.items():
        metrics.LATENESS_FORECAST.labels(budget=budget).set(forecast.worst_lateness_seconds)
    free = outlook.forecasts[FREE]
    metrics.BUSIEST_MINUTE_DUE.set(free.busiest[0].due if free.busiest else 0)
    metrics.LATENESS_TARGET.set(outlook.target_seconds)


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    # keepalive_timeout also bounds how long a new connection may take to send its headers.
    runner = web.AppRunner(
        app,
        access_log=None,
        handle_signals=False,
        shutdown_timeout=2.0,
        keepalive_timeout=HEADER_TIMEOUT,
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
