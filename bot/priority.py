"""People first: the reminder tick yields to updates from people being handled.

A reply shares the process with the tick: the event loop, and on SQLite the one writer lock.
While any update is being handled, the tick waits (a bounded time) before each step that
costs the loop or takes the write lock: claiming, composing and pacing a chunk, recording
results. So a reply never queues behind a reminder burst, and a steady stream of updates slows
reminders down by at most ``max_wait`` a step, never stops them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

__all__ = ["PeopleFirst"]


class PeopleFirst:
    """Counts updates in progress; :meth:`yield_to_people` waits until there are none."""

    def __init__(self, max_wait: float = 0.02) -> None:
        self._max_wait = max_wait
        self._busy = 0
        self._idle: asyncio.Event | None = None

    @property
    def busy(self) -> int:
        """Updates being handled now."""
        return self._busy

    @contextlib.contextmanager
    def handling(self) -> Iterator[None]:
        """Around the handling of one update."""
        self._busy += 1
        if self._idle is not None:
            self._idle.clear()
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy and self._idle is not None:
                self._idle.set()

    async def yield_to_people(self) -> None:
        """Return when no update is being handled, or after ``max_wait`` seconds."""
        if not self._busy:
            return
        if self._idle is None:
            self._idle = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._max_wait):
                await self._idle.wait()
