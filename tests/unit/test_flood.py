from __future__ import annotations

from bot.domain.flood import PRUNE_EVERY, FloodGate, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_warned_once_then_dropped_then_allowed_again() -> None:
    clock = Clock()
    gate = FloodGate(limit=5, window=10, clock=clock)
    verdicts = [gate.check(1) for _ in range(100)]
    assert verdicts[:5] == [Verdict.ALLOW] * 5
    assert verdicts[5] is Verdict.WARN
    assert set(verdicts[6:]) == {Verdict.DROP}
    clock.now += 10
    assert gate.check(1) is Verdict.ALLOW


def test_other_users_are_not_affected() -> None:
    gate = FloodGate(limit=3, window=10, clock=Clock())
    for _ in range(10):
        gate.check(1)
    assert [gate.check(2) for _ in range(3)] == [Verdict.ALLOW] * 3


def test_a_steady_pace_under_the_limit_is_never_muted() -> None:
    clock = Clock()
    gate = FloodGate(limit=5, window=10, clock=clock)
    for _ in range(200):
        assert gate.check(1) is Verdict.ALLOW
        clock.now += 2.5  # 4 per 10 s


def test_memory_stays_bounded_with_many_users() -> None:
    clock = Clock()
    gate = FloodGate(limit=5, window=10, clock=clock)
    for user_id in range(50 * PRUNE_EVERY):
        gate.check(user_id)
        clock.now += 0.01  # 100 new users a second
    assert gate.tracked_users() <= 10 * 100 + PRUNE_EVERY
