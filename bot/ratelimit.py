"""Pacing for outgoing reminder sends: an overall rate and a minimum spacing per chat.

Telegram asks bots to stay under about 30 messages a second overall and about one message a
second per chat; past that it answers 429 with ``retry_after``, and that flood control holds
for the whole bot. :class:`SendRateLimiter` keeps the sender inside both limits and lets a 429
hold every send back (:meth:`SendRateLimiter.pause_all`).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

__all__ = ["SendRateLimiter"]

_NEVER = -math.inf


class _Chat:
    """One chat's spacing: when its next message may go, and who is queued for it."""

    __slots__ = ("lock", "next_at", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.next_at = _NEVER
        self.users = 0


class SendRateLimiter:
    """Await :meth:`acquire` right before each send; it returns when the send may go.

    * Overall rate: a token bucket (GCRA) of ``per_second`` messages a second that holds
      ``burst`` tokens, so any window of ``w`` seconds sees at most ``burst + w * per_second``
      sends. The defaults, 25/s with a burst of 5, stay within Telegram's 30 a second.
    * Per chat: at least ``per_chat_interval`` seconds between two sends to one chat, counted
      between the moments :meth:`acquire` returns.
    * ``None`` or ``0`` disables either limit; with both off, :meth:`acquire` never sleeps
      unless :meth:`pause_all` is in force.

    Fairness: waiters for the overall rate go in arrival order (each reserves the next slot as
    it arrives, FIFO). A chat that waits for its own spacing does so before it joins that
    queue, so a backlog for one chat never holds other chats back, and it reserves no overall
    slot while it waits. Sends to one chat go in the order their :meth:`acquire` calls began.

    Memory: a chat is forgotten once its spacing has passed and nobody waits for it, so the
    table holds only chats sent to within the last ``per_chat_interval`` seconds plus those
    with a waiting :meth:`acquire` (at most ``burst + per_second * per_chat_interval`` plus the
    waiters while the overall rate is on).

    A cancelled :meth:`acquire` gives its place up cleanly. The limiter belongs to one event
    loop; ``clock`` and ``sleep`` are injectable for tests (and must agree with each other).
    """

    __slots__ = (
        "_burst_allowance",
        "_chat_interval",
        "_chats",
        "_clock",
        "_emission",
        "_paused_until",
        "_sleep",
        "_tat",
    )

    def __init__(
        self,
        per_second: float | None = 25.0,
        per_chat_interval: float | None = 1.0,
        *,
        burst: int = 5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second is not None and not per_second >= 0:
            raise ValueError("per_second must be positive, or None/0 to disable")
        if per_chat_interval is not None and not per_chat_interval >= 0:
            raise ValueError("per_chat_interval must be positive, or None/0 to disable")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self._clock = clock
        self._sleep = sleep
        # GCRA: one send per `_emission` seconds; the theoretical arrival time `_tat` may run
        # up to `_burst_allowance` ahead of now before a sender has to wait.
        self._emission: float | None = 1.0 / per_second if per_second else None
        self._burst_allowance = (burst - 1) * self._emission if self._emission else 0.0
        self._tat = _NEVER
        self._chat_interval: float | None = per_chat_interval or None
        # Ordered by next_at: entries move to the end as their next_at is set, and next_at is
        # set from the clock at release, which only grows. So expired entries sit in front.
        self._chats: OrderedDict[int, _Chat] = OrderedDict()
        self._paused_until = _NEVER

    @property
    def tracked_chats(self) -> int:
        """How many chats the per-chat table holds now (for tests and metrics)."""
        return len(self._chats)

    def pause_all(self, seconds: float) -> None:
        """Hold every send back for ``seconds`` from now, e.g. a 429's ``retry_after``.

        Extends a pause in force, never shortens it. Waiters that already hold a slot check
        again when they wake, so nothing goes out during the pause.
        """
        if seconds > 0:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def wait_out_pause(self) -> None:
        """Return once no pause is in force (at once when none is)."""
        while (left := self._paused_until - self._clock()) > 0:
            await self._sleep(left)

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` may be sent under both limits, then return."""
        interval = self._chat_interval
        if interval is None:
            if self._emission is None and (
                self._paused_until == _NEVER or self._paused_until <= self._clock()
            ):
                return  # both limits off (benchmarks): no clock read, no second coroutine
            await self._acquire_overall()
            return

        now = self._clock()
        self._forget_expired(now)
        chats = self._chats
        chat = chats.get(chat_id)
        if chat is None:
            chat = chats[chat_id] = _Chat()
        chat.users += 1
        try:
            async with chat.lock:  # FIFO: one send per chat at a time, in arrival order
                now = self._clock()
                if chat.next_at > now:
                    await self._sleep(chat.next_at - now)
                await self._acquire_overall()
                chat.next_at = self._clock() + interval
                chats.move_to_end(chat_id)
        finally:
            chat.users -= 1

    async def _acquire_overall(self) -> None:
        """Wait out any pause, then take a slot of the overall rate."""
        while True:
            now = self._clock()
            if self._paused_until > now:
                await self._sleep(self._paused_until - now)
                continue
            emission = self._emission
            if emission is None:
                return
            tat = self._tat
            if tat <= now:
                self._tat = now + emission
                return
            at = tat - self._burst_allowance
            self._tat = tat + emission  # reserve the slot at `at`, in arrival order
            if at <= now:
                return
            await self._sleep(at - now)
            if self._paused_until <= self._clock():
                return
            # A pause began while this sender slept: wait it out, then queue again.

    def _forget_expired(self, now: float) -> None:
        chats = self._chats
        while chats:
            chat_id = next(iter(chats))
            chat = chats[chat_id]
            if chat.users or chat.next_at > now:
                return
            del chats[chat_id]
