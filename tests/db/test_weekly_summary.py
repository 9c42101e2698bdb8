"""The weekly summary through the real claim, on SQLite and PostgreSQL: one delivery per week
across a DST change, never twice for two claimers, the audience rules, and off clears it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from bot.db.models import Delivery, User
from bot.db.reminders import claim_due_reminders
from bot.db.users import ensure_user
from bot.reminders.kinds.weekly import WeeklySummary

CATALOG = load_catalog(DEFAULT_CONTENT_DIR)
WEEKLY = [WeeklySummary(CATALOG)]
GRACE = timedelta(hours=2)
CREATED = datetime(2026, 10, 10, 9, 0, tzinfo=UTC)
# Sundays at 18:00 in Berlin: CEST, then CET after the change on 25 October 2026.
SUNDAYS = [
    datetime(2026, 10, 18, 16, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 17, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 17, 0, tzinfo=UTC),
]


async def add_user(
    sessions: async_sessionmaker[AsyncSession], user_id: int, **values: object
) -> None:
    async with sessions() as session, session.begin():
        user = await ensure_user(session, user_id, user_id, CREATED)
        user.timezone, user.weekly_summary, user.weekly_due_at = "Europe/Berlin", True, SUNDAYS[0]
        for name, value in values.items():
            setattr(user, name, value)


async def claim(
    sessions: async_sessionmaker[AsyncSession], now: datetime
) -> list[tuple[int, str | None]]:
    async with sessions() as session, session.begin():
        claimed = await claim_due_reminders(session, now, kinds=WEEKLY, limit=100, grace=GRACE)
    return sorted((c.user_id, c.stretch_id) for c in claimed.deliveries)


async def test_one_a_week_across_the_dst_change(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1)
    await add_user(sessions, 2, paused=True)  # held back, like every reminder
    await add_user(sessions, 3, on_hold_since=CREATED)
    await add_user(sessions, 4, weekly_summary=False)  # turned off by an older process
    # At 09:00 on Sundays: its own grid, claimed with nobody else's.
    await add_user(
        sessions, 5, weekly_time=time(9, 0), weekly_due_at=datetime(2026, 10, 18, 7, 0, tzinfo=UTC)
    )

    cards = CATALOG.learn.cards
    assert await claim(sessions, datetime(2026, 10, 18, 7, 0, tzinfo=UTC)) == [(5, cards[1].id)]
    now = SUNDAYS[0] + timedelta(seconds=3)
    assert await claim(sessions, now) == [(1, cards[1].id)]  # 8 days after first contact
    assert await claim(sessions, now) == []  # a second claimer finds nothing
    for week, sunday in enumerate(SUNDAYS[1:], start=2):
        assert await claim(sessions, sunday - timedelta(seconds=1)) == []
        assert await claim(sessions, sunday) == [(1, cards[week].id)]
    async with sessions() as session:
        rows = (
            await session.execute(
                select(Delivery.user_id, Delivery.due_at, Delivery.status).order_by(Delivery.id)
            )
        ).all()
        users = {u.id: u for u in (await session.scalars(select(User))).all()}
    assert [(u, d, s) for u, d, s in rows if u == 1] == [(1, d, "pending") for d in SUNDAYS]
    assert users[1].weekly_due_at == datetime(2026, 11, 8, 17, 0, tzinfo=UTC)
    assert users[2].weekly_due_at == users[3].weekly_due_at == SUNDAYS[0]  # waiting, unsent
    assert users[4].weekly_due_at is None  # off: the entry is cleared, nothing sent
    # Its later Sundays were only claimed at 18:00, past the grace: skipped, never flooded.
    assert [s for u, _, s in rows if u == 5] == ["pending", "skipped", "skipped"]
    assert users[5].weekly_due_at == datetime(2026, 11, 8, 8, 0, tzinfo=UTC)  # 09:00 CET
