"""The activity log: what was sent to or done by a user, and when."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

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
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        Activity(user_id=user_id, kind=kind.value, stretch_id=stretch_id, at=at, detail=detail)
    )


async def recent_stretches(
    session: AsyncSession, user_ids: Sequence[int], now: datetime
) -> dict[int, list[str]]:
    """Stretches shown to each user in the last week (guided sessions' steps included),
    newest first: one query for a batch."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Activity.user_id, Activity.stretch_id, Activity.detail)
        .where(
            Activity.user_id.in_(user_ids),
            Activity.kind.in_([kind.value for kind in (*SHOWING_KINDS, ActivityKind.SESSION)]),
            Activity.at >= now - timedelta(days=RECENT_DAYS),
        )
        .order_by(Activity.at.desc(), Activity.id.desc())
    )
    recent: dict[int, list[str]] = defaultdict(list)
    for user_id, stretch_id, detail in rows:
        if stretch_id is not None:
            recent[user_id].append(stretch_id)
        elif detail:
            recent[user_id].extend(reversed(session_stretches(detail)))
    return recent


def session_stretches(detail: dict[str, Any], *, done_only: bool = False) -> list[str]:
    """The stretches a finished session's record lists, in order (``done_only``: not those
    skipped)."""
    steps = detail.get("steps")
    if not isinstance(steps, list):
        return []
    return [
        str(step["id"])
        for step in steps
        if isinstance(step, dict)
        and "id" in step
        and (not done_only or step.get("outcome") == "done")
    ]


async def done_log(
    session: AsyncSession, user_ids: Sequence[int], since: datetime
) -> dict[int, list[tuple[datetime, str | None]]]:
    """Each user's stretches done since ``since`` (instant, stretch id), a guided session's
    done steps included: one query for a batch."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Activity.user_id, Activity.at, Activity.stretch_id, Activity.detail).where(
            Activity.user_id.in_(user_ids),
            Activity.kind.in_([ActivityKind.DONE.value, ActivityKind.SESSION.value]),
            Activity.at >= since,
        )
    )
    log: dict[int, list[tuple[datetime, str | None]]] = defaultdict(list)
    for user_id, at, stretch_id, detail in rows:
        if stretch_id is None and detail:  # a session: one entry a step done
            log[user_id].extend((at, done) for done in session_stretches(detail, done_only=True))
        else:
            log[user_id].append((at, stretch_id))
    return log


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
