"""How often operators hear about errors: at most one notice per kind of error per admin in a
window (10 minutes), so an outage that fails every tick sends one message, not thousands; the
next notice of that kind says how many were held back meanwhile."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

NOTICE_WINDOW_SECONDS = 600.0


@dataclass
class NoticeThrottle:
    window: float = NOTICE_WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _last_sent: dict[tuple[int, str], float] = field(default_factory=dict)
    _held_back: Counter[tuple[int, str]] = field(default_factory=Counter)

    def admit(self, admin_id: int, kind: str) -> int | None:
        """Whether to send ``admin_id`` a notice of ``kind`` now: None to hold it back (it is
        counted), else how many of that kind were held back since the last one sent."""
        now = self.clock()
        key = (admin_id, kind)
        last = self._last_sent.get(key)
        if last is not None and now - last < self.window:
            self._held_back[key] += 1
            return None
        self._last_sent[key] = now
        return self._held_back.pop(key, 0)
