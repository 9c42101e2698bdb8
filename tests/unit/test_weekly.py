"""The weekly summary's rules: its day and time, DST, one per week after a change, and the
first-week default."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import SUNDAY, WEDNESDAY
from bot.domain.weekly import (
    WeeklySettings,
    decide_weekly,
    next_weekly_due,
    on_by_first_week,
    week_start,
)

BERLIN = "Europe/Berlin"
GRACE = timedelta(hours=2)


def weekly(
    day: int = SUNDAY,
    local_time: time | None = None,
    reminder_time: time | None = None,
    enabled: bool | None = True,
) -> WeeklySettings:
    return WeeklySettings(enabled, day, local_time, reminder_time, BERLIN)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (weekly(), utc(2026, 10, 18, 16, 0)),  # Sunday 18:00 CEST
        (weekly(reminder_time=time(7, 30)), utc(2026, 10, 18, 5, 30)),
        (weekly(local_time=time(20, 0), reminder_time=time(7, 30)), utc(2026, 10, 18, 18, 0)),
        (weekly(day=WEDNESDAY), utc(2026, 10, 14, 16, 0)),  # later today
        (weekly(enabled=False), None),
        (weekly(enabled=None), None),  # never chosen: off
    ],
)
def test_when_it_is_due(settings: WeeklySettings, expected: datetime | None) -> None:
    now = utc(2026, 10, 14, 10, 0)  # Wednesday
    assert next_weekly_due(settings, now, None) == expected


def test_one_a_week_across_the_autumn_and_spring_changes() -> None:
    settings = weekly(local_time=time(2, 30))
    due = next_weekly_due(settings, utc(2026, 10, 19, 0, 0), None)
    sent = []
    for _ in range(30):
        assert due is not None
        decision = decide_weekly(due, due, GRACE, settings)
        assert decision.send
        sent.append(due)
        due = decision.next_due
    weeks = {week_start(instant, ZoneInfo(BERLIN)) for instant in sent}
    assert len(weeks) == 30
    # 02:30 happens twice on 25 October 2026: once only, the first time (CEST).
    assert sent[0] == utc(2026, 10, 25, 0, 30)
    # 02:30 does not exist on 28 March 2027: 03:30 CEST instead.
    assert utc(2027, 3, 28, 1, 30) in sent


def test_a_change_never_brings_a_second_summary_into_the_same_week() -> None:
    sent_at = utc(2026, 10, 18, 16, 0)  # Sunday's summary went out...
    queued = decide_weekly(sent_at, sent_at, GRACE, weekly()).next_due
    assert queued == utc(2026, 10, 25, 17, 0)  # ...next Sunday's is queued (CET by then)
    later = sent_at + timedelta(hours=1)
    # An hour later the user moves it to 20:00 the same Sunday: next week, not tonight.
    assert next_weekly_due(weekly(local_time=time(20, 0)), later, queued) == utc(
        2026, 10, 25, 19, 0
    )
    # Moved to Monday: this coming Monday is already next week.
    assert next_weekly_due(weekly(day=0), later, queued) == utc(2026, 10, 19, 16, 0)
    # Long after an old queue entry (paused meanwhile): simply the next one from now.
    assert next_weekly_due(weekly(), utc(2026, 12, 2, 9, 0), queued) == utc(2026, 12, 6, 17, 0)


def test_a_missed_summary_is_sent_late_within_the_grace_only() -> None:
    due = utc(2026, 10, 18, 16, 0)
    late = decide_weekly(due, due + timedelta(minutes=90), GRACE, weekly())
    assert late.send and late.next_due == utc(2026, 10, 25, 17, 0)
    missed = decide_weekly(due, due + timedelta(days=2), GRACE, weekly())
    assert not missed.send and missed.next_due == utc(2026, 10, 25, 17, 0)
    off = decide_weekly(due, due, GRACE, weekly(enabled=False))
    assert not off.send and off.next_due is None


@pytest.mark.parametrize(
    ("chosen", "age", "expected"),
    [
        (None, timedelta(days=2), True),
        (None, timedelta(days=6, hours=23), True),
        (None, timedelta(days=7), False),  # after the first week: stays off
        (False, timedelta(days=1), False),  # said no: stays no
        (True, timedelta(days=1), False),  # already on: nothing to do
    ],
)
def test_a_stretch_in_the_first_week_turns_it_on(
    chosen: bool | None, age: timedelta, expected: bool
) -> None:
    now = utc(2026, 10, 14, 10, 0)
    assert on_by_first_week(chosen, now - age, now) is expected
