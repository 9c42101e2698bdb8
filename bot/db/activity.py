"""The activity log: what was sent to or done by a user, and when."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Activity, User
from bot.domain.activity import USER_ACTIONS, ActivityKind

SHOWING_KINDS = (ActivityKind.SHOWN, ActivityKind.REMINDER_SENT)
# Variety looks back this far: far enough for the last few stretches of a daily user.
RECENT_DAYS = 7


async def log_activity(
    session: AsyncSession,
    user_id: int,
    kind: ActivityKind,
    at: datetime,
    stretch_id: str | None = None,
) -> None:
    session.add(Activity(user_id=user_id, kind=kind.value, stretch_id=stretch_id, at=at))


async def recent_stretches(
    session: AsyncSession, user_ids: Sequence[int], now: datetime
) -> dict[int, list[str]]:
    """Stretches shown to each user in the last week, newest first: one query for a batch."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Activity.user_id, Activity.stretch_id)
        .where(
            Activity.user_id.in_(user_ids),
            Activity.kind.in_([kind.value for kind in SHOWING_KINDS]),
            Activity.at >= now - timedelta(days=RECENT_DAYS),
            Activity.stretch_id.is_not(None),
        )
        .order_by(Activity.at.desc(), Activity.id.desc())
    )
    recent: dict[int, list[str]] = defaultdict(list)
    for user_id, stretch_id in rows:
        if stretch_id is not None:
            recent[user_id].append(stretch_id)
    return recent


async def done_times(session: AsyncSession, user_id: int, since: datetime) -> list[datetime]:
    rows = await session.scalars(
        select(Activity.at).where(
            Activity.user_id == user_id,
            Activity.kind == ActivityKind.DONE.value,
            Activity.at >= since,
        )
    )
    return list(rows)


async def acted_since(session: AsyncSession, user_ids: Sequence[int], since: datetime) -> set[int]:
    """Which of ``user_ids`` did something (not just received a reminder) since ``since``: one
    query, an index lookup per user that stops at the first entry found."""
    if not user_ids:
        return set()
    acted = exists().where(
        Activity.user_id == User.id,
        Activity.at >= since,
        Activity.kind.in_([kind.value for kind in USER_ACTIONS]),
    )
    return set(await session.scalars(select(User.id).where(User.id.in_(user_ids), acted)))
