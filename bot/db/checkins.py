"""Pain check-in answers: the answer and the user's local date, nothing more."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import Checkin


async def record_checkin(session: AsyncSession, user_id: int, answer: str, on: date) -> None:
    """Store the day's answer; a second press the same day replaces the first."""
    statement = insert_for(session, Checkin).values(user_id=user_id, answer=answer, answered_on=on)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Checkin.user_id, Checkin.answered_on],
            set_={"answer": statement.excluded.answer},
        )
    )


async def checkin_answers(session: AsyncSession, user_id: int) -> list[tuple[date, str]]:
    """Every answer the user gave, oldest first."""
    rows = await session.execute(
        select(Checkin.answered_on, Checkin.answer)
        .where(Checkin.user_id == user_id)
        .order_by(Checkin.answered_on)
    )
    return [(on, answer) for on, answer in rows]
