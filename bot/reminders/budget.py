"""The reminders' send budget: slots on a free lane (and a paid one) shared by every process.

Telegram's limit is per bot, not per process, so N replicas that each pace themselves send N
times too much. Here every process reserves its slots from one bucket per lane: in PostgreSQL
(:class:`PostgresSlots`, one row per lane), in Redis (:class:`RedisSlots`, when
``LIMBER_REDIS_URL`` is set) or, for a single SQLite process, in memory (:class:`LocalSlots`).
A chunk reserves its slots in one round trip, so the store sees a few requests a second.

Paid broadcast: when the free lane would send a reminder later than the target lateness, it goes
on the paid lane (``allow_paid_broadcast``) instead, while the day's Stars budget lasts; the
count is kept per UTC day in the database, across processes and restarts.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.send_budget import (
    give_back_paid_broadcasts,
    hold_lane,
    reserve_slots,
    take_paid_broadcasts,
)
from bot.domain.pacing import choose_paid, plan_paid, within_free_limit

__all__ = [
    "Lane",
    "LaneRate",
    "LocalSlots",
    "PaidBroadcast",
    "PostgresSlots",
    "Reserved",
    "SendBudget",
    "Slots",
]

log = logging.getLogger(__name__)

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class Lane(StrEnum):
    FREE = "free"
    PAID = "paid"


@dataclass(frozen=True)
class LaneRate:
    """A lane's rate, and how many slots it may hand out at once after a quiet spell."""

    per_second: float
    burst: int = 5  # also the most a chunk sends free at once

    @property
    def interval(self) -> float:
        return 1.0 / self.per_second

    @property
    def catch_up(self) -> float:
        """Seconds of unused slots a quiet lane may still hand out at once."""
        return (self.burst - 1) * self.interval


class Slots(Protocol):
    """Where send slots come from. Times are this process's ``time.monotonic()``."""

    async def reserve(self, lane: Lane, rate: LaneRate, count: int) -> float:
        """Reserve ``count`` consecutive slots; returns when the first one is."""
        ...

    async def hold(self, lane: Lane, seconds: float) -> None:
        """No slot on ``lane`` for anyone before ``seconds`` from now (a 429)."""
        ...

    async def close(self) -> None:
        """Let go of any connection (at shutdown)."""
        ...


class LocalSlots:
    """The bucket of one process (SQLite deployments): GCRA in memory."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tat: dict[Lane, float] = {}

    async def reserve(self, lane: Lane, rate: LaneRate, count: int) -> float:
        now = self._clock()
        start = max(self._tat.get(lane, -math.inf), now - rate.catch_up)
        self._tat[lane] = start + count * rate.interval
        return start

    async def hold(self, lane: Lane, seconds: float) -> None:
        until = self._clock() + seconds
        self._tat[lane] = max(self._tat.get(lane, -math.inf), until)

    async def close(self) -> None:
        pass


class PostgresSlots:
    """The bucket in a PostgreSQL row per lane, shared by every process of the deployment."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    async def reserve(self, lane: Lane, rate: LaneRate, count: int) -> float:
        async with self._transaction() as session:
            granted = await reserve_slots(session, lane.value, count, rate.interval, rate.catch_up)
        # The database's clock to ours: the round trip's error is far below a slot.
        return time.monotonic() + (granted.start - granted.now)

    async def hold(self, lane: Lane, seconds: float) -> None:
        async with self._transaction() as session:
            await hold_lane(session, lane.value, seconds)

    async def close(self) -> None:
        pass  # the database's engine is closed with the application


@dataclass(frozen=True)
class PaidBroadcast:
    """The paid lane: its rate, how many paid messages a UTC day may have, and the lateness
    beyond which a reminder goes paid."""

    rate: LaneRate
    per_day: int
    target_lateness: float


@dataclass(frozen=True)
class Reserved:
    """Slots for a chunk: which messages go paid, and when (monotonic) all may go."""

    paid: list[bool]
    ready_at: float
    day: date

    @property
    def paid_count(self) -> int:
        return sum(self.paid)


class SendBudget:
    """Reserves the slots of each chunk on the free lane, or the paid one for the late."""

    def __init__(
        self,
        slots: Slots,
        free: LaneRate | None,
        *,
        paid: PaidBroadcast | None = None,
        transaction: Transaction | None = None,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if paid is not None and paid.per_day > 0 and transaction is None:
            raise ValueError("paid broadcast needs the database to count the day's spend")
        self._slots = slots
        self._free = free
        self._paid = paid if paid is not None and paid.per_day > 0 else None
        self._transaction = transaction
        self._today = today
        self._clock = clock
        self._free_next = -math.inf  # when this process last saw the free lane's next slot
        self._spent_day: date | None = None  # a day whose budget is known to be spent

    @property
    def per_second(self) -> float:
        """The most reminders a second this budget lets through (both lanes)."""
        free = self._free.per_second if self._free is not None else math.inf
        return free + (self._paid.rate.per_second if self._paid is not None else 0.0)

    def plan(self, lateness: Sequence[float]) -> list[bool]:
        """Which messages of a batch (``lateness`` seconds late now, in sending order) to
        plan as paid (``domain.pacing.plan_paid``); none when paid broadcast is off or
        today's budget is spent."""
        paid_lane = self._paid
        if paid_lane is None or self._free is None or self._spent_day == self._today():
            return [False] * len(lateness)
        wait = max(0.0, self._free_next - self._clock())
        return plan_paid(lateness, wait, self._free.interval, paid_lane.target_lateness)

    async def reserve(self, lateness: Sequence[float], planned: Sequence[bool] = ()) -> Reserved:
        """Slots for a chunk whose messages are ``lateness`` seconds late now, in order;
        ``planned``: those its batch's plan sends paid (``plan``).

        Reserves for a prefix of the chunk only when more would go free than the free lane
        allows at once (``Reserved.paid`` is then shorter): the rest wait for the next chunk.
        """
        day = self._today()
        paid = await self._choose_paid(lateness, planned, day)
        if self._free is not None:
            taken = within_free_limit(paid, self._free.burst)
            if taken < len(paid):
                await self._give_back(day, sum(paid[taken:]))
                paid = paid[:taken]
        ready = -math.inf
        paid_count = sum(paid)
        free_count = len(paid) - paid_count
        if paid_count and self._paid is not None:
            first = await self._slots.reserve(Lane.PAID, self._paid.rate, paid_count)
            ready = first + (paid_count - 1) * self._paid.rate.interval
        if free_count and self._free is not None:
            rate = self._free
            first = await self._slots.reserve(Lane.FREE, rate, free_count)
            self._free_next = first + free_count * rate.interval
            ready = max(ready, first + (free_count - 1) * rate.interval)
        return Reserved(paid, ready, day)

    async def give_back(self, reserved: Reserved) -> None:
        """The chunk was not sent (stopping): its paid messages are not counted."""
        await self._give_back(reserved.day, reserved.paid_count)

    async def _give_back(self, day: date, count: int) -> None:
        if count and self._transaction is not None:
            async with self._transaction() as session:
                await give_back_paid_broadcasts(session, day, count)

    async def hold(self, paid: bool, seconds: float) -> None:
        """Telegram answered 429 on a lane: nobody sends on it for ``seconds``."""
        await self._slots.hold(Lane.PAID if paid else Lane.FREE, seconds)

    async def close(self) -> None:
        await self._slots.close()

    async def _choose_paid(
        self, lateness: Sequence[float], planned: Sequence[bool], day: date
    ) -> list[bool]:
        paid_lane = self._paid
        if paid_lane is None or self._free is None or self._spent_day == day:
            return [False] * len(lateness)
        wait = max(0.0, self._free_next - self._clock())
        wanted = choose_paid(
            lateness, wait, self._free.interval, paid_lane.target_lateness, len(lateness), planned
        )
        count = sum(wanted)
        if not count:
            return wanted
        assert self._transaction is not None
        async with self._transaction() as session:
            granted = await take_paid_broadcasts(session, day, count, paid_lane.per_day)
        if granted < count:
            self._spent_day = day  # no more paid sends today: the rest go free (later)
            log.warning("the paid broadcast budget for %s is spent: reminders go free", day)
        # The first `granted` of those chosen stay paid; the others go free.
        kept = 0
        chosen = []
        for want in wanted:
            keep = want and kept < granted
            kept += keep
            chosen.append(keep)
        return chosen


async def wait_until(ready_at: float, clock: Callable[[], float] = time.monotonic) -> None:
    """Sleep until ``ready_at`` (monotonic)."""
    delay = ready_at - clock()
    if delay > 0:
        await asyncio.sleep(delay)
