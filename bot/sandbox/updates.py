"""The pending-update queue behind getUpdates, with Telegram's long-polling rules."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import deque
from collections.abc import Iterable
from typing import Any

from bot.sandbox.errors import ApiError

JSONDict = dict[str, Any]

# Update types Telegram only delivers when explicitly listed in allowed_updates.
_OPT_IN = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def update_kind(update: JSONDict) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Unconfirmed updates in id order; getUpdates with a higher offset confirms them."""

    def __init__(self) -> None:
        self._pending: deque[JSONDict] = deque()
        self._next_id = 1
        self._allowed: frozenset[str] | None = None  # None: Telegram's default set
        self._changed = asyncio.Event()
        self._newest_poll = 0
        self._closed = False

    def __len__(self) -> int:
        return len(self._pending)

    def push(self, kind: str, payload: JSONDict) -> JSONDict:
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self._wake()
        return update

    def clear(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        """Release every waiting long poll, e.g. when the server shuts down."""
        self._closed = True
        self._wake()

    async def poll(
        self,
        *,
        offset: int | None,
        limit: int,
        wait_seconds: float,
        allowed_updates: Iterable[str] | None,
    ) -> list[JSONDict]:
        """getUpdates: returns as soon as updates exist, or [] after `wait_seconds`."""
        if allowed_updates is not None:
            # Like Telegram, the setting sticks for later calls; [] means "default".
            self._allowed = frozenset(allowed_updates) or None
        self._confirm(offset)
        self._newest_poll += 1
        this_poll = self._newest_poll
        self._wake()  # an older poll still waiting must now end with 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait_seconds, 0.0)
        while True:
            if this_poll != self._newest_poll:
                raise ApiError(409, CONFLICT)
            batch = self._take(limit)
            remaining = deadline - loop.time()
            if batch or self._closed or remaining <= 0:
                return batch
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _confirm(self, offset: int | None) -> None:
        pending = self._pending
        if offset is None or offset == 0:
            return
        if offset > 0:
            while pending and pending[0]["update_id"] < offset:
                pending.popleft()
        else:
            while len(pending) > -offset:  # negative: keep only the last -offset updates
                pending.popleft()

    def _take(self, limit: int) -> list[JSONDict]:
        pending = self._pending
        if not all(self._is_allowed(u) for u in pending):
            # Filtered-out updates are never delivered later, so drop them now.
            self._pending = pending = deque(u for u in pending if self._is_allowed(u))
        return list(itertools.islice(pending, max(1, min(limit, 100))))

    def _is_allowed(self, update: JSONDict) -> bool:
        kind = update_kind(update)
        if self._allowed is None:
            return kind not in _OPT_IN
        return kind in self._allowed

    def _wake(self) -> None:
        # A fresh Event per change: every current waiter wakes exactly once.
        self._changed.set()
        self._changed = asyncio.Event()
