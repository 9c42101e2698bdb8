"""How stretches felt, and the stretches a user stopped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.stretches import Stretch
from bot.db.dialect import insert_for
from bot.db.models import StoppedStretch, StretchFeedback
from bot.domain.feedback import Answered, Feeling, hold_steps, personal_hold


async def record_feeling(
    session: AsyncSession, user_id: int, stretch_id: str, feeling: Feeling, asked_at: datetime
) -> bool:
    """Store one answer; False when this question (user, stretch, time asked) was answered."""
    result = await session.execute(
        insert_for(session, StretchFeedback)
        .values(user_id=user_id, stretch_id=stretch_id, feeling=feeling.value, asked_at=asked_at)
        .on_conflict_do_nothing(index_elements=["user_id", "stretch_id", "asked_at"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def feeling_given(
    session: AsyncSession, user_id: int, stretch_id: str, asked_at: datetime
) -> Feeling | None:
    """The answer already given to one question, if any."""
    stored = await session.scalar(
        select(StretchFeedback.feeling).where(
            StretchFeedback.user_id == user_id,
            StretchFeedback.stretch_id == stretch_id,
            StretchFeedback.asked_at == asked_at,
        )
    )
    return Feeling(stored) if stored is not None else None


async def answers_about(
    session: AsyncSession, user_id: int, stretch_ids: Collection[str]
) -> dict[str, list[Answered]]:
    """Every stored answer about each of these stretches, for the hold rule."""
    if not stretch_ids:
        return {}
    rows = await session.execute(
        select(StretchFeedback.stretch_id, StretchFeedback.feeling, StretchFeedback.asked_at).where(
            StretchFeedback.user_id == user_id, StretchFeedback.stretch_id.in_(stretch_ids)
        )
    )
    answers: dict[str, list[Answered]] = defaultdict(list)
    for stretch_id, feeling, asked_at in rows:
        answers[stretch_id].append(Answered(asked_at.date(), Feeling(feeling)))
    return answers


async def personal_holds(
    session: AsyncSession, user_id: int, stretches: Sequence[Stretch]
) -> dict[str, int]:
    """The user's own hold for each held stretch (drills have none), from their answers."""
    held = [stretch for stretch in stretches if stretch.hold_seconds is not None]
    answers = await answers_about(session, user_id, [stretch.id for stretch in held])
    return {
        stretch.id: personal_hold(stretch.hold_seconds, hold_steps(answers.get(stretch.id, [])))
        for stretch in held
        if stretch.hold_seconds is not None
    }


async def stop_stretch(session: AsyncSession, user_id: int, stretch_id: str, now: datetime) -> None:
    await session.execute(
        insert_for(session, StoppedStretch)
        .values(user_id=user_id, stretch_id=stretch_id, stopped_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "stretch_id"])
    )


async def bring_back(session: AsyncSession, user_id: int, stretch_id: str | None = None) -> int:
    """Un-stop one stretch (or all of them); how many came back."""
    statement = delete(StoppedStretch).where(StoppedStretch.user_id == user_id)
    if stretch_id is not None:
        statement = statement.where(StoppedStretch.stretch_id == stretch_id)
    result = await session.execute(statement)
    return result.rowcount or 0  # type: ignore[attr-defined]


async def stopped_stretches(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, set[str]]:
    """The stretches each user stopped: one query for a batch (the reminder claim)."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(StoppedStretch.user_id, StoppedStretch.stretch_id).where(
            StoppedStretch.user_id.in_(user_ids)
        )
    )
    stopped: dict[int, set[str]] = defaultdict(set)
    for user_id, stretch_id in rows:
        stopped[user_id].add(stretch_id)
    return stopped
