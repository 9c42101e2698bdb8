"""Counts for operators (/stats): no user is ever named."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Check, Delivery, User
from bot.db.send_budget import paid_broadcasts_on
from bot.domain.stats import Stats, UserCounts


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
