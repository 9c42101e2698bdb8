"""Telegram's broadcast limits, enforced: messages over the rate are answered 429.

Telegram lets a bot send about 30 messages a second for free, and up to 1,000 with
``allow_paid_broadcast`` (paid in Stars). Each is a token bucket here: a message without the
parameter takes a token from the free bucket, one with it from the paid bucket; an empty
bucket answers 429 with ``retry_after`` (whole seconds, as Telegram's). Each bucket holds
``burst_seconds`` of its rate, so a sender that keeps to the rate on average never meets one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.sandbox.errors import ApiError, default_description
from bot.sandbox.models import JSONDict

# Methods that send a message; sendChatAction and the edits are not broadcasts.
_NOT_MESSAGES = frozenset({"sendchataction", "sendinvoice"})
_ALSO_MESSAGES = frozenset({"copymessage", "copymessages", "forwardmessage", "forwardmessages"})


def is_message(method: str) -> bool:
    """Does ``method`` (lower case) send a message, counted by the broadcast limits?"""
    return (method.startswith("send") and method not in _NOT_MESSAGES) or method in _ALSO_MESSAGES


@dataclass(slots=True)
class _Bucket:
    per_second: float
    capacity: float
    tokens: float
    updated: float

    def take(self, now: float) -> float | None:
        """Take a token; None when taken, else the seconds until one is there."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return (1 - self.tokens) / self.per_second


@dataclass
class RateLimits:
    """The free and paid rates, in messages a second; 0 turns a limit off."""

    free_per_second: float = 30.0
    paid_per_second: float = 1000.0
    burst_seconds: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[bool, _Bucket] = field(default_factory=dict, init=False, repr=False)

    def check(self, method: str, params: JSONDict) -> None:
        """Raise a 429 :class:`ApiError` when this message is over its rate."""
        if not is_message(method):
            return
        paid = params.get("allow_paid_broadcast") in (True, "true", "True", 1)
        bucket = self._bucket(paid)
        if bucket is None:
            return
        wait = bucket.take(self.clock())
        if wait is not None:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, default_description(429, retry_after), retry_after=retry_after)

    def _bucket(self, paid: bool) -> _Bucket | None:
        bucket = self._buckets.get(paid)
        if bucket is None:
            rate = self.paid_per_second if paid else self.free_per_second
            if rate <= 0:
                return None
            capacity = max(1.0, rate * self.burst_seconds)
            bucket = self._buckets[paid] = _Bucket(rate, capacity, capacity, self.clock())
        return bucket
