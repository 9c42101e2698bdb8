"""The sandbox enforces Telegram's broadcast rates: free messages at the free rate, those with
allow_paid_broadcast at the paid rate, other methods not at all."""

from __future__ import annotations

import pytest

from bot.sandbox.errors import ApiError
from bot.sandbox.limits import RateLimits, is_message


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def sent(limits: RateLimits, count: int, *, paid: bool = False) -> int:
    params = {"chat_id": 1, "text": "x", **({"allow_paid_broadcast": True} if paid else {})}
    accepted = 0
    for _ in range(count):
        try:
            limits.check("sendmessage", params)
            accepted += 1
        except ApiError as error:
            assert error.status == 429 and error.retry_after is not None
            assert error.retry_after >= 1
    return accepted


def test_free_messages_over_the_rate_get_429_and_paid_ones_their_own_rate() -> None:
    clock = Clock()
    limits = RateLimits(free_per_second=30, paid_per_second=1000, clock=clock)
    assert sent(limits, 40) == 30  # a second's worth at once, then refused
    assert sent(limits, 500, paid=True) == 500  # the paid lane is not the free one
    clock.now += 0.5
    assert sent(limits, 40) == 15  # refilled at 30 a second
    clock.now += 10
    assert sent(limits, 31) == 30  # never more than the bucket holds


def test_only_messages_count() -> None:
    limits = RateLimits(free_per_second=1, clock=Clock())
    for _ in range(5):
        limits.check("answercallbackquery", {})
        limits.check("sendchataction", {"chat_id": 1})
    assert sent(limits, 2) == 1
    assert is_message("sendphoto") and is_message("copymessage")
    assert not is_message("editmessagetext")


@pytest.mark.parametrize("free", [0, 0.0])
def test_a_rate_of_zero_is_off(free: float) -> None:
    assert sent(RateLimits(free_per_second=free, clock=Clock()), 10_000) == 10_000
