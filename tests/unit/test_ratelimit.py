"""SendRateLimiter on fake time: nothing here really sleeps."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from bot.ratelimit import SendRateLimiter

T = TypeVar("T")
EPS = 1e-9


class SteppingTime:
    """For one sequential caller: sleeping moves the clock forward by exactly that much."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0, "the limiter should not sleep for nothing"
        self.sleeps.append(seconds)
        self.now += seconds


class VirtualTime:
    """For concurrent callers: sleepers wake in deadline order as :meth:`run` moves the clock."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0, "the limiter should not sleep for nothing"
        wake_up = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, next(self._order), wake_up))
        await wake_up

    async def _settle(self) -> None:
        for _ in range(10):  # let every runnable task run until it waits again
            await asyncio.sleep(0)

    async def run(self, *coroutines: Coroutine[Any, Any, T]) -> list[T]:
        tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
        while True:
            await self._settle()
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            while True:
                assert self._timers, "tasks wait, but no fake timer is pending"
                when, _, wake_up = heapq.heappop(self._timers)
                if not wake_up.done():  # a cancelled sleeper leaves its timer behind
                    break
            self.now = max(self.now, when)
            wake_up.set_result(None)


async def never_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds} s with the limits off")


def max_in_window(times: list[float], window: float) -> int:
    """The most release times in any half-open window ``[t, t + window)``."""
    ordered = sorted(times)
    most = 0
    for start, t in enumerate(ordered):
        end = start
        while end < len(ordered) and ordered[end] < t + window - EPS:
            end += 1
        most = max(most, end - start)
    return most


def spacings(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


# Overall rate, one caller


async def test_25_per_second_paces_100_sends_over_about_4_seconds() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(25, None, clock=time.clock, sleep=time.sleep)
    start = time.now
    released = []

    for chat_id in range(100):
        await limiter.acquire(chat_id)
        released.append(time.now)

    # A burst of 5 goes at once, the other 95 every 1/25 s.
    assert time.now - start == pytest.approx(95 / 25)
    assert max_in_window(released, 1.0) <= 25 + 5


async def test_burst_of_one_spaces_every_send() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(25, None, burst=1, clock=time.clock, sleep=time.sleep)
    start = time.now

    for chat_id in range(100):
        await limiter.acquire(chat_id)

    assert time.now - start == pytest.approx(99 / 25)


async def test_idle_time_refills_the_burst_but_never_more() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(10, None, burst=3, clock=time.clock, sleep=time.sleep)
    for chat_id in range(3):
        await limiter.acquire(chat_id)
    assert time.sleeps == []

    time.now += 60  # a long quiet spell banks no more than the burst
    start = time.now
    for chat_id in range(13):
        await limiter.acquire(chat_id)

    assert time.now - start == pytest.approx(10 / 10)


async def test_both_limits_with_distinct_chats_cost_no_extra_time() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(25, 1.0, clock=time.clock, sleep=time.sleep)
    start = time.now

    for chat_id in range(100):
        await limiter.acquire(chat_id)

    assert time.now - start == pytest.approx(95 / 25)


# Per chat, one caller


async def test_one_chat_gets_one_message_per_interval() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, 1.0, clock=time.clock, sleep=time.sleep)
    released = []

    for _ in range(5):
        await limiter.acquire(42)
        released.append(time.now)

    assert spacings(released) == pytest.approx([1.0] * 4)


async def test_spacing_does_not_hold_other_chats_back() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, 1.0, clock=time.clock, sleep=time.sleep)

    await limiter.acquire(1)
    await limiter.acquire(2)
    await limiter.acquire(3)

    assert time.sleeps == []


async def test_a_chat_may_send_again_once_the_interval_has_passed() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, 1.0, clock=time.clock, sleep=time.sleep)

    await limiter.acquire(42)
    time.now += 0.4
    await limiter.acquire(42)
    assert time.sleeps == [pytest.approx(0.6)]

    time.now += 5
    await limiter.acquire(42)
    assert len(time.sleeps) == 1


# Limits off


@pytest.mark.parametrize(
    ("per_second", "per_chat_interval"), [(None, None), (0, 0), (0, None), (None, 0)]
)
async def test_disabled_limits_never_sleep(
    per_second: float | None, per_chat_interval: float | None
) -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(per_second, per_chat_interval, clock=time.clock, sleep=never_sleep)

    for i in range(10_000):
        await limiter.acquire(i % 3)  # the same few chats, back to back

    assert limiter.tracked_chats == 0


async def test_per_chat_only_never_sleeps_for_distinct_chats() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, 1.0, clock=time.clock, sleep=never_sleep)

    for chat_id in range(10_000):
        await limiter.acquire(chat_id)


async def test_rate_only_never_sleeps_for_one_chat_within_the_rate() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(25, None, clock=time.clock, sleep=never_sleep)

    for _ in range(100):
        await limiter.acquire(42)
        time.now += 1 / 25


# pause_all


async def test_pause_all_holds_the_next_send() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(25, 1.0, clock=time.clock, sleep=time.sleep)
    await limiter.acquire(1)
    paused_at = time.now

    limiter.pause_all(30)
    await limiter.acquire(2)

    assert time.now >= paused_at + 30


async def test_pause_all_works_with_the_limits_off() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, None, clock=time.clock, sleep=time.sleep)
    limiter.pause_all(7)
    start = time.now

    await limiter.acquire(1)
    assert time.now == pytest.approx(start + 7)
    await limiter.acquire(2)
    assert time.now == pytest.approx(start + 7)  # over: no more waiting


async def test_pause_all_extends_but_never_shortens() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, None, clock=time.clock, sleep=time.sleep)
    start = time.now

    limiter.pause_all(30)
    limiter.pause_all(5)
    limiter.pause_all(0)
    limiter.pause_all(-3)
    await limiter.acquire(1)

    assert time.now == pytest.approx(start + 30)


# Concurrent callers


async def test_concurrent_senders_keep_the_rate_and_their_order() -> None:
    time = VirtualTime()
    limiter = SendRateLimiter(25, 1.0, clock=time.clock, sleep=time.sleep)
    start = time.now
    released: list[tuple[float, int]] = []

    async def send(chat_id: int) -> None:
        await limiter.acquire(chat_id)
        released.append((time.now, chat_id))

    await time.run(*(send(chat_id) for chat_id in range(100)))

    assert [chat_id for _, chat_id in released] == list(range(100))  # FIFO
    assert released[-1][0] - start == pytest.approx(95 / 25)
    assert max_in_window([t for t, _ in released], 1.0) <= 25 + 5


async def test_a_busy_chat_waits_without_stalling_others() -> None:
    time = VirtualTime()
    limiter = SendRateLimiter(25, 1.0, clock=time.clock, sleep=time.sleep)
    start = time.now
    released: dict[int, list[tuple[float, int]]] = {}

    async def send(chat_id: int, n: int) -> None:
        await limiter.acquire(chat_id)
        released.setdefault(chat_id, []).append((time.now - start, n))

    busy = [send(42, n) for n in range(5)]
    others = [send(chat_id, 0) for chat_id in range(1, 21)]
    await time.run(*busy[:1], *others[:10], *busy[1:], *others[10:])

    busy_times = [t for t, _ in released[42]]
    assert [n for _, n in released[42]] == list(range(5))  # in the order they asked
    assert all(gap >= 1.0 - EPS for gap in spacings(busy_times))
    assert busy_times[-1] < 4.5
    # 21 sends that are not held by spacing finish at the overall rate: (21 - 5) / 25 s.
    latest_other = max(t for chat_id, sends in released.items() if chat_id != 42 for t, _ in sends)
    assert latest_other == pytest.approx((21 - 5) / 25)


async def test_spacing_holds_while_the_overall_queue_is_long() -> None:
    """A message that waited long in the overall queue must not let the chat's next one
    follow right on its heels."""
    time = VirtualTime()
    limiter = SendRateLimiter(25, 1.0, burst=1, clock=time.clock, sleep=time.sleep)
    released: dict[int, list[float]] = {}

    async def send(chat_id: int) -> None:
        await limiter.acquire(chat_id)
        released.setdefault(chat_id, []).append(time.now)

    backlog = [send(chat_id) for chat_id in range(1000, 1050)]  # 2 s of queue
    await time.run(*backlog, send(7), send(7))

    # The first went out after 2 s in the queue, the second, with the queue empty by then,
    # a full second after it (not a second after it was asked for).
    assert released[7][0] - released[1000][0] == pytest.approx(2.0)
    assert spacings(released[7]) == [pytest.approx(1.0)]
    everything = [t for times in released.values() for t in times]
    assert max_in_window(everything, 1.0) <= 25 + 1


async def test_pause_all_holds_back_senders_already_waiting() -> None:
    time = VirtualTime()
    limiter = SendRateLimiter(25, 1.0, clock=time.clock, sleep=time.sleep)
    start = time.now
    released: list[float] = []

    async def send(chat_id: int) -> None:
        await limiter.acquire(chat_id)
        released.append(time.now - start)

    async def flood_control() -> None:
        await time.sleep(0.5)  # a 429 arrives half a second in
        limiter.pause_all(10)

    await time.run(flood_control(), *(send(chat_id) for chat_id in range(50)))

    assert len(released) == 50
    assert not [t for t in released if 0.5 < t < 10.5 - EPS]
    assert max_in_window(released, 1.0) <= 25 + 5
    after = [t for t in released if t >= 10.5 - EPS]
    assert after  # the rest went once the pause was over


async def test_a_cancelled_waiter_does_not_wedge_its_chat() -> None:
    time = VirtualTime()
    limiter = SendRateLimiter(None, 1.0, clock=time.clock, sleep=time.sleep)
    start = time.now
    released: list[float] = []

    async def send() -> None:
        await limiter.acquire(42)
        released.append(time.now - start)

    async def scenario() -> None:
        await limiter.acquire(42)
        doomed = asyncio.ensure_future(limiter.acquire(42))
        later = asyncio.ensure_future(send())
        await asyncio.sleep(0)
        doomed.cancel()
        await later

    await time.run(scenario())

    assert released == [pytest.approx(1.0)]
    time.now += 2
    await time.run(limiter.acquire(1))
    assert limiter.tracked_chats == 1  # chat 42 forgotten


# Memory


async def test_memory_stays_bounded_with_100k_distinct_chats() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(25, 1.0, clock=time.clock, sleep=time.sleep)
    most = 0

    for chat_id in range(100_000):
        await limiter.acquire(chat_id)
        most = max(most, limiter.tracked_chats)

    # Only chats sent to within the last second: at most burst + rate * interval.
    assert most <= 5 + 25 + 1
    time.now += 1.0
    await limiter.acquire(-1)
    assert limiter.tracked_chats == 1


async def test_memory_stays_bounded_without_an_overall_rate() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(None, 1.0, clock=time.clock, sleep=time.sleep)
    most = 0

    for chat_id in range(100_000):
        await limiter.acquire(chat_id)
        time.now += 0.001
        most = max(most, limiter.tracked_chats)

    assert most <= 1001


# Arguments


@pytest.mark.parametrize(
    "kwargs",
    [
        {"per_second": -1.0, "per_chat_interval": None},
        {"per_second": None, "per_chat_interval": -0.5},
        {"per_second": float("nan"), "per_chat_interval": None},
        {"per_second": 25.0, "per_chat_interval": 1.0, "burst": 0},
    ],
)
def test_rejects_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        SendRateLimiter(**kwargs)


async def test_defaults_are_25_per_second_and_1_second_per_chat() -> None:
    time = SteppingTime()
    limiter = SendRateLimiter(clock=time.clock, sleep=time.sleep)
    start = time.now
    for chat_id in range(30):
        await limiter.acquire(chat_id)
    assert time.now - start == pytest.approx(25 / 25)
    await limiter.acquire(0)
    assert time.now - start == pytest.approx(26 / 25)  # chat 0's second is free by now
