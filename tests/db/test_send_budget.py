"""The send budget in the database: slots shared by concurrent reservers (PostgreSQL), the paid
broadcasts counted per UTC day without ever passing the cap (both engines), and a 429'd
delivery back in the queue only after its retry-after."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery
from bot.db.reminders import reclaim_abandoned, requeue_deliveries
from bot.db.send_budget import (
    give_back_paid_broadcasts,
    hold_lane,
    paid_broadcasts_on,
    reserve_slots,
    take_paid_broadcasts,
)
from bot.db.stats import collect_stats
from bot.db.users import ensure_user
from bot.domain.reminders import DeliveryStatus
from bot.reminders.budget import Lane, LaneRate
from bot.reminders.kinds.stretch import stretch_kinds

DAY = date(2026, 11, 30)


async def test_paid_broadcasts_never_pass_the_days_cap(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def take(wanted: int, day: date = DAY) -> int:
        async with sessions() as session, session.begin():
            return await take_paid_broadcasts(session, day, wanted, cap=100)

    assert await take(60) == 60
    assert await take(60) == 40  # only what is left of the day
    assert await take(5) == 0
    assert await take(5, DAY + timedelta(days=1)) == 5  # a new UTC day, a new budget
    async with sessions() as session, session.begin():
        await give_back_paid_broadcasts(session, DAY, 10)
    assert await take(60) == 10
    async with sessions() as session:
        assert await paid_broadcasts_on(session, DAY) == 100
        stats = await collect_stats(session, datetime(2026, 11, 30, tzinfo=UTC))
    assert stats.paid_broadcasts_today == 100  # /stats shows it, with 10.0 Stars


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_concurrent_takers_share_one_cap(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def take() -> int:
        async with sessions() as session, session.begin():
            return await take_paid_broadcasts(session, DAY, 7, cap=100)

    granted = await asyncio.gather(*(take() for _ in range(30)))
    assert sum(granted) == 100


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_concurrent_reservations_get_disjoint_slots_at_the_rate(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    interval = 0.01  # 100 a second

    async def reserve(count: int) -> tuple[float, float]:
        async with sessions() as session, session.begin():
            granted = await reserve_slots(session, "free", count, interval, burst=0.0)
        return granted.start, granted.start + count * interval

    ranges = sorted(await asyncio.gather(*(reserve(10) for _ in range(20))))
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert start == pytest.approx(end), "one after the other, no overlap, no gap"
    first, last = ranges[0][0], ranges[-1][1]
    assert last - first == pytest.approx(200 * interval)  # 200 slots: 2 s at 100/s


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_hold_pushes_every_later_slot_back(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        before = await reserve_slots(session, "paid", 1, 0.001, burst=0.0)
        await hold_lane(session, "paid", 30)
        after = await reserve_slots(session, "paid", 1, 0.001, burst=0.0)
    assert after.start - before.now >= 29.9


async def test_a_429_refusal_waits_for_its_retry_after_then_any_process_takes_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await ensure_user(session, 1, 1, now - timedelta(days=1))
        session.add(
            Delivery(
                user_id=1,
                due_at=now,
                kind="daily",
                status=DeliveryStatus.SENDING.value,
                claimed_at=now,
                claimed_by="worker:1",
            )
        )
    async with sessions() as session, session.begin():
        delivery_id = await session.scalar(select(Delivery.id))
        assert delivery_id is not None
        await requeue_deliveries(session, [(delivery_id, 1, now + timedelta(seconds=20))])
    kinds = stretch_kinds(lambda _due: None)

    async def reclaim(at: datetime) -> list[int]:
        async with sessions() as session, session.begin():
            taken = await reclaim_abandoned(
                session,
                at,
                kinds=kinds,
                lease=timedelta(minutes=5),
                grace=timedelta(hours=2),
                limit=10,
                claimer="worker:2",
            )
        return [item.delivery_id for item in taken]

    assert await reclaim(now + timedelta(seconds=10)) == []  # Telegram said: not before 20 s
    assert await reclaim(now + timedelta(seconds=21)) == [delivery_id]  # taken at once then
    async with sessions() as session:
        row = (await session.execute(select(Delivery.status, Delivery.claimed_by))).one()
    assert tuple(row) == ("pending", "worker:2")


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """A Redis database at 127.0.0.1:6379 (LIMBER_TEST_REDIS), emptied of this test's keys."""
    redis = pytest.importorskip("redis.asyncio")
    url = os.environ.get("LIMBER_TEST_REDIS", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        await client.ping()
    except (OSError, redis.ConnectionError) as error:
        if os.environ.get("CI") == "true" and "LIMBER_TEST_REDIS" in os.environ:
            pytest.fail(f"Redis is required in CI but did not answer: {error}")
        pytest.skip(f"no Redis server answers at {url}: {error}")
    yield url
    for prefix in (PREFIX, "limber:send_budget:"):  # db 15 is the tests' own
        await client.delete(*[key async for key in client.scan_iter(f"{prefix}*")] or ["none"])
    await client.aclose()


PREFIX = "limber-test:"


async def test_redis_reservations_from_two_processes_get_disjoint_slots(redis_url: str) -> None:
    from bot.reminders.redis_slots import RedisSlots

    rate = LaneRate(100, burst=1)
    one, other = RedisSlots(redis_url, prefix=PREFIX), RedisSlots(redis_url, prefix=PREFIX)
    try:
        firsts = sorted(
            await asyncio.gather(
                *(slots.reserve(Lane.FREE, rate, 10) for slots in (one, other) for _ in range(5))
            )
        )
        gaps = [later - earlier for earlier, later in itertools.pairwise(firsts)]
        assert gaps == pytest.approx([0.1] * 9, abs=0.01)  # ten slots each, back to back
        await one.hold(Lane.FREE, 30)
        assert await other.reserve(Lane.FREE, rate, 1) - time.monotonic() > 29
    finally:
        await one.close()
        await other.close()


async def test_a_deployment_with_redis_keeps_its_budget_there(redis_url: str) -> None:
    from bot.config import Settings
    from bot.reminders.budget_setup import send_budget
    from bot.reminders.redis_slots import RedisSlots

    settings = Settings.model_validate(
        {"LIMBER_REDIS_URL": redis_url, "LIMBER_SEND_RATE_PER_SECOND": 1000}
    )
    budget = send_budget(settings, _no_database, shared=True)
    try:
        assert isinstance(budget._slots, RedisSlots)
        reserved = await budget.reserve([0.0] * 3)
        assert reserved.paid == [False] * 3
        assert reserved.ready_at - time.monotonic() < 1
    finally:
        await budget.close()


def _no_database() -> AbstractAsyncContextManager[AsyncSession]:
    raise AssertionError("the budget went to the database although Redis is configured")
