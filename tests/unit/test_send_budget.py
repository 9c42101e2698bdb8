"""The send budget on one process (SQLite deployments): the free lane keeps its rate, a 429
holds it, and paid broadcast stops at the day's budget, counted in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, create_session_factory
from bot.db.send_budget import paid_broadcasts_on
from bot.reminders.budget import Lane, LaneRate, LocalSlots, PaidBroadcast, SendBudget

DAY = date(2026, 11, 30)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_local_slots_keep_the_rate_with_a_burst_and_a_hold() -> None:
    clock = Clock()
    slots = LocalSlots(clock)
    rate = LaneRate(10, burst=3)
    assert await slots.reserve(Lane.FREE, rate, 3) == pytest.approx(999.8)  # 3 at once
    assert await slots.reserve(Lane.FREE, rate, 5) == pytest.approx(1000.1)  # then 10 a second
    await slots.hold(Lane.FREE, 30)
    assert await slots.reserve(Lane.FREE, rate, 1) == pytest.approx(1030)
    assert await slots.reserve(Lane.PAID, rate, 1) == pytest.approx(999.8)  # its own lane


@pytest.fixture
async def sessions(sqlite_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(sqlite_url)
    yield create_session_factory(engine)
    await engine.dispose()


async def test_paid_broadcast_stops_at_the_days_budget(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    def transaction() -> AbstractAsyncContextManager[AsyncSession]:
        return _transaction(sessions)

    clock = Clock()
    budget = SendBudget(
        LocalSlots(clock),
        LaneRate(10, burst=5),
        paid=PaidBroadcast(LaneRate(1000, burst=250), per_day=12, target_lateness=60),
        transaction=transaction,
        today=lambda: DAY,
        clock=clock,
    )
    late = [600.0] * 10  # ten minutes late: over the target
    first = await budget.reserve(late)
    assert first.paid == [True] * 10
    second = await budget.reserve(late)
    # Two paid left in the day; the rest go free, at most a burst's worth at once.
    assert second.paid == [True, True, False, False, False, False, False]
    third = await budget.reserve(late)
    assert third.paid == [False] * 5  # spent: no more paid today
    async with sessions() as session:
        assert await paid_broadcasts_on(session, DAY) == 12


@asynccontextmanager
async def _transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as session, session.begin():
        yield session
