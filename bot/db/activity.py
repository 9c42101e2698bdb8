"""The activity log: what was sent to or done by a user, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Activity
from bot.domain.activity import ActivityKind

SHOWING_KINDS = (ActivityKind.SHOWN, ActivityKind.REMINDER_SENT)


async def log_activity(
    session: AsyncSession,
    user_id: int,
    kind: ActivityKind,
    at: datetime,
    stretch_id: str | None = None,
) -> None:
    session.add(Activity(user_id=user_id, kind=kind.value, stretch_id=stretch_id, at=at))


async def recent_stretch_ids(session: AsyncSession, user_id: int, limit: int = 5) -> list[str]:
    """Stretches most recently shown to the user, newest first (for variety)."""
    rows = await session.scalars(
        select(Activity.stretch_id)
        .where(
            Activity.user_id == user_id,
            Activity.kind.in_([kind.value for kind in SHOWING_KINDS]),
            Activity.stretch_id.is_not(None),
        )
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(limit)
    )
    return [stretch_id for stretch_id in rows if stretch_id is not None]


async def done_times(session: AsyncSession, user_id: int, since: datetime) -> list[datetime]:
    rows = await session.scalars(
        select(Activity.at).where(
            Activity.user_id == user_id,
            Activity.kind == ActivityKind.DONE.value,
            Activity.at >= since,
        )
    )
    return list(rows)
