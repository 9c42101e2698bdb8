"""Per-user flood control: a user sending far too much is told once to slow down, then ignored
briefly, so everybody else stays responsive."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

PRUNE_EVERY = 1000


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # just went over the limit: say "slow down" once
    DROP = "drop"  # still muted: ignore silently


@dataclass
class _Sender:
    recent: deque[float]
    muted_until: float = 0.0


@dataclass
class FloodGate:
    """At most ``limit`` updates per user within ``window`` seconds; then a pause of ``window``."""

    limit: int
    window: float
    clock: Callable[[], float] = time.monotonic
    _senders: dict[int, _Sender] = field(default_factory=dict)
    _checks: int = 0

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self._prune(now)
        sender = self._senders.get(user_id)
        if sender is None:
            sender = self._senders[user_id] = _Sender(deque(maxlen=self.limit))
        if now < sender.muted_until:
            return Verdict.DROP
        full = len(sender.recent) == self.limit
        if full and now - sender.recent[0] < self.window:
            sender.muted_until = now + self.window
            sender.recent.clear()
            return Verdict.WARN
        sender.recent.append(now)
        return Verdict.ALLOW

    def tracked_users(self) -> int:
        return len(self._senders)

    def _prune(self, now: float) -> None:
        # Forget users who have been quiet for a whole window: memory stays bounded.
        quiet = [
            user_id
            for user_id, sender in self._senders.items()
            if now >= sender.muted_until
            and (not sender.recent or now - sender.recent[-1] >= self.window)
        ]
        for user_id in quiet:
            del self._senders[user_id]
