"""How late reminders will be: a queue of due reminders drained by a token bucket, exactly.

Reminders arrive in buckets (all of a bucket at its start: people pick round times, so a
minute's reminders are mostly due at its first second) and leave through a token bucket of
``rate`` sends a second holding ``burst`` tokens, the rule ``bot.ratelimit`` applies (GCRA), in
earliest-due-first order. On one sender with equal-cost messages that order gives the smallest
maximum lateness any schedule can reach, so with one-second buckets of exact due instants this
is also the physical bound the day benchmark compares against.

The arithmetic is in fractions, so small cases check by hand and nothing drifts over a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

_NEVER = Fraction(-(10**18))


@dataclass(frozen=True)
class Bucket:
    """What a bucket of ``count`` reminders arriving at ``at`` (seconds) meets: the lateness
    of its first and last send (the ones between grow by one send interval each)."""

    at: Fraction
    count: int
    first_lateness: Fraction
    last_lateness: Fraction

    def latenesses(self, interval: Fraction) -> Iterator[Fraction]:
        """Each send's lateness, in send order (``interval`` = 1 / rate)."""
        offset = self.last_lateness - (self.count - 1) * interval
        for index in range(self.count):
            yield max(Fraction(0), offset + index * interval)


def drain(
    arrivals: Iterable[tuple[Fraction | int, int]], rate: float, burst: int = 1
) -> list[Bucket]:
    """Lateness of each bucket of ``(arrival second, count)``, in increasing arrival order.

    GCRA: a send may go at ``t`` when ``t >= tat - (burst - 1) / rate``, then ``tat`` becomes
    ``max(tat, t) + 1 / rate``. Sends go as early as allowed, oldest first, so for ``n``
    arriving at ``a`` with ``tat' = max(tat, a)`` the ``j``-th goes at
    ``max(a, tat' + (j - burst + 1) / rate)`` and ``tat`` ends at ``tat' + n / rate``.
    """
    if rate <= 0:
        raise ValueError("rate must be positive")
    if burst < 1:
        raise ValueError("burst must be at least 1")
    interval = 1 / Fraction(rate)
    allowance = (burst - 1) * interval
    tat = _NEVER
    previous: Fraction | None = None
    buckets = []
    for raw_at, count in arrivals:
        at = Fraction(raw_at)
        if previous is not None and at < previous:
            raise ValueError("arrivals must come in increasing order")
        previous = at
        if count <= 0:
            continue
        start = max(tat, at)
        first = max(Fraction(0), start - allowance - at)
        last = max(Fraction(0), start + (count - 1) * interval - allowance - at)
        buckets.append(Bucket(at, count, first, last))
        tat = start + count * interval
    return buckets


@dataclass(frozen=True)
class MinuteLoad:
    """One minute of the forecast: how many reminders fall due in it and how late the last of
    them goes out."""

    start: datetime
    due: int
    lateness_seconds: float


@dataclass(frozen=True)
class Forecast:
    """The next hours at one send rate: the busiest minutes, and the worst lateness."""

    rate: float
    busiest: list[MinuteLoad]  # most reminders first
    worst: MinuteLoad | None  # the minute whose last reminder goes out latest

    @property
    def worst_lateness_seconds(self) -> float:
        return 0.0 if self.worst is None else self.worst.lateness_seconds


def forecast(
    due_per_minute: Mapping[datetime, int],
    now: datetime,
    rate: float,
    *,
    burst: int = 1,
    top: int = 5,
) -> Forecast:
    """The lateness the due queue implies at ``rate``.

    ``due_per_minute`` counts reminders by the minute they fall due in (minute starts, UTC);
    ones already overdue count as due in the current minute (their lateness so far is not
    included: the forecast is about what the budget adds from now on).
    """
    current = now.replace(second=0, microsecond=0)
    counts: dict[datetime, int] = {}
    for minute, due in due_per_minute.items():
        key = max(minute, current)
        counts[key] = counts.get(key, 0) + due
    minutes = sorted(counts)
    buckets = drain(
        (((minute - current) // timedelta(seconds=1), counts[minute]) for minute in minutes),
        rate,
        burst,
    )
    loads = [
        MinuteLoad(current + timedelta(seconds=float(b.at)), b.count, float(b.last_lateness))
        for b in buckets
    ]
    busiest = sorted(loads, key=lambda load: (-load.due, load.start))[:top]
    worst = max(
        loads, key=lambda load: (load.lateness_seconds, -load.start.timestamp()), default=None
    )
    return Forecast(rate, busiest, worst)


# The forecast's budgets, as the /metrics gauge labels them.
FREE = "free"
PAID = "paid"


@dataclass(frozen=True)
class Outlook:
    """The lateness forecasts at one instant, by budget (``FREE``; ``PAID`` when paid
    broadcast is on), against the operator's target."""

    at: datetime
    target_seconds: float
    forecasts: dict[str, Forecast]

    def over_target(self) -> list[str]:
        """The budgets under which some reminder would go out later than the target."""
        return [
            budget
            for budget, forecast in self.forecasts.items()
            if forecast.worst_lateness_seconds > self.target_seconds
        ]


def outlook(
    due_per_minute: Mapping[datetime, int],
    now: datetime,
    *,
    free_rate: float,
    paid_rate: float,
    target_seconds: float,
) -> Outlook:
    """Forecasts at the free rate and, when paid broadcast is on, at the paid one."""
    forecasts = {FREE: forecast(due_per_minute, now, free_rate)}
    if paid_rate > free_rate:
        forecasts[PAID] = forecast(due_per_minute, now, paid_rate)
    return Outlook(now, target_seconds, forecasts)
