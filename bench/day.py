"""A day at scale, simulated: how late reminders go out when the send budget, not speed, decides.

    .venv/bin/python -m bench.day [--users 100000 --users 1000000] [--out FILE]
    .venv/bin/python -m bench.day --capacity {free,paid,both} [--out FILE]

Users pick round times (most on the hour or half hour, peaks 07:00-09:00 and 18:00-22:00 local)
in zones weighted towards where Telegram is used. Two identical days are simulated on a fake
clock and the second is measured (so the first day's lateness feeds the fairness tie-break and
a backlog can run over midnight). What runs is Limber's own code where it decides the outcome:

- the claim: ``domain.send_order`` (``Bounds``, ``plan_claim``, ``SendKey``) picks each claim of
  ``--batch`` reminders every ``--tick`` seconds, on the APScheduler grid the bot uses (a tick
  still running at a grid point makes that point skip: ``max_instances=1``);
- the pacing: the real ``SendRateLimiter`` (GCRA, burst 5) on the fake clock, acquired for a
  whole chunk (``ceil(rate)`` messages, at most 128) before the chunk goes, as the tick does;
- reminders later than the grace window are skipped, as the claim decides.

The database round trips are not simulated (a claim of 10k costs about 30 ms: docs/benchmarks.md),
so the 1M case runs in memory; sends take no time (a local send costs about 0.6 ms of CPU).

Paid broadcast (``--paid-rate``): a second lane with its own limiter at that rate; a reminder
goes paid when its free slot would make it later than ``--target`` (0.1 Star each). The next
claim comes when the paid lane has sent its part of the batch, while the free lane's sends (each
within the target, far inside the delivery lease) go on at their slots; with
``--tick-waits-for-free-lane`` the tick waits for both, as the shipped tick waits for its whole
batch. The sender plans the lanes with ``domain.pacing.plan_paid``; here the same rule is
modelled, peeking at the free limiter's next slot.

The physical bound, exactly (``domain.forecast.drain`` on one-second buckets of the exact due
instants): the earliest-due-first schedule of a sender that knows every reminder the instant it
falls due and sends at the limiter's rate (optimal for the maximum lateness of unit jobs on one
server). With paid broadcast, the bound is the same sender paying exactly when the free slot would
miss the target: the fewest Stars that keep every reminder within it, and that schedule's
lateness. The ratio reported is bound / achieved for the maximum lateness (1.0 = as good as
physically possible); when the budget cannot send everything within the grace window it is sent
(achieved) / sendable (bound) instead, and the skipped counts are reported.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from bisect import bisect_left, bisect_right
from collections.abc import Coroutine
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.forecast import drain
from bot.domain.send_order import Bounds, Lateness, SendKey, plan_claim
from bot.ratelimit import SendRateLimiter

DAY = 86_400
BURST = 5  # the limiter's default burst
MAX_CHUNK = 128  # bot.reminders.tick.MAX_CHUNK
STAR_PER_PAID = 0.1
EPOCH = datetime(2027, 1, 13, tzinfo=UTC)  # a Wednesday in January: few zones change time

# Where Telegram is used, roughly (an assumption for the benchmark, not a survey): zone, weight.
ZONES = (
    ("Asia/Kolkata", 14), ("Europe/Moscow", 10), ("Asia/Jakarta", 8), ("America/Sao_Paulo", 7),
    ("Europe/Berlin", 6), ("Asia/Tehran", 5), ("Europe/Kyiv", 4), ("Asia/Tashkent", 4),
    ("America/New_York", 3), ("Europe/Istanbul", 3), ("Africa/Cairo", 3),
    ("America/Mexico_City", 3),
    ("Asia/Ho_Chi_Minh", 3), ("America/Chicago", 2), ("America/Los_Angeles", 2),
    ("Europe/London", 2), ("Africa/Lagos", 2), ("Asia/Almaty", 2), ("Asia/Manila", 2),
    ("America/Argentina/Buenos_Aires", 2), ("Asia/Karachi", 2), ("Africa/Addis_Ababa", 2),
    ("Asia/Riyadh", 2), ("Europe/Minsk", 1), ("Europe/Madrid", 2), ("Asia/Dubai", 1),
)  # fmt: skip
# Chosen local hour: peaks in the morning and the evening.
HOURS = {
    0: 0.3, 1: 0.1, 2: 0.1, 3: 0.1, 4: 0.2, 5: 1, 6: 4, 7: 14, 8: 16, 9: 10, 10: 4, 11: 2,
    12: 4, 13: 2, 14: 1, 15: 1, 16: 2, 17: 3, 18: 8, 19: 10, 20: 10, 21: 8, 22: 5, 23: 1,
}  # fmt: skip


def chosen_seconds(users: int, seed: int = 13) -> list[int]:
    """Each user's due instant as seconds after midnight UTC (the same every day)."""
    rng = random.Random(seed)
    zones = rng.choices([z for z, _ in ZONES], weights=[w for _, w in ZONES], k=users)
    hours = rng.choices(list(HOURS), weights=list(HOURS.values()), k=users)
    offsets = {z: ZoneInfo(z).utcoffset(EPOCH.replace(tzinfo=None)) for z, _ in ZONES}
    due = []
    for zone, hour in zip(zones, hours, strict=True):
        pick = rng.random()
        # Most on the hour or the half hour; some on the quarters; a few any minute.
        minute = (
            0
            if pick < 0.6
            else 30
            if pick < 0.85
            else rng.choice((15, 45))
            if pick < 0.95
            else rng.randrange(60)
        )
        offset = offsets[zone]
        assert offset is not None
        due.append(int((hour * 3600 + minute * 60 - offset.total_seconds()) % DAY))
    return due


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Drive a limiter call on the fake clock: its sleeps never suspend, so it ends in one go."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    raise RuntimeError("the limiter suspended on the fake clock")


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _limiter(rate: float, fake: FakeTime) -> SendRateLimiter:
    return SendRateLimiter(rate, None, burst=BURST, clock=fake.clock, sleep=fake.sleep)


def _next_slot(limiter: SendRateLimiter, now: float) -> float:
    # The limiter's GCRA state (private): when its next acquire would return.
    return max(now, limiter._tat - limiter._burst_allowance)


@dataclass
class Outcome:
    users: int
    rate: float
    paid_rate: float
    sent: int
    skipped: int
    paid: int
    p50: float
    p99: float
    max: float
    seconds: float = 0.0

    @property
    def stars(self) -> float:
        return round(self.paid * STAR_PER_PAID, 1)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1)]


def summarize(
    users: int, rate: float, paid_rate: float, late: list[float], skipped: int, paid: int
) -> Outcome:
    late.sort()
    return Outcome(
        users, rate, paid_rate, len(late), skipped, paid,
        round(percentile(late, 0.5), 2), round(percentile(late, 0.99), 2),
        round(late[-1] if late else 0.0, 2),
    )  # fmt: skip


def simulate(
    seconds_of_day: list[int],
    *,
    rate: float,
    paid_rate: float = 0.0,
    target: float = 60.0,
    tick: float = 1.0,
    batch: int = 1000,
    grace: float = 7200.0,
    tick_waits_for_free_lane: bool = False,
) -> Outcome:
    """Two days of the real claim order and pacing on a fake clock; the second day measured.

    When paying, the next claim comes when the paid lane has sent its part, while the free
    lane's sends (each within the target) go on at their slots; ``tick_waits_for_free_lane``
    makes the tick wait for both, as the shipped tick waits for its whole batch."""
    started = time.perf_counter()
    users = len(seconds_of_day)
    waited = [0] * users  # each user's last lateness (whole seconds), the tie-break
    # Two lanes, each with its limiter on its own fake clock: free sends, and paid ones (the
    # excess beyond the target), which go alongside rather than behind the free ones.
    free_time, paid_time = FakeTime(), FakeTime()
    free = _limiter(rate, free_time)
    paying = _limiter(paid_rate, paid_time) if paid_rate > 0 else None
    chunk = max(1, min(batch, math.ceil(rate), MAX_CHUNK))
    grace_delta = timedelta(seconds=grace)
    late: list[float] = []
    skipped = paid = 0
    # The queue over both days in send order: due instant, then who waited longer last time
    # (the second day's ties are ordered when it begins, from the first day's lateness).
    first_day = sorted(range(users), key=seconds_of_day.__getitem__)
    queue = first_day + first_day
    due = [seconds_of_day[u] for u in first_day] + [DAY + seconds_of_day[u] for u in first_day]
    _order_ties(queue, seconds_of_day, waited, 0, users)
    second_day_ordered = False
    unclaimed = [[0, 2 * users]]  # [lo, hi) ranges of queue indexes not claimed yet
    next_tick = 0.0
    while unclaimed:
        now = next_tick
        if not second_day_ordered and now >= DAY:
            _order_ties(queue, seconds_of_day, waited, users, 2 * users)
            second_day_ordered = True
        bounds = Bounds.at(EPOCH + timedelta(seconds=now), grace_delta)
        expired_end = bisect_left(due, (bounds.expired_before - EPOCH).total_seconds())
        backlog_end = bisect_left(due, (bounds.backlog_before - EPOCH).total_seconds())
        fresh_end = bisect_right(due, now)
        if not _any_in(unclaimed, 0, fresh_end):
            next_tick = _next_grid(max(now + tick, due[unclaimed[0][0]]), tick)
            continue
        cut = {
            Lateness.EXPIRED: (0, expired_end),
            Lateness.BACKLOG: (expired_end, backlog_end),
            Lateness.FRESH: (backlog_end, fresh_end),
        }
        candidates = {
            part: [
                SendKey.of(EPOCH + timedelta(seconds=due[i]), waited[queue[i]])
                for i in _take(unclaimed, lo, hi, batch, claim=False)
            ]
            for part, (lo, hi) in cut.items()
        }
        plan = plan_claim({"daily": candidates}, batch)["daily"]
        skipped += sum(
            i >= users
            for i in _take(unclaimed, *cut[Lateness.EXPIRED], plan[Lateness.EXPIRED], claim=True)
        )
        claimed = []
        for part in (Lateness.BACKLOG, Lateness.FRESH):
            claimed += _take(unclaimed, *cut[part], plan.get(part, 0), claim=True)
        claimed.sort()  # queue order is send order (SendKey): the claim sorts the same way
        lanes: dict[bool, tuple[SendRateLimiter | None, FakeTime, list[int]]] = {
            False: (free, free_time, []),
            True: (paying, paid_time, []),
        }
        for lane_time in (free_time, paid_time):
            lane_time.now = max(lane_time.now, now)
        for i in claimed:
            pay = paying is not None and _next_slot(free, free_time.now) - due[i] > target
            limiter, lane_time, in_chunk = lanes[pay]
            assert limiter is not None
            run(limiter.acquire(0))
            paid += pay and i >= users
            in_chunk.append(i)
            if len(in_chunk) == chunk:
                _send_chunk(in_chunk, lane_time.now, due, queue, waited, late, users)
        for _, lane_time, in_chunk in lanes.values():
            _send_chunk(in_chunk, lane_time.now, due, queue, waited, late, users)
        ended = (
            max(free_time.now, paid_time.now)
            if paying is None or tick_waits_for_free_lane
            else max(now, paid_time.now)
        )
        # The interval grid goes on; a point passed while this tick ran is skipped.
        next_tick = _next_grid(max(ended, now + tick), tick, strictly_after=ended > now)
    outcome = summarize(users, rate, paid_rate, late, skipped, paid)
    outcome.seconds = round(time.perf_counter() - started, 1)
    return outcome


def _send_chunk(
    in_chunk: list[int],
    sent_at: float,
    due: list[int],
    queue: list[int],
    waited: list[int],
    late: list[float],
    users: int,
) -> None:
    """A lane's chunk goes once all its slots are taken (the tick paces a chunk, then sends)."""
    for i in in_chunk:
        lateness = max(0.0, sent_at - due[i])
        waited[queue[i]] = round(lateness)
        if i >= users:  # the second day is measured
            late.append(lateness)
    in_chunk.clear()


def _order_ties(
    queue: list[int], seconds_of_day: list[int], waited: list[int], lo: int, hi: int
) -> None:
    """Order one day of the queue by due, then who waited longer last time (``SendKey``)."""
    queue[lo:hi] = sorted(queue[lo:hi], key=lambda u: (seconds_of_day[u], -waited[u]))


def _next_grid(at: float, tick: float, strictly_after: bool = False) -> float:
    """The first tick of the interval grid at or after ``at`` (after, when a run ended there)."""
    slots = math.ceil(at / tick)
    if strictly_after and slots * tick <= at:
        slots += 1
    return slots * tick


def _first(unclaimed: list[list[int]]) -> int:
    return unclaimed[0][0]


def _any_in(unclaimed: list[list[int]], lo: int, hi: int) -> bool:
    return any(a < hi and b > lo for a, b in unclaimed)


def _take(unclaimed: list[list[int]], lo: int, hi: int, count: int, *, claim: bool) -> list[int]:
    """The first ``count`` unclaimed queue indexes in [lo, hi); removed from ``unclaimed`` when
    ``claim``. Claims take from the front of each part, so the ranges stay few."""
    taken: list[int] = []
    for segment in list(unclaimed):
        if len(taken) >= count:
            break
        a, b = max(segment[0], lo), min(segment[1], hi)
        if a >= b:
            continue
        stop = min(b, a + count - len(taken))
        taken.extend(range(a, stop))
        if claim:
            _remove(unclaimed, a, stop)
    return taken


def _remove(unclaimed: list[list[int]], a: int, b: int) -> None:
    for index, (lo, hi) in enumerate(unclaimed):
        if lo <= a and b <= hi:
            pieces = [[lo, a]] if lo < a else []
            pieces += [[b, hi]] if b < hi else []
            unclaimed[index : index + 1] = pieces
            return
    raise AssertionError("removing an unclaimed range that is not there")


def bound(
    seconds_of_day: list[int], *, rate: float, paid_rate: float = 0.0, target: float = 60.0,
    grace: float = 7200.0,
) -> Outcome:  # fmt: skip
    """The physical bound over the same two days (second measured): earliest due first, each
    reminder known the instant it falls due, the limiter's token bucket, nothing else."""
    users = len(seconds_of_day)
    counts: dict[int, int] = {}
    for second in seconds_of_day:
        counts[second] = counts.get(second, 0) + 1
    arrivals = sorted(counts.items())
    days = [(s, n) for s, n in arrivals] + [(DAY + s, n) for s, n in arrivals]
    if paid_rate <= 0:
        interval = 1 / Fraction(rate)
        late: list[float] = []
        buckets = drain(days, rate, BURST)
        if buckets and float(max(b.last_lateness for b in buckets)) < grace:
            for bucket in buckets[len(arrivals) :]:
                late.extend(float(x) for x in bucket.latenesses(interval))
            return summarize(users, rate, 0.0, late, 0, 0)
        return _greedy(days, len(arrivals), users, rate, 0.0, math.inf, grace)
    return _greedy(days, len(arrivals), users, rate, paid_rate, target, grace)


def _greedy(
    days: list[tuple[int, int]], first_day_buckets: int, users: int, rate: float,
    paid_rate: float, target: float, grace: float,
) -> Outcome:  # fmt: skip
    """The ideal sender one reminder at a time, GCRA by hand: free when its free slot is within
    ``target``, else paid (when paying), and skipped when even that misses the grace window.
    For unit jobs with equal windows in due order, paying for (or skipping) the one that would
    miss is optimal in count."""
    t_free, t_paid = -math.inf, -math.inf
    e_free = 1 / rate
    e_paid = 1 / paid_rate if paid_rate > 0 else math.inf
    late: list[float] = []
    skipped = paid = 0
    for index, (at, count) in enumerate(days):
        measured = index >= first_day_buckets
        for _ in range(count):
            slot = max(at, t_free - (BURST - 1) * e_free)
            if slot - at > target and paid_rate > 0:
                paid_slot = max(at, t_paid - (BURST - 1) * e_paid)
                if paid_slot - at <= grace:
                    t_paid = max(t_paid, paid_slot) + e_paid
                    if measured:
                        paid += 1
                        late.append(paid_slot - at)
                    continue
            if slot - at > grace:
                skipped += measured
                continue
            t_free = max(t_free, slot) + e_free
            if measured:
                late.append(slot - at)
    return summarize(users, rate, paid_rate, late, skipped, paid)


def ratio(achieved: Outcome, ideal: Outcome) -> float:
    """bound / achieved: maximum lateness, or what was sent when some had to be skipped."""
    if ideal.skipped or achieved.skipped:
        return round(achieved.sent / ideal.sent, 3) if ideal.sent else 1.0
    if achieved.max <= 0:
        return 1.0
    return round(ideal.max / achieved.max, 3)


def capacity(
    p99_limit: float, *, rate: float, paid_rate: float, target: float, top: int, **knobs: Any
) -> dict[str, Any]:
    """The most users (to about 1%) whose day keeps p99 lateness under ``p99_limit``: searched
    on the exact bound, then confirmed by the simulation (stepping down 2% until it agrees)."""

    def fits(users: int) -> bool:
        spread = chosen_seconds(users)
        return bound(spread, rate=rate, paid_rate=paid_rate, target=target).p99 < p99_limit

    low, high = 1000, top
    if fits(high):
        low = high
    while high - low > max(1000, low // 100):
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    users = low
    while True:
        spread = chosen_seconds(users)
        achieved = simulate(spread, rate=rate, paid_rate=paid_rate, target=target, **knobs)
        if achieved.p99 < p99_limit or users <= 1000:
            ideal = bound(spread, rate=rate, paid_rate=paid_rate, target=target)
            return {
                "p99_under": p99_limit,
                "rate": rate,
                "paid_rate": paid_rate,
                "target": target,
                "users": users,
                "at_top": users == top,
                "achieved": asdict(achieved) | {"stars": achieved.stars},
                "bound": asdict(ideal) | {"stars": ideal.stars},
                "ratio": ratio(achieved, ideal),
            }
        users = int(users * 0.98)


def main() -> None:
    parser = argparse.ArgumentParser(description="Limber: a day of reminders at scale, simulated")
    parser.add_argument("--users", type=int, action="append")
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--paid-rate", type=float, default=1000.0)
    parser.add_argument("--target", type=float, default=60.0)
    parser.add_argument("--tick", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--paid-batch", type=int, default=20_000)
    parser.add_argument(
        "--capacity",
        choices=("free", "paid", "both"),
        help="search the capacity table (free: about 5 minutes, paid: about 10)",
    )
    parser.add_argument(
        "--tick-waits-for-free-lane",
        action="store_true",
        help="the next claim waits for the free lane too, as the shipped tick waits for its batch",
    )
    parser.add_argument("--out")
    args = parser.parse_args()
    results: dict[str, Any] = {"runs": [], "capacity": []}
    for users in [] if args.capacity and not args.users else args.users or [100_000, 1_000_000]:
        spread = chosen_seconds(users)
        for paid_rate, batch in ((0.0, args.batch), (args.paid_rate, args.paid_batch)):
            achieved = simulate(
                spread, rate=args.rate, paid_rate=paid_rate, target=args.target, tick=args.tick,
                batch=batch, tick_waits_for_free_lane=args.tick_waits_for_free_lane,
            )  # fmt: skip
            ideal = bound(spread, rate=args.rate, paid_rate=paid_rate, target=args.target)
            row = {
                "achieved": asdict(achieved) | {"stars": achieved.stars},
                "bound": asdict(ideal) | {"stars": ideal.stars},
                "ratio": ratio(achieved, ideal),
                "batch": batch,
                "tick": args.tick,
            }
            results["runs"].append(row)
            print(json.dumps(row), flush=True)
    if args.capacity:
        # Paying keeps reminders within the target, so each row sets it 10 s under the limit
        # (room for the tick and the chunk); the free rows never pay.
        budgets = [(0.0, args.batch, 2_000_000), (args.paid_rate, args.paid_batch, 4_000_000)]
        if args.capacity != "both":
            budgets = budgets[args.capacity == "paid" :][:1]
        for paid_rate, batch, top in budgets:
            for limit in (60.0, 300.0):
                row = capacity(
                    limit, rate=args.rate, paid_rate=paid_rate, target=limit - 10, top=top,
                    tick=args.tick, batch=batch,
                )  # fmt: skip
                results["capacity"].append(row)
                print(json.dumps(row), flush=True)
    if args.out:
        with open(args.out, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
