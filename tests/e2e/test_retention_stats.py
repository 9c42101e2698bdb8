"""Retention for operators end to end: /stats through the sandbox and /metrics over HTTP (valid
Prometheus text), on the constructed history of tests/db/test_retention.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from bot.catalog import Catalog
from bot.db.activity import log_activity
from bot.db.engine import create_engine, create_session_factory
from bot.db.users import ensure_user
from bot.runner import Mode
from bot.sandbox.server import FakeBotApi
from tests.db.test_retention import CREATED, HISTORY, NOW
from tests.e2e.conftest import CHAT_ID, Chat, make_settings
from tests.e2e.test_operations import free_port, get, serving


async def build_history(database_url: str, shift: timedelta = timedelta(0)) -> None:
    engine = create_engine(database_url)
    try:
        sessions = create_session_factory(engine)
        async with sessions() as session, session.begin():
            for user_id, created in CREATED.items():
                await ensure_user(session, user_id, user_id, created + shift)
            for user_id, kind, at in HISTORY:
                await log_activity(session, user_id, kind, at + shift)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("settings_overrides", [{"LIMBER_ADMIN_IDS": str(CHAT_ID)}])
async def test_stats_show_retention_and_the_week(chat: Chat, sqlite_url: str) -> None:
    await build_history(sqlite_url)
    chat.clock.set(NOW)
    [stats] = await chat.say("/stats")
    assert (
        "Active after first contact: day 1: 1 of 3 (33%), day 7: 2 of 3 (67%), day 30: 1 of 2 (50%)"
    ) in stats.text
    assert "Last 7 days: 3 active users, 2 sessions, 3 stretches done" in stats.text


async def test_metrics_expose_retention_in_prometheus_text_format(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    # The served bot reads the system clock: the same history, moved to end now.
    await build_history(sqlite_url, shift=datetime.now(UTC) - NOW)
    # The gauges are the process's: forget what earlier tests' bots set.
    metrics.RETENTION_ELIGIBLE.clear()
    metrics.RETENTION_ACTIVE.clear()
    metrics.WEEKLY_ACTIVE_USERS.set(-1)
    port = free_port()
    settings = make_settings(
        api, sqlite_url, LIMBER_HEALTH_PORT=port, LIMBER_WEBHOOK_LISTEN="127.0.0.1"
    )
    async with serving(settings, catalog, api.token, Mode.WORKER):
        # The first scrape starts the retention refresh in the background; a later one shows it.
        for _ in range(200):
            try:
                status, body = await get(f"http://127.0.0.1:{port}/metrics")
            except OSError:  # not listening yet
                status, body = 0, ""
            if "limber_retention_active_users{" in body and "active_users -1.0" not in body:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("/metrics never showed retention")
    assert status == 200
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)  # raises on invalid text
        for sample in family.samples
    }
    retention = {
        (name, day): samples[(f"limber_retention_{name}_users", (("day", day),))]
        for name in ("eligible", "active")
        for day in ("1", "7", "30")
    }
    assert retention == {
        ("eligible", "1"): 3, ("active", "1"): 1,
        ("eligible", "7"): 3, ("active", "7"): 2,
        ("eligible", "30"): 2, ("active", "30"): 1,
    }  # fmt: skip
    assert samples[("limber_weekly_active_users", ())] == 3
    assert samples[("limber_sessions_last_7_days", ())] == 2
    assert samples[("limber_stretches_done_last_7_days", ())] == 3
