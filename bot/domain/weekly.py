"""The weekly summary's rules: when it is due, whether it is on, and the first-week default.

Due on the user's chosen weekday at their chosen local time (else their reminder time, else
18:00), in their timezone, through the daily schedule's rules (``domain.schedule``: DST gaps
move forward, an ambiguous time fires once). A changed setting never brings a second summary
into a week that already had one: the next one is looked for from the start of the week of the
one already queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.reminders import DueDecision
from bot.domain.schedule import SUNDAY, catch_up_due, day_bit, next_due_at

# Its name in deliveries.kind.
KIND = "weekly"
DEFAULT_DAY = SUNDAY
DEFAULT_TIME = time(18, 0)
# A user who does a stretch this soon after first contact gets the summary unless they say no.
FIRST_WEEK = timedelta(days=7)
_JUST_BEFORE = timedelta(microseconds=1)


@dataclass(frozen=True)
class WeeklySettings:
    enabled: bool | None  # None: not chosen, which is off
    day: int  # 0 = Monday ... 6 = Sunday
    local_time: time | None  # None: the reminder time, else DEFAULT_TIME
    reminder_time: time | None
    zone: str

    @property
    def at(self) -> time:
        """The local time it comes at."""
        return self.local_time or self.reminder_time or DEFAULT_TIME


def week_start(instant: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant the local week (from Monday 00:00) holding ``instant`` began."""
    local = instant.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=zone).astimezone(UTC)


def next_weekly_due(
    settings: WeeklySettings, now: datetime, queued: datetime | None
) -> datetime | None:
    """The queue entry after a change: None when off; else the first occurrence after ``now``
    and not in an earlier week than the ``queued`` one (each week at most one summary)."""
    if not settings.enabled:
        return None
    zone = ZoneInfo(settings.zone)
    after = now
    if queued is not None:
        after = max(now, week_start(queued, zone) - _JUST_BEFORE)
    return next_due_at(after, settings.at, day_bit(settings.day), zone)


def decide_weekly(
    due_at: datetime, now: datetime, grace: timedelta, settings: WeeklySettings
) -> DueDecision:
    """Send once if missed by less than ``grace``; the queue moves to next week's instant."""
    if not settings.enabled:
        return DueDecision(send=False, next_due=None)
    catch_up = catch_up_due(
        due_at, now, grace, settings.at, day_bit(settings.day), ZoneInfo(settings.zone)
    )
    return DueDecision(send=catch_up.send, next_due=catch_up.next_due)


def on_by_first_week(chosen: bool | None, created_at: datetime, now: datetime) -> bool:
    """A stretch done at ``now`` turns the summary on: only while it was never chosen, and only
    in the user's first week."""
    return chosen is None and now - created_at < FIRST_WEEK
