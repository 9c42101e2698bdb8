"""A kind the bot does not have goes through the real claim unchanged: its own due column, rule,
audience and choice, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery, User
from bot.db.reminders import (
    claim_due_reminders,
    reclaim_abandoned,
    start_sending,
)
from bot.db.users import ensure_user
from bot.domain.reminders import DeliveryStatus
from bot.reminders.kinds.stretch import DailyStretch, DueUser
from tests.toy_kind import EVERY, ToyNudge

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
GRACE = timedelta(hours=2)
LEASE = timedelta(minutes=5)


def first_stretch(user: DueUser, recent: list[str]) -> str:
    return "glute-bridge"


DAILY_AND_TOY = [DailyStretch(first_stretch), ToyNudge()]


async def add_user(
    sessions: async_sessionmaker[AsyncSession],
    user_id: int,
    *,
    daily: datetime | None = None,
    toy: datetime | None = None,
    level: int = 1,
    paused: bool = False,
) -> None:
    async with sessions() as session, session.begin():
        user = await ensure_user(session, user_id, user_id, NOW - timedelta(days=30))
        user.reminder_time = time(7, 0)
        user.next_due_at, user.snooze_due_at = daily, toy
        user.level, user.paused = level, paused


async def claim(
    sessions: async_sessionmaker[AsyncSession], now: datetime = NOW
) -> list[tuple[int, str, str | None]]:
    async with sessions() as session, session.begin():
        claimed = await claim_due_reminders(
            session, now, kinds=DAILY_AND_TOY, limit=100, grace=GRACE
        )
    return sorted((c.user_id, c.kind, c.stretch_id) for c in claimed.deliveries)


async def queue(sessions: async_sessionmaker[AsyncSession], user_id: int) -> tuple[object, ...]:
    async with sessions() as session:
        user = await session.get(User, user_id)
    assert user is not None
    return (user.next_due_at, user.snooze_due_at)


async def test_a_new_kind_is_claimed_by_its_own_rule_audience_and_choice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    daily_due = NOW - timedelta(seconds=5)
    # Paused: the daily card waits, the toy (no audience rule) still comes.
    await add_user(sessions, 1, daily=daily_due, toy=NOW - timedelta(seconds=1), paused=True)
    # Missed by 90 minutes, within the grace: sent late, next due on the toy's hourly grid.
    await add_user(sessions, 2, toy=NOW - timedelta(minutes=90), level=2)
    await add_user(sessions, 3, toy=NOW - timedelta(hours=3))  # past the grace: skipped
    await add_user(sessions, 4, toy=NOW + timedelta(minutes=1))  # not due yet

    assert await claim(sessions) == [(1, "toy", "toy-1"), (2, "toy", "toy-2")]
    assert await claim(sessions) == []  # each due instant once
    assert await queue(sessions, 1) == (daily_due, NOW - timedelta(seconds=1) + EVERY)
    assert await queue(sessions, 2) == (None, NOW + timedelta(minutes=30))
    assert await queue(sessions, 3) == (None, NOW + EVERY)
    async with sessions() as session:
        rows = await session.execute(select(Delivery.user_id, Delivery.kind, Delivery.status))
    assert sorted(rows.all()) == [
        (1, "toy", DeliveryStatus.PENDING.value),
        (2, "toy", DeliveryStatus.PENDING.value),
        (3, "toy", DeliveryStatus.SKIPPED.value),
    ]
    # An hour later every toy is due again, each on its own grid.
    assert await claim(sessions, NOW + EVERY) == [
        (1, "toy", "toy-1"),
        (2, "toy", "toy-2"),
        (3, "toy", "toy-1"),
        (4, "toy", "toy-1"),
    ]


async def test_each_kinds_audience_is_checked_again_just_before_sending(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, daily=NOW - timedelta(seconds=1))
    await add_user(sessions, 2, toy=NOW - timedelta(seconds=1))
    async with sessions() as session, session.begin():
        claimed = (
            await claim_due_reminders(session, NOW, kinds=DAILY_AND_TOY, limit=10, grace=GRACE)
        ).deliveries
    async with sessions() as session, session.begin():
        for user_id in (1, 2):  # a red-flag outcome lands on both between claim and send
            user = await session.get(User, user_id)
            assert user is not None
            user.on_hold_since = NOW
    async with sessions() as session, session.begin():
        sending = await start_sending(session, claimed, NOW, kinds=DAILY_AND_TOY)
    assert sending == {c.delivery_id for c in claimed if c.kind == "toy"}


async def test_a_process_takes_over_only_kinds_it_knows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, toy=NOW - timedelta(seconds=1))
    assert await claim(sessions) == [(1, "toy", "toy-1")]  # then its process dies
    later = NOW + LEASE * 2
    async with sessions() as session, session.begin():
        # An older release, without the toy, leaves it to a process that can compose it.
        assert not await reclaim_abandoned(
            session, later, kinds=DAILY_AND_TOY[:1], lease=LEASE, grace=GRACE, limit=10
        )
        [recovered] = await reclaim_abandoned(
            session, later, kinds=DAILY_AND_TOY, lease=LEASE, grace=GRACE, limit=10
        )
    assert (recovered.user_id, recovered.kind, recovered.stretch_id) == (1, "toy", "toy-1")
