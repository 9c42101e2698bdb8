"""The system clock jumps back ten minutes, then forward: the reminder tick keeps coming (it
used to stop until the wall clock caught up) and each due reminder is sent exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from random import Random

import pytest

from bot.app import build_application, started
from bot.catalog import Catalog
from bot.reminders.clock_watch import Reading, clock_jump
from bot.sandbox.server import FakeBotApi
from bot.services import Services
from tests.e2e.conftest import make_settings
from tests.e2e.test_operations import wait_for


def test_clock_jump_is_the_wall_clock_moving_apart_from_the_monotonic_one() -> None:
    start = Reading(wall=1_000_000.0, monotonic=50.0)
    assert clock_jump(start, Reading(1_000_005.0, 55.0)) == 0
    assert clock_jump(start, Reading(1_000_005.0 - 600, 55.0)) == -600
    assert clock_jump(start, Reading(1_000_005.0 + 600, 55.0)) == 600
    # A busy event loop delays both clocks alike: no jump.
    assert clock_jump(start, Reading(1_000_035.0, 85.0)) == 0


class WallClock:
    """The system clock as the bot and APScheduler see it: real time plus an offset that a
    test changes, as an operator or a bad NTP server would."""

    offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> Iterator[WallClock]:
    clock = WallClock()

    class SchedulerDatetime(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return clock.now().astimezone(tz)  # type: ignore[arg-type]

    # APScheduler reads the wall clock through this name to decide what is due.
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", SchedulerDatetime)
    yield clock


async def due_at(services: Services, user_id: int, instant: datetime) -> None:
    from bot.db.users import ensure_user

    async with services.transaction() as session:
        user = await ensure_user(session, user_id, user_id, instant - timedelta(days=1))
        user.reminder_time = instant.time()
        user.next_due_at = instant


async def test_ticks_go_on_through_jumps_and_each_reminder_is_sent_once(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, wall: WallClock
) -> None:
    settings = make_settings(api, sqlite_url, LIMBER_TICK_SECONDS=0.2)
    app = build_application(settings, catalog, token=api.token, clock=wall, rng=Random(1))
    services, ticker = app.services, app.ticker
    for chat in (1, 2, 3):
        api.register_chat(chat)

    async def ticked_since(moment: float) -> bool:
        return ticker.last_progress is not None and ticker.last_progress > moment

    async with started(app):
        await due_at(services, 1, wall.now() - timedelta(minutes=1))
        await api.wait_for_bot_messages(1, after=0)

        wall.offset -= timedelta(minutes=10)  # the clock is set back
        jumped = time.monotonic()
        await wait_for(lambda: ticked_since(jumped + 0.5), "a tick after the jump back", 5)
        await due_at(services, 2, wall.now() - timedelta(seconds=30))
        await api.wait_for_bot_messages(2, after=0, timeout=5)

        await due_at(services, 3, wall.now() + timedelta(minutes=15))
        wall.offset += timedelta(minutes=20)  # and forward, past user 3's time
        await api.wait_for_bot_messages(3, after=0, timeout=5)
        jumped = time.monotonic()
        await wait_for(lambda: ticked_since(jumped + 1), "ticks after the jump forward", 5)
    assert [len(api.messages(chat)) for chat in (1, 2, 3)] == [1, 1, 1]
