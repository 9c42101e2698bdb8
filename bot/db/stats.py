"""Counts for operators (/stats): no user is ever named."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import distinct, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import plus_days, utc_day
from bot.db.models import Activity, Check, Delivery, User
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
                func.count().filter(Activity.kind == ActivityKind.DONE.value),
            ).where(*week)
        )
    ).one()
    days_used = (
        select(Activity.user_id, utc_day(session, Activity.at))
        .where(*week, acted)
        .distinct()
        .subquery()
    )
    sessions_week = await session.scalar(select(func.count()).select_from(days_used))
    return Retention(
        days=await day_retention(session, now),
        weekly_active=int(weekly[0]),
        sessions_week=int(sessions_week or 0),
        stretches_done_week=int(weekly[1]),
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
    )
