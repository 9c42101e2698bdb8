"""Counting the due queue by minute, for the lateness forecast, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.db.stats import due_per_minute
from bot.db.users import ensure_user

NOW = datetime(2026, 3, 2, 7, 58, 30, tzinfo=UTC)
EIGHT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
COLUMNS = (User.next_due_at, User.snooze_due_at)


async def test_every_kind_counts_in_the_minute_it_falls_due(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    queue = [  # (daily due, snooze due, active)
        (EIGHT, None, True),
        (EIGHT + timedelta(seconds=59, microseconds=999_999), None, True),
        (EIGHT, EIGHT + timedelta(seconds=30), True),  # both kinds, same minute
        (EIGHT + timedelta(minutes=1), None, True),
        (EIGHT, None, False),  # blocked the bot
        (EIGHT + timedelta(days=2), None, True),  # beyond the horizon
        (NOW - timedelta(hours=3), None, True),  # before the window
        (None, NOW - timedelta(minutes=5), True),  # overdue, within the window
    ]
    async with sessions() as session, session.begin():
        for user_id, (daily, snooze, active) in enumerate(queue, start=1):
            user = await ensure_user(session, user_id, user_id, NOW)
            user.next_due_at, user.snooze_due_at, user.active = daily, snooze, active
    async with sessions() as session:
        counts = await due_per_minute(
            session, COLUMNS, NOW - timedelta(hours=2), NOW + timedelta(hours=24)
        )
    assert counts == {
        datetime(2026, 3, 2, 7, 53, tzinfo=UTC): 1,
        EIGHT: 4,
        EIGHT + timedelta(minutes=1): 1,
    }
