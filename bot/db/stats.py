"""Counts for operators (/stats): no user is ever named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Check, Delivery, User


@dataclass(frozen=True)
class Stats:
    users: int
    active: int
    scheduled: int
    deliveries_today: dict[str, int]
    checks_by_tier: dict[str, int]


async def collect_stats(session: AsyncSession, day_start: datetime) -> Stats:
    async def count(*conditions: object) -> int:
        statement = select(func.count()).select_from(User)
        for condition in conditions:
            statement = statement.where(condition)  # type: ignore[arg-type]
        return int(await session.scalar(statement) or 0)

    deliveries = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.claimed_at >= day_start)
        .group_by(Delivery.status)
    )
    checks = await session.execute(select(Check.tier, func.count()).group_by(Check.tier))
    return Stats(
        users=await count(),
        active=await count(User.active == true()),
        scheduled=await count(User.active == true(), User.next_due_at.is_not(None)),
        deliveries_today={status: n for status, n in deliveries.all()},
        checks_by_tier={tier: n for tier, n in checks.all()},
    )
