"""The lateness forecast: a queue drained by a token bucket, exact on hand-checked cases and
equal to the real limiter's sends on random ones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.forecast import FREE, PAID, drain, forecast, outlook
from bot.ratelimit import SendRateLimiter

NOW = datetime(2026, 3, 2, 7, 58, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
EIGHT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_one_bucket_drains_at_the_rate() -> None:
    # 10 due at once at 5/s: sends at 0, 0.2, ..., 1.8 s.
    [bucket] = drain([(0, 10)], 5)
    assert (bucket.first_lateness, bucket.last_lateness) == (0, Fraction(9, 5))
    assert list(bucket.latenesses(Fraction(1, 5))) == [Fraction(i, 5) for i in range(10)]


def test_a_backlog_carries_into_the_next_bucket_and_then_clears() -> None:
    # The second bucket arrives at 1 s while sends run until 1.8 s: its first goes at 2.0 s.
    _, second, third = drain([(0, 10), (1, 5), (100, 3)], 5)
    assert (second.first_lateness, second.last_lateness) == (1, Fraction(9, 5))
    assert (third.first_lateness, third.last_lateness) == (0, Fraction(2, 5))


def test_a_burst_goes_at_once() -> None:
    # Burst 5 at 5/s: five at 0 s, then one each 0.2 s: the tenth at 1.0 s.
    [bucket] = drain([(0, 10)], 5, burst=5)
    assert bucket.last_lateness == 1
    assert list(bucket.latenesses(Fraction(1, 5)))[:6] == [0, 0, 0, 0, 0, Fraction(1, 5)]


def test_thirty_thousand_at_eight_at_25_a_second() -> None:
    # The example: the last of 30,000 due at 08:00 leaves 20 minutes late.
    [bucket] = drain([(0, 30_000)], 25)
    assert bucket.last_lateness == Fraction(29_999, 25)  # 1199.96 s


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        drain([(0, 1)], 0)
    with pytest.raises(ValueError):
        drain([(5, 1), (1, 1)], 1)


def test_the_forecast_names_the_busiest_minutes_and_the_worst() -> None:
    counts = {
        EIGHT - 2 * MINUTE: 30,  # overdue: counts as due now (07:58), gone by 07:58:01.2
        EIGHT: 1600,
        EIGHT + MINUTE: 100,
        EIGHT + 30 * MINUTE: 600,
    }
    result = forecast(counts, NOW, 25, top=3)
    # 08:00's 1,600 take 64 s: the last leaves at 08:01:03.96; 08:01's 100 queue behind them,
    # the last 4 s (the 08:00 tail) + 3.96 s late.
    assert [(m.start, m.due, m.lateness_seconds) for m in result.busiest] == [
        (EIGHT, 1600, pytest.approx(63.96)),
        (EIGHT + 30 * MINUTE, 600, pytest.approx(23.96)),
        (EIGHT + MINUTE, 100, pytest.approx(7.96)),
    ]
    assert result.worst == result.busiest[0]
    assert forecast({}, NOW, 25).worst_lateness_seconds == 0


def test_the_outlook_forecasts_the_paid_rate_only_when_on() -> None:
    counts = {EIGHT: 3000}
    free_only = outlook(counts, NOW, free_rate=25, paid_rate=0, target_seconds=60)
    assert list(free_only.forecasts) == [FREE] and free_only.over_target() == [FREE]
    both = outlook(counts, NOW, free_rate=25, paid_rate=1000, target_seconds=60)
    assert both.forecasts[PAID].worst_lateness_seconds == pytest.approx(2.999)
    assert both.over_target() == [FREE]


async def real_limiter_latenesses(
    arrivals: list[tuple[int, int]], rate: float, burst: int
) -> list[float]:
    """Brute force: each reminder acquires the real limiter at its arrival, oldest first,
    on a fake clock; its lateness is when the acquire returns minus its arrival."""
    now = [0.0]
    waiting: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = SendRateLimiter(rate, None, burst=burst, clock=lambda: now[0], sleep=sleep)
    for at, count in arrivals:
        for _ in range(count):
            now[0] = max(now[0], float(at))
            await limiter.acquire(0)
            waiting.append(now[0] - at)
    return waiting


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), max_size=8),
    st.sampled_from([1.0, 2.0, 4.0, 25.0]),
    st.integers(1, 5),
)
def test_the_forecast_matches_the_real_limiter(
    raw: list[tuple[int, int]], rate: float, burst: int
) -> None:
    merged: dict[int, int] = {}
    for at, count in raw:
        merged[at] = merged.get(at, 0) + count
    arrivals = sorted(merged.items())
    expected = asyncio.run(real_limiter_latenesses(arrivals, rate, burst))
    interval = 1 / Fraction(rate)
    computed = [float(x) for b in drain(arrivals, rate, burst) for x in b.latenesses(interval)]
    assert computed == pytest.approx(expected, abs=1e-9)
