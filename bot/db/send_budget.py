"""The send budget in the database: a token bucket per lane shared by every process (PostgreSQL),
and the count of paid broadcasts per UTC day (both engines).

The bucket is GCRA on one row per lane: ``tat`` is the instant (the database's clock, epoch
seconds) from which the next slot is free. Reserving ``n`` slots moves it on by ``n`` emission
intervals in one atomic ``UPDATE``, so processes that reserve at the same time get disjoint
slots, and together they send at the lane's rate, however many they are.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, cast

from sqlalchemy import Table, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import PaidBroadcastDay

# One statement: the first reservation creates the lane's row. `now` is the database's own
# clock, the one clock every process shares.
_RESERVE = text(
    """
    WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS now)
    INSERT INTO send_budget (lane, tat)
    SELECT :lane, clock.now - CAST(:burst AS float8) + CAST(:span AS float8) FROM clock
    ON CONFLICT (lane) DO UPDATE
    SET tat = greatest(send_budget.tat, (SELECT now FROM clock) - CAST(:burst AS float8))
        + CAST(:span AS float8)
    RETURNING send_budget.tat - CAST(:span AS float8), (SELECT now FROM clock)
    """
)
_HOLD = text(
    """
    WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS now)
    INSERT INTO send_budget (lane, tat)
    SELECT :lane, clock.now + CAST(:seconds AS float8) FROM clock
    ON CONFLICT (lane) DO UPDATE
    SET tat = greatest(send_budget.tat, (SELECT now FROM clock) + CAST(:seconds AS float8))
    """
)


class Reservation(NamedTuple):
    """Slots reserved on a lane: the first is at ``start``, the rest follow at the lane's
    interval; ``now`` is when the database granted them (same clock as ``start``)."""

    start: float
    now: float


async def reserve_slots(
    session: AsyncSession, lane: str, count: int, emission: float, burst: float
) -> Reservation:
    """Reserve ``count`` consecutive slots of ``emission`` seconds on ``lane`` (PostgreSQL).

    ``burst`` is how many seconds of unused slots a lane may catch up on at once.
    """
    row = (
        await session.execute(_RESERVE, {"lane": lane, "burst": burst, "span": count * emission})
    ).one()
    return Reservation(float(row[0]), float(row[1]))


async def hold_lane(session: AsyncSession, lane: str, seconds: float) -> None:
    """No slot on ``lane`` before ``seconds`` from now (Telegram answered 429), for every
    process (PostgreSQL)."""
    await session.execute(_HOLD, {"lane": lane, "seconds": seconds})


async def take_paid_broadcasts(session: AsyncSession, day: date, wanted: int, cap: int) -> int:
    """Count up to ``wanted`` more paid messages on ``day``, never past ``cap`` in the day;
    returns how many were granted (0 once the day's budget is spent)."""
    if wanted <= 0 or cap <= 0:
        return 0
    table = cast(Table, PaidBroadcastDay.__table__)
    await session.execute(
        insert_for(session, table)
        .values(day=day, messages=0)
        .on_conflict_do_nothing(index_elements=[table.c.day])
    )
    # Locked, so concurrent processes count one after the other (SQLite: the write lock).
    sent = await session.scalar(
        select(PaidBroadcastDay.messages).where(PaidBroadcastDay.day == day).with_for_update()
    )
    granted = max(0, min(wanted, cap - int(sent or 0)))
    if granted:
        await session.execute(
            update(PaidBroadcastDay)
            .where(PaidBroadcastDay.day == day)
            .values(messages=PaidBroadcastDay.messages + granted)
        )
    return granted


async def give_back_paid_broadcasts(session: AsyncSession, day: date, count: int) -> None:
    """Uncount paid messages that were granted but never sent (the chunk was stopped)."""
    if count > 0:
        await session.execute(
            update(PaidBroadcastDay)
            .where(PaidBroadcastDay.day == day)
            .values(messages=PaidBroadcastDay.messages - count)
        )


async def paid_broadcasts_on(session: AsyncSession, day: date) -> int:
    """Paid messages counted on ``day``."""
    sent = await session.scalar(
        select(PaidBroadcastDay.messages).where(PaidBroadcastDay.day == day)
    )
    return int(sent or 0)
