"""Pure scheduling rules for daily reminders: chosen days, next due instant, snooze, catch-up.

Everything here works on aware datetimes and ``zoneinfo.ZoneInfo`` objects only; no clocks are
read and nothing is stored, so every rule can be tested with fixed instants.

Conventions
-----------
* Days of the week are a 7-bit mask: bit 0 = Monday ... bit 6 = Sunday, matching
  ``date.weekday()``. A mask of 0 ("No days") is allowed so a user can untick every day while
  editing; ``next_due_at`` then returns ``None`` (the reminder is effectively paused).
* Due instants are always aware UTC datetimes.
* A local time that does not exist on a given day (inside a spring-forward gap) fires that many
  minutes later, i.e. it is moved forward by the size of the gap (02:30 on a 02:00->03:00 day
  fires at 03:30). This is PEP 495's ``fold=0`` mapping for gap times.
* A local time that happens twice (inside a fall-back hour) fires once, at the first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)

NO_DAYS = 0
EVERY_DAY = 0b111_1111
WEEKDAYS = 0b001_1111
WEEKENDS = 0b110_0000

# Offsets from the local date of ``after`` at which a due date can lie: up to the same weekday a
# week later, and the day before (see ``next_due_at``). Built once: making timedeltas per call
# was a measurable share of the run time.
_DAY_STEPS: tuple[timedelta, ...] = tuple(timedelta(days=offset) for offset in range(-1, 8))
_ONE_DAY = timedelta(days=1)

# Snoozing longer than a day is almost certainly a mistake; the next daily reminder covers it.
MAX_SNOOZE_MINUTES = 24 * 60


# --- day masks ---------------------------------------------------------------------------------


def validate_days(days: int) -> int:
    """Return ``days`` unchanged if it is a valid 7-bit mask, else raise ``ValueError``."""
    if not 0 <= days <= EVERY_DAY:
        raise ValueError(f"day mask must be between 0 and {EVERY_DAY}, got {days}")
    return days


def _validate_weekday(weekday: int) -> int:
    if not MONDAY <= weekday <= SUNDAY:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday}")
    return weekday


def day_bit(weekday: int) -> int:
    """The mask bit for one weekday (0 = Monday ... 6 = Sunday)."""
    return 1 << _validate_weekday(weekday)


def has_day(days: int, weekday: int) -> bool:
    """Whether ``weekday`` is chosen in ``days``."""
    return bool(validate_days(days) & day_bit(weekday))


def toggle_day(days: int, weekday: int) -> int:
    """Flip one weekday in the mask. May yield ``NO_DAYS``; see the module docstring."""
    return validate_days(days) ^ day_bit(weekday)


# --- next due ----------------------------------------------------------------------------------


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _wall_time(local_time: time) -> time:
    # Callers may pass a time carrying tzinfo or fold=1; the wall clock value is all that counts,
    # and fold=0 is what gives "first occurrence" / "shift forward through the gap" semantics.
    if local_time.tzinfo is None and local_time.fold == 0:
        return local_time
    return local_time.replace(tzinfo=None, fold=0)


def _instant_for(day: date, wall: time, tz: tzinfo) -> datetime:
    """UTC instant at which ``tz`` shows ``wall`` on ``day`` (first occurrence / gap-shifted)."""
    # With fold=0, zoneinfo maps an ambiguous wall time to its first occurrence and a gap time
    # using the offset from before the transition, i.e. shifted forward by the gap (PEP 495).
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def next_due_at(after: datetime, local_time: time, days: int, tz: ZoneInfo) -> datetime | None:
    """Earliest UTC instant strictly after ``after`` at which ``tz`` shows ``local_time``.

    Only dates whose weekday is in ``days`` count; returns ``None`` when no day is chosen. Gap
    times are shifted forward by the gap; ambiguous times fire only at their first occurrence, so
    ``next_due_at(after=first occurrence)`` skips the second one and moves to the next chosen day.
    """
    _require_aware(after, "after")
    if validate_days(days) == NO_DAYS:
        return None
    wall = _wall_time(local_time)
    after_utc = after.astimezone(UTC)
    local_after = after_utc.astimezone(tz)
    today = local_after.date()
    # Yesterday's occurrence can only be later than ``after`` if a gap shifted it past midnight
    # (America/Nuuk jumps from Saturday 23:00 to Sunday 00:00, so Saturday 23:30 fires at 00:30
    # on Sunday). That requires the local clock at ``after`` to read earlier than ``wall``, given
    # offset jumps of at most 24 h (the largest in the tz database). Skipping yesterday otherwise
    # saves a conversion in the common call ``next_due_at(after=previous_due)``.
    steps = _DAY_STEPS if local_after.time() < wall else _DAY_STEPS[1:]
    # Candidate instants grow with the date, so the first chosen date whose instant is later
    # than ``after`` is the answer; at most eight dates are looked at, few are converted.
    for step in steps:
        day = today + step
        if not days & (1 << day.weekday()):
            continue
        candidate = _instant_for(day, wall, tz)
        if candidate > after_utc:
            return candidate
    # Unreachable for a non-empty mask: the same weekday a week later is always in the future.
    raise AssertionError("no candidate found within eight days")


def occurrence_for(due_utc: datetime, tz: ZoneInfo, local_time: time | None = None) -> date:
    """The user's local date a due instant belongs to (e.g. for "skip today").

    That is the local date on which it fires, except in one rare case that ``local_time``
    resolves: when a spring-forward gap straddles midnight (America/Nuuk jumps from Saturday
    23:00 to Sunday 00:00), Saturday's 23:30 reminder fires at 00:30 on Sunday but belongs to
    Saturday. Without ``local_time`` such an instant is attributed to the day it fires.
    """
    _require_aware(due_utc, "due_utc")
    firing_date = due_utc.astimezone(tz).date()
    if local_time is None:
        return firing_date
    wall = _wall_time(local_time)
    if _instant_for(firing_date, wall, tz) == due_utc:
        return firing_date
    previous = firing_date - _ONE_DAY
    if _instant_for(previous, wall, tz) == due_utc:
        return previous
    return firing_date


# --- snooze and catch-up -----------------------------------------------------------------------


def snooze_until(now: datetime, minutes: int) -> datetime:
    """When a reminder snoozed at ``now`` for ``minutes`` comes back (aware UTC)."""
    _require_aware(now, "now")
    if not 1 <= minutes <= MAX_SNOOZE_MINUTES:
        raise ValueError(f"snooze must be 1 to {MAX_SNOOZE_MINUTES} minutes, got {minutes}")
    return now.astimezone(UTC) + timedelta(minutes=minutes)


def is_within_grace(due_at: datetime, now: datetime, grace: timedelta) -> bool:
    """Whether a reminder due at ``due_at`` is due and was missed by less than ``grace``.

    A grace of zero disables late sending entirely (even a few milliseconds late is "missed").
    """
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    if grace < timedelta(0):
        raise ValueError("grace must not be negative")
    return due_at <= now and now - due_at < grace


class CatchUp(NamedTuple):
    """Outcome of checking a stored due instant: send now or not, and what to store next."""

    send: bool
    next_due: datetime | None


def catch_up_due(
    due_at: datetime,
    now: datetime,
    grace: timedelta,
    local_time: time,
    days: int,
    tz: ZoneInfo,
) -> CatchUp:
    """Decide what to do with a stored ``due_at`` at ``now`` (e.g. after downtime).

    * Not yet due: nothing to send, keep ``due_at``.
    * Due and either ``due_at`` itself or the latest scheduled occurrence since it was missed by
      less than ``grace``: send once, late.
    * Otherwise skip silently. Never more than one send, however much was missed.

    Whenever ``due_at`` has passed, the next due is the first occurrence strictly after ``now``,
    so the caller never stores an instant in the past (and never floods missed reminders).
    """
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    if now < due_at:
        return CatchUp(send=False, next_due=due_at.astimezone(UTC))
    send = is_within_grace(due_at, now, grace) or _recent_occurrence_missed(
        now, grace, local_time, days, tz
    )
    return CatchUp(send=send, next_due=next_due_at(now, local_time, days, tz))


def _recent_occurrence_missed(
    now: datetime, grace: timedelta, local_time: time, days: int, tz: ZoneInfo
) -> bool:
    # After a long outage the stored due_at is days old, but today's occurrence may have been
    # missed by only a minute; that one deserves a late send. (It is also after due_at: the caller
    # only gets here when due_at is older than the grace.) The first occurrence strictly after
    # now - grace is such an occurrence iff it is not in the future.
    if grace <= timedelta(0):
        return False
    occurrence = next_due_at(now - grace, local_time, days, tz)
    return occurrence is not None and occurrence <= now


# --- display -----------------------------------------------------------------------------------


def format_clock(value: datetime | time) -> str:
    """24-hour "HH:MM" for a local time or datetime."""
    return f"{value.hour:02d}:{value.minute:02d}"
