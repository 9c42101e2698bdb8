"""Progress from the activity log: forgiving streaks, the 12-week calendar, totals per body
area, the holds reached, and one suggestion for next week. Pure: local dates in, values out.

Streaks forgive one missed day a week: a day without a stretch does not break a streak when
no other forgiven day lies within the 7 days around it (so never two in one week, and never two
in a row). A streak counts the days a stretch was done, not the forgiven ones. Today never
breaks a streak: it is not over yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.catalog.stretches import Area, Stretch

# The calendar shows this many whole weeks (Monday to Sunday), the current one last.
WEEKS = 12
# Two forgiven days must be at least this far apart.
FORGIVE_EVERY = timedelta(days=7)
# How many of the longest holds the card lists.
HOLDS_SHOWN = 3
# The activity log is read this far back for streaks (the calendar shows 12 weeks): long
# enough for any streak worth showing.
LOG_LOOKBACK = timedelta(days=400)
_ONE_DAY = timedelta(days=1)
# A stretch by id, in the user's language (``StretchLibrary.get``).
StretchLookup = Callable[[str], Stretch | None]


@dataclass(frozen=True)
class Streaks:
    current: int  # done days in the streak that is still alive today
    best: int  # done days in the longest streak ever (at least the current one)


def streaks(done_days: Iterable[date], today: date) -> Streaks:
    """The current and best streaks, forgiving one missed day a week (module docstring).

    A sliding window over the days from the first done day to today: the window is the longest
    run ending on each day whose missed days lie at least a week apart; a miss too close to the
    previous one moves the window's start just past that previous miss.
    """
    done = {day for day in done_days if day <= today}
    if not done:
        return Streaks(0, 0)
    day = min(done)
    count = 0  # done days in the window
    start: date | None = None  # the window's first day (a done day), None when empty
    last_miss: date | None = None  # the forgiven miss in the window, if any
    best = 0
    while day <= today:
        if day in done:
            if start is None:
                start = day
            count += 1
            best = max(best, count)
        elif day != today and start is not None:
            if last_miss is None or day - last_miss >= FORGIVE_EVERY:
                last_miss = day
            else:
                # Keep only what follows the previous miss; this miss is forgiven instead.
                count = sum(1 for d in _days(last_miss + _ONE_DAY, day) if d in done)
                start = last_miss + _ONE_DAY if count else None
                last_miss = day if count else None
        day += _ONE_DAY
    return Streaks(current=count if start is not None else 0, best=best)


def _days(first: date, end: date) -> Iterable[date]:
    """``first`` up to, not including, ``end``."""
    day = first
    while day < end:
        yield day
        day += _ONE_DAY


@dataclass(frozen=True)
class HoldReached:
    stretch_id: str
    name: str
    seconds: int
    times: int  # how often the stretch was done


@dataclass(frozen=True)
class Progress:
    """Everything /progress and the weekly summary show, for one user."""

    today: date
    first_day: date  # the Monday the calendar starts on
    per_day: Mapping[date, int]  # stretches done per local day, within the calendar
    streaks: Streaks
    areas: tuple[tuple[Area, int], ...]  # stretches done per body area, most first
    holds: tuple[HoldReached, ...]  # the longest holds of the stretches done, longest first
    total: int  # stretches done within the calendar
    this_week: int  # days with a stretch in the last 7 days, today included
    week_before: int  # the same for the 7 days before those

    @property
    def active_days(self) -> int:
        return sum(1 for count in self.per_day.values() if count)

    @property
    def days(self) -> list[date]:
        """Every day of the calendar, Monday of the first week to today."""
        return list(_days(self.first_day, self.today + _ONE_DAY))


def calendar_start(today: date) -> date:
    """The Monday ``WEEKS`` weeks back, so the current week is the calendar's last column."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)


def build_progress(
    done: Iterable[tuple[date, str | None]],
    today: date,
    stretches: StretchLookup,
    all_done_days: Iterable[date] = (),
) -> Progress:
    """Progress from the stretches done (local date, stretch id). Streaks use every day in
    ``done`` plus ``all_done_days`` (for a streak older than the calendar); the rest counts only
    the calendar's weeks. ``stretches`` looks a stretch up by id (in the user's language); one
    the library no longer has counts for the calendar only."""
    first = calendar_start(today)
    per_day: Counter[date] = Counter()
    areas: Counter[Area] = Counter()
    times: Counter[str] = Counter()
    found: dict[str, Stretch] = {}
    streak_days = set(all_done_days)
    for day, stretch_id in done:
        streak_days.add(day)
        if not first <= day <= today:
            continue
        per_day[day] += 1
        stretch = found.get(stretch_id or "") or stretches(stretch_id or "")
        if stretch is not None:
            found[stretch.id] = stretch
            areas.update(stretch.areas)
            times[stretch.id] += 1
    holds = sorted(
        (
            HoldReached(s.id, s.name, s.hold_seconds, times[s.id])
            for s in found.values()
            if s.hold_seconds is not None
        ),
        key=lambda hold: (-hold.seconds, -hold.times, hold.name),
    )
    week_ago = today - timedelta(days=6)
    return Progress(
        today=today,
        first_day=first,
        per_day=dict(per_day),
        streaks=streaks(streak_days, today),
        areas=tuple(sorted(areas.items(), key=lambda item: (-item[1], item[0].value))),
        holds=tuple(holds[:HOLDS_SHOWN]),
        total=sum(per_day.values()),
        this_week=sum(1 for d in per_day if d >= week_ago),
        week_before=sum(1 for d in per_day if week_ago - timedelta(days=7) <= d < week_ago),
    )


def progress_from_log(
    log: Sequence[tuple[datetime, str | None]], now: datetime, zone: str, stretches: StretchLookup
) -> Progress:
    """Progress from the activity log's done entries, in the user's local days."""
    tz = ZoneInfo(zone)
    done: list[tuple[date, str | None]] = [(at.astimezone(tz).date(), sid) for at, sid in log]
    return build_progress(done, now.astimezone(tz).date(), stretches)


class Suggestion(StrEnum):
    """One idea for next week, from how this one went."""

    FIRST_STEP = "first_step"  # nothing this week: one short stretch on two days
    ONE_MORE_DAY = "one_more_day"  # a few days: add one
    NEW_AREA = "new_area"  # a steady week: try an area not worked lately
    KEEP_GOING = "keep_going"  # a steady week in every area: keep the rhythm, rest is fine


@dataclass(frozen=True)
class Advice:
    suggestion: Suggestion
    area: Area | None = None  # for NEW_AREA


# At least this many days in a week counts as steady.
STEADY_DAYS = 4
_AREA_NAMES = frozenset(area.value for area in Area)


def suggest(progress: Progress, focus: Iterable[str] = ()) -> Advice:
    """One suggestion for next week: small steps first, then variety."""
    if progress.this_week == 0:
        return Advice(Suggestion.FIRST_STEP)
    if progress.this_week < STEADY_DAYS:
        return Advice(Suggestion.ONE_MORE_DAY)
    worked = {area for area, _ in progress.areas}
    wanted = [Area(a) for a in focus if a in _AREA_NAMES] or list(Area)
    missing = [area for area in wanted if area not in worked]
    if missing:
        return Advice(Suggestion.NEW_AREA, missing[0])
    return Advice(Suggestion.KEEP_GOING)
