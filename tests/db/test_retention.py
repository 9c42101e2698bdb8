"""Retention counts for operators on a constructed history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.activity import acted_since, log_activity
from bot.db.stats import collect_retention
from bot.db.users import ensure_user
from bot.domain.activity import ActivityKind
from bot.domain.stats import DayRetention

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)

A, B, C, D = 1, 2, 3, 4
CREATED = {A: NOW - 40 * DAY - 2 * HOUR, B: NOW - 10 * DAY, C: NOW - 36 * HOUR, D: NOW - 60 * DAY}
# (user, kind, when relative to their first contact or to NOW)
HISTORY = [
    (A, ActivityKind.DONE, CREATED[A] + DAY + HOUR),  # day 1
    (A, ActivityKind.SHOWN, CREATED[A] + 8 * DAY - MINUTE),  # the last minute of day 7
    (A, ActivityKind.REMINDER_SENT, CREATED[A] + 30 * DAY + HOUR),  # day 30: only received
    (A, ActivityKind.DONE, NOW - 2 * DAY),  # this week, twice on one UTC day
    (A, ActivityKind.DONE, NOW - 2 * DAY + SECOND),  # (a second apart: the e2e test shifts it)
    (B, ActivityKind.DONE, CREATED[B] + 2 * DAY),  # day 2: neither day 1 nor day 7
    (B, ActivityKind.SNOOZED, CREATED[B] + 7 * DAY),  # the first instant of day 7
    (B, ActivityKind.SKIPPED, CREATED[B] + 8 * DAY),  # day 8 (this week)
    (C, ActivityKind.DONE, CREATED[C] + DAY + HOUR),  # day 1, but day 1 is not over for C
    (D, ActivityKind.DONE, CREATED[D] + 30 * DAY + 12 * HOUR),  # day 30
    (D, ActivityKind.DONE, NOW - 7 * DAY - MINUTE),  # just before this week
    (D, ActivityKind.REMINDER_SENT, NOW - DAY),  # received, did nothing
    (B, ActivityKind.SESSION, NOW - 3 * DAY + 2 * HOUR),  # a guided session this week (day 7)
    (C, ActivityKind.SESSION, NOW - 2 * HOUR),  # and another
    (A, ActivityKind.SESSION, NOW - 8 * DAY),  # one before this week
    (A, ActivityKind.DONE, NOW + MINUTE),  # after the collection instant: not counted
]


async def test_retention_on_a_constructed_history(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        for user_id, created in CREATED.items():
            await ensure_user(session, user_id, user_id, created)
        for user_id, kind, at in HISTORY:
            await log_activity(session, user_id, kind, at)
    async with sessions() as session:
        retention = await collect_retention(session, NOW)
    assert retention.days == (
        DayRetention(1, eligible=3, active=1),  # A, B, D are past day 1; only A acted on it
        DayRetention(7, eligible=3, active=2),  # A (last minute) and B (first instant)
        DayRetention(30, eligible=2, active=1),  # A and D are past day 30; a reminder is not
    )
    assert retention.weekly_active == 3  # A, B and C; D only received a reminder
    assert retention.sessions_week == 2  # guided sessions finished: B's and C's
    assert retention.stretches_done_week == 3  # A twice, C once


async def test_who_acted_lately_for_the_checkin(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        for user_id, created in CREATED.items():
            await ensure_user(session, user_id, user_id, created)
        for user_id, kind, at in HISTORY:
            await log_activity(session, user_id, kind, at)
    async with sessions() as session:
        assert await acted_since(session, [A, B, C, D], NOW - 7 * DAY) == {A, B, C}
        assert await acted_since(session, [A, B, D], NOW - 7 * DAY - MINUTE) == {A, B, D}
        assert await acted_since(session, [], NOW) == set()


async def test_retention_with_nobody(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        retention = await collect_retention(session, NOW)
    assert [(d.eligible, d.active) for d in retention.days] == [(0, 0)] * 3
    assert (retention.weekly_active, retention.sessions_week, retention.stretches_done_week) == (
        0,
        0,
        0,
    )


async def test_day_windows_are_exact_to_the_microsecond(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # SQLite's date functions round to milliseconds: the windows must not follow them.
    created = NOW - 10 * DAY + timedelta(microseconds=999_700)
    micro = timedelta(microseconds=1)
    async with sessions() as session, session.begin():
        for user_id in (1, 2, 3):
            await ensure_user(session, user_id, user_id, created)
        await log_activity(session, 1, ActivityKind.DONE, created + 2 * DAY)  # day 2 starts
        await log_activity(session, 2, ActivityKind.DONE, created + 2 * DAY - micro)  # day 1
        await log_activity(session, 3, ActivityKind.DONE, created + DAY - micro)  # day 0
    async with sessions() as session:
        retention = await collect_retention(session, NOW)
    assert retention.days[0] == DayRetention(1, eligible=3, active=1)
