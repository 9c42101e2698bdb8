"""Finished red-flag checks: only the outcome tier, the time and the check's identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import Check


async def record_check(
    session: AsyncSession, user_id: int, tier: str, check_key: str, now: datetime
) -> bool:
    """Store a finished check once per identity; False when it was already stored (a replay).

    Insert-if-absent on the unique (user, identity) pair, so two presses racing on two
    replicas still store one row.
    """
    result = await session.execute(
        insert_for(session, Check)
        .values(user_id=user_id, tier=tier, checked_at=now, check_key=check_key)
        .on_conflict_do_nothing(index_elements=[Check.user_id, Check.check_key])
        .returning(Check.id)
    )
    return result.scalar_one_or_none() is not None
