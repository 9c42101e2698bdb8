"""Keeping the reminder tick going when the system clock jumps.

APScheduler's interval trigger (behind PTB's JobQueue) keeps time by the wall clock: after the
clock is set back ten minutes, its next tick is "ten minutes away" and no reminder goes out
meanwhile (nor does /healthz stay healthy). A watch on the event loop's monotonic clock
compares the two clocks every tick interval; when the wall clock moved more than a second
apart from the monotonic one, the tick is rescheduled to run at once, and from then on it
follows the new wall clock. (Forward jumps APScheduler already survives; rescheduling then
only makes the catch-up tick come sooner.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram.ext import Job

log = logging.getLogger(__name__)

# Clock adjustments smaller than this are NTP's business (it slews at most 0.5 ms a second).
JUMP_TOLERANCE = 1.0


@dataclass(frozen=True)
class Reading:
    wall: float  # seconds since the epoch
    monotonic: float


def clock_jump(previous: Reading, current: Reading) -> float:
    """How far the wall clock moved beyond the monotonic clock between two readings, in
    seconds: negative when it was set back, positive when set forward, about 0 otherwise."""
    return (current.wall - previous.wall) - (current.monotonic - previous.monotonic)


class ClockWatch:
    """Watches for wall-clock jumps every ``interval`` seconds (monotonic) and reschedules
    ``job`` at once when one happened. ``wall`` is the clock the scheduler follows."""

    def __init__(
        self,
        job: Job,  # type: ignore[type-arg]
        interval: float,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._job = job
        self._interval = interval
        self._wall = wall
        self._monotonic = monotonic
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def read(self) -> Reading:
        return Reading(self._wall(), self._monotonic())

    async def _watch(self) -> None:
        previous = self.read()
        while True:
            await asyncio.sleep(self._interval)  # the event loop's clock is monotonic
            current = self.read()
            jump = clock_jump(previous, current)
            if abs(jump) > JUMP_TOLERANCE:
                log.warning(
                    "the system clock jumped %s by %.0f s; rescheduling the reminder tick",
                    "forward" if jump > 0 else "back",
                    abs(jump),
                )
                self._job.job.modify(next_run_time=datetime.fromtimestamp(current.wall, UTC))
            previous = current
