"""Hold timers and guided sessions in progress: at most one of each per user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, bindparam, case, delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuidedSession, Timer, User
from bot.db.types import UTCDateTime


@dataclass(frozen=True)
class DueTimer:
    """A timer with an event due, as the tick read it (with its user's language)."""

    user_id: int
    chat_id: int
    message_id: int
    stretch_id: str
    hold_seconds: int
    holds: int
    session_token: int | None
    session_step: int | None
    started_at: datetime
    step: int
    language: str | None


async def get_timer(session: AsyncSession, user_id: int) -> Timer | None:
    return await session.get(Timer, user_id)


async def replace_timer(session: AsyncSession, timer: Timer) -> Timer | None:
    """Store ``timer`` as the user's one timer; the one it replaces (deleted), if any."""
    old = await session.get(Timer, timer.user_id)
    if old is not None:
        await session.delete(old)
        await session.flush()
    session.add(timer)
    return old


async def delete_timer(session: AsyncSession, user_id: int) -> Timer | None:
    """Remove the user's timer; the removed row (detached values), if there was one."""
    timer = await session.get(Timer, user_id)
    if timer is not None:
        await session.delete(timer)
    return timer


# A tick reads at most this many due timers: far more than Telegram lets one second carry.
DUE_BATCH = 1000


async def due_timers(
    session: AsyncSession, now: datetime, limit: int = DUE_BATCH
) -> list[DueTimer]:
    """Timers with an event due by ``now`` whose countdown message exists, the longest
    waiting first."""
    rows = await session.execute(
        select(
            Timer.user_id,
            Timer.chat_id,
            Timer.message_id,
            Timer.stretch_id,
            Timer.hold_seconds,
            Timer.holds,
            Timer.session_token,
            Timer.session_step,
            Timer.started_at,
            Timer.step,
            User.language,
        )
        .join(User, User.id == Timer.user_id)
        .where(Timer.next_at <= now, Timer.message_id.is_not(None))
        .order_by(Timer.next_at)
        .limit(limit)
    )
    return [
        DueTimer(
            user_id=row[0],
            chat_id=row[1],
            message_id=row[2] or 0,
            stretch_id=row[3],
            hold_seconds=row[4],
            holds=row[5],
            session_token=row[6],
            session_step=row[7],
            started_at=row[8],
            step=row[9],
            language=row[10],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TimerMove:
    """Move a due timer past its event: to ``next_index``, due at ``next_at`` (None: the
    timer is over and its row goes)."""

    due: DueTimer
    next_index: int
    next_at: datetime | None


async def take_timer_steps(session: AsyncSession, moves: Sequence[TimerMove]) -> set[int]:
    """Compare-and-set on each timer's step, in two statements for the whole batch: the users
    whose move this caller won (another process may have taken some events first)."""
    key = tuple_(Timer.user_id, Timer.started_at, Timer.step)
    won: set[int] = set()
    going = [move for move in moves if move.next_at is not None]
    ending = [move for move in moves if move.next_at is None]
    if going:
        result = await session.execute(
            update(Timer)
            .where(key.in_([_key(move) for move in going]))
            .values(
                step=case(
                    {move.due.user_id: move.next_index for move in going}, value=Timer.user_id
                ),
                next_at=case(
                    *((Timer.user_id == move.due.user_id, _instant(move.next_at)) for move in going)
                ),
            )
            .returning(Timer.user_id)
            .execution_options(synchronize_session=False)
        )
        won.update(result.scalars())
    if ending:
        result = await session.execute(
            delete(Timer)
            .where(key.in_([_key(move) for move in ending]))
            .returning(Timer.user_id)
            .execution_options(synchronize_session=False)
        )
        won.update(result.scalars())
    return won


def _key(move: TimerMove) -> tuple[int, datetime, int]:
    return (move.due.user_id, move.due.started_at, move.due.step)


def _instant(value: datetime | None) -> BindParameter[datetime]:
    return bindparam(None, value, type_=UTCDateTime())


async def get_guided_session(
    session: AsyncSession, user_id: int, *, for_update: bool = False
) -> GuidedSession | None:
    """The user's session in progress; ``for_update`` locks its row (PostgreSQL) so that two
    replicas handling the same press cannot both move it on or finish it."""
    return await session.get(GuidedSession, user_id, with_for_update=for_update)


async def replace_guided_session(session: AsyncSession, guided: GuidedSession) -> None:
    """Store ``guided`` as the user's session in progress, dropping an unfinished one."""
    await session.execute(delete(GuidedSession).where(GuidedSession.user_id == guided.user_id))
    session.add(guided)
