"""Lateness you can see: /stats and /metrics show what the due queue implies at the send
rates, and the log warns when that is over the target."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.catalog import Catalog
from bot.db.engine import create_engine, create_session_factory
from bot.db.users import ensure_user
from bot.runner import Mode
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, Chat, make_settings
from tests.e2e.test_operations import free_port, get, serving, wait_for

BUSY = 300  # reminders due in one minute, an hour from now


async def fill_one_minute(sessions: async_sessionmaker, at: datetime) -> None:  # type: ignore[type-arg]
    async with sessions() as session, session.begin():
        for user_id in range(10_000, 10_000 + BUSY):
            user = await ensure_user(session, user_id, user_id, at - timedelta(days=1))
            user.next_due_at = at


def busy_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(hours=1)


@pytest.mark.parametrize(
    "settings_overrides",
    [
        {
            "LIMBER_ADMIN_IDS": str(CHAT_ID),
            "LIMBER_SEND_RATE_PER_SECOND": 2,
            "LIMBER_REPLY_RESERVE_PER_SECOND": 0,  # reminders get the whole budget
        }
    ],
)
async def test_stats_show_the_busiest_minutes_and_the_lateness_they_imply(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    at = busy_minute(chat.clock.now())
    await fill_one_minute(chat.services.sessions, at)
    with caplog.at_level(logging.WARNING, logger="bot.usecases.lateness"):
        [stats] = await chat.say("/stats")
    assert f"{at:%H:%M} ({BUSY})" in stats.text
    # 300 at 2 a second: the last leaves 149.5 s after they fall due.
    assert "At 2/s: the latest reminder 150 s late (over the 60 s target)" in stats.text
    [warning] = [r.getMessage() for r in caplog.records if "over target" in r.getMessage()]
    assert f"due at {at:%H:%M} UTC would go out up to 150 s late (target 60 s)" in warning


async def test_metrics_show_the_forecast_at_the_free_and_the_paid_rate(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    engine = create_engine(sqlite_url)
    await fill_one_minute(create_session_factory(engine), busy_minute(datetime.now().astimezone()))
    await engine.dispose()
    port = free_port()
    settings = make_settings(
        api,
        sqlite_url,
        LIMBER_HEALTH_PORT=port,
        LIMBER_SEND_RATE_PER_SECOND=25,
        LIMBER_REPLY_RESERVE_PER_SECOND=0,
        LIMBER_PAID_BROADCAST_RATE=1000,
        LIMBER_PAID_BROADCAST_DAILY_STARS=100,  # without Stars there is no paid lane
        LIMBER_TARGET_LATENESS_SECONDS=5,
        LIMBER_TICK_SECONDS=0.2,
    )
    async with serving(settings, catalog, api.token, Mode.POLLING):

        async def served() -> bool:
            try:
                return (await get(f"http://127.0.0.1:{port}/metrics"))[0] == 200
            except aiohttp.ClientConnectionError:
                return False  # not listening yet

        await wait_for(served, "/metrics")
        _, body = await get(f"http://127.0.0.1:{port}/metrics")

    def gauge(name: str) -> float:
        match = re.search(rf"^{re.escape(name)} (\S+)$", body, re.MULTILINE)
        assert match, name
        return float(match.group(1))

    # 300 at 25/s: 11.96 s; paying, at 1,000/s more (1,025/s): 299/1,025 s.
    assert gauge('limber_lateness_forecast_seconds{budget="free"}') == pytest.approx(11.96)
    assert gauge('limber_lateness_forecast_seconds{budget="paid"}') == pytest.approx(299 / 1025)
    assert gauge("limber_busiest_minute_due") == BUSY
    assert gauge("limber_lateness_target_seconds") == 5
