"""Counts for operators (/stats): no user is ever named."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, String, distinct, exists, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from bot.db.dialect import plus_days
from bot.db.models import Activity, Check, Delivery, User
from bot.db.send_budget import paid_broadcasts_on
from bot.domain.activity import USER_ACTIONS, ActivityKind
from bot.domain.stats import RETENTION_DAYS, DayRetention, Retention, Stats, UserCounts

WEEK = timedelta(days=7)
_ACTIONS = [kind.value for kind in USER_ACTIONS]


async def count_users(session: AsyncSession) -> UserCounts:
    """All three counts in one pass over the users table."""
    active = User.active == true()
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(active),
                func.count().filter(active, User.next_due_at.is_not(None)),
            ).select_from(User)
        )
    ).one()
    return UserCounts(users=row[0], active=row[1], scheduled=row[2])


async def day_retention(session: AsyncSession, now: datetime) -> tuple[DayRetention, ...]:
    """Day-N retention for every N in RETENTION_DAYS, in one pass over the users: for each
    user whose day N is over, one index range lookup (activity by user and time) per N."""
    columns = []
    for day in RETENTION_DAYS:
        over = User.created_at <= now - timedelta(days=day + 1)
        acted = exists().where(
            Activity.user_id == User.id,
            Activity.kind.in_(_ACTIONS),
            Activity.at >= plus_days(session, User.created_at, day),
            Activity.at < plus_days(session, User.created_at, day + 1),
        )
        columns += [func.count().filter(over), func.count().filter(over, acted)]
    row = (await session.execute(select(*columns).select_from(User))).one()
    return tuple(
        DayRetention(day, eligible=row[2 * i], active=row[2 * i + 1])
        for i, day in enumerate(RETENTION_DAYS)
    )


async def collect_retention(session: AsyncSession, now: datetime) -> Retention:
    """Retention and the last seven days' counts; the weekly ones read only the last week's
    rows (an index on activity's time, kind and user, read alone)."""
    week = (Activity.at > now - WEEK, Activity.at <= now)
    acted = Activity.kind.in_(_ACTIONS)
    weekly = (
        await session.execute(
            select(
                func.count(distinct(Activity.user_id)).filter(acted),
                func.count().filter(Activity.kind == ActivityKind.SESSION.value),
                func.count().filter(Activity.kind == ActivityKind.DONE.value),
            ).where(*week)
        )
    ).one()
    return Retention(
        days=await day_retention(session, now),
        weekly_active=int(weekly[0]),
        sessions_week=int(weekly[1]),
        stretches_done_week=int(weekly[2]),
    )


async def collect_stats(session: AsyncSession, day_start: datetime) -> Stats:
    users = await count_users(session)
    deliveries = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.claimed_at >= day_start)
        .group_by(Delivery.status)
    )
    checks = await session.execute(select(Check.tier, func.count()).group_by(Check.tier))
    return Stats(
        users=users,
        deliveries_today={status: n for status, n in deliveries.all()},
        checks_by_tier={tier: n for tier, n in checks.all()},
        paid_broadcasts_today=await paid_broadcasts_on(session, day_start.date()),
    )


def _minute_of(column: QueryableAttribute[datetime | None], dialect: str) -> ColumnElement[str]:
    """The UTC minute a due instant falls in, as 'YYYY-MM-DD HH:MM' on both engines."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI")
    # SQLite stores UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' (db.types.UTCDateTime).
    return func.substr(column, 1, 16, type_=String)


async def due_per_minute(
    session: AsyncSession,
    due_columns: Iterable[QueryableAttribute[datetime | None]],
    since: datetime,
    until: datetime,
) -> dict[datetime, int]:
    """How many active users' queue entries fall due in each minute of [since, until), over
    every kind's due column: one grouped query, each part a range scan of the kind's partial
    index."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    parts = []
    for column in due_columns:
        minute = _minute_of(column, dialect).label("minute")
        parts.append(
            select(minute, func.count().label("due"))
            # `User.active == true()` renders the literal the partial index is defined with.
            .where(User.active == true(), column >= since, column < until)
            .group_by(minute)
        )
    if not parts:
        return {}
    rows = await session.execute(union_all(*parts))
    counts: dict[datetime, int] = {}
    for text, due in rows.all():
        start = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        counts[start] = counts.get(start, 0) + due
    return counts
