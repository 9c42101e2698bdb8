"""Table-driven tests for bot.domain.schedule: day masks, next due across DST, catch-up."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    EVERY_DAY,
    FRIDAY,
    MONDAY,
    NO_DAYS,
    SATURDAY,
    SUNDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    WEEKDAYS,
    WEEKENDS,
    CatchUp,
    catch_up_due,
    day_bit,
    has_day,
    is_within_grace,
    next_due_at,
    occurrence_for,
    snooze_until,
    toggle_day,
    validate_days,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
SYDNEY = ZoneInfo("Australia/Sydney")
SANTIAGO = ZoneInfo("America/Santiago")
AUCKLAND = ZoneInfo("Pacific/Auckland")
# Nuuk springs forward from Saturday 23:00 to Sunday 00:00: the only current gap that pushes a
# local time past midnight, so Saturday's 23:30 reminder fires at 00:30 on Sunday.
NUUK = ZoneInfo("America/Nuuk")
ALL_ZONES = (LONDON, NEW_YORK, LORD_HOWE, KATHMANDU, SYDNEY, SANTIAGO, AUCKLAND, NUUK)


def days_from_weekdays(weekdays: Iterable[int]) -> int:
    """A mask from weekday numbers, e.g. {0, 2, 4} -> Mon, Wed, Fri."""
    mask = NO_DAYS
    for weekday in weekdays:
        mask |= day_bit(weekday)
    return mask


MON_WED_FRI = days_from_weekdays({MONDAY, WEDNESDAY, FRIDAY})


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- day masks ---------------------------------------------------------------------------------


def test_mask_constants() -> None:
    assert EVERY_DAY == 0b111_1111
    assert days_from_weekdays(range(MONDAY, SATURDAY)) == WEEKDAYS
    assert days_from_weekdays({SATURDAY, SUNDAY}) == WEEKENDS
    assert WEEKDAYS | WEEKENDS == EVERY_DAY
    assert WEEKDAYS & WEEKENDS == NO_DAYS


@pytest.mark.parametrize(
    ("mask", "weekday", "expected"),
    [
        (EVERY_DAY, MONDAY, 0b111_1110),
        (EVERY_DAY, SUNDAY, 0b011_1111),
        (NO_DAYS, MONDAY, 0b000_0001),
        (NO_DAYS, SUNDAY, 0b100_0000),
        (WEEKDAYS, SATURDAY, 0b011_1111),
        (WEEKENDS, SATURDAY, 0b100_0000),
        (day_bit(WEDNESDAY), WEDNESDAY, NO_DAYS),  # unticking the last day is allowed
        (MON_WED_FRI, TUESDAY, 0b001_0111),
    ],
)
def test_toggle_day(mask: int, weekday: int, expected: int) -> None:
    assert toggle_day(mask, weekday) == expected


def test_toggle_day_twice_is_identity_for_every_mask_and_day() -> None:
    for mask in range(EVERY_DAY + 1):
        for weekday in range(7):
            toggled = toggle_day(mask, weekday)
            assert toggled != mask
            assert has_day(toggled, weekday) != has_day(mask, weekday)
            assert toggle_day(toggled, weekday) == mask


@pytest.mark.parametrize("weekday", [-1, 7, 100])
def test_invalid_weekday_rejected(weekday: int) -> None:
    with pytest.raises(ValueError):
        toggle_day(EVERY_DAY, weekday)


@pytest.mark.parametrize("mask", [-1, 128, 1 << 10])
def test_invalid_mask_rejected(mask: int) -> None:
    with pytest.raises(ValueError):
        validate_days(mask)
    with pytest.raises(ValueError):
        next_due_at(utc(2026, 1, 1), time(7, 30), mask, LONDON)


# --- next_due_at: fixed cases ------------------------------------------------------------------

# (zone, after, local time, expected due) with EVERY_DAY. DST dates are those of 2026.
NEXT_DUE_CASES = [
    # London, plain winter and summer days.
    (LONDON, utc(2026, 1, 5, 6, 0), time(7, 30), utc(2026, 1, 5, 7, 30)),
    (LONDON, utc(2026, 1, 5, 7, 30), time(7, 30), utc(2026, 1, 6, 7, 30)),  # strictly after
    (LONDON, utc(2026, 1, 5, 7, 29, 59), time(7, 30), utc(2026, 1, 5, 7, 30)),
    (LONDON, utc(2026, 7, 1, 0, 0), time(7, 30), utc(2026, 7, 1, 6, 30)),
    # London spring forward 2026-03-29 01:00 GMT -> 02:00 BST: 01:30 becomes 02:30 BST.
    (LONDON, utc(2026, 3, 29, 0, 0), time(1, 30), utc(2026, 3, 29, 1, 30)),
    (LONDON, utc(2026, 3, 28, 8, 0), time(7, 30), utc(2026, 3, 29, 6, 30)),
    (LONDON, utc(2026, 3, 29, 1, 30), time(1, 30), utc(2026, 3, 30, 0, 30)),
    # London fall back 2026-10-25 02:00 BST -> 01:00 GMT: 01:30 fires at the first one only.
    (LONDON, utc(2026, 10, 24, 12, 0), time(1, 30), utc(2026, 10, 25, 0, 30)),
    (LONDON, utc(2026, 10, 25, 0, 30), time(1, 30), utc(2026, 10, 26, 1, 30)),
    (LONDON, utc(2026, 10, 25, 1, 0), time(1, 30), utc(2026, 10, 26, 1, 30)),
    (LONDON, utc(2026, 10, 24, 12, 0), time(7, 30), utc(2026, 10, 25, 7, 30)),
    # New York spring forward 2026-03-08 02:00 EST -> 03:00 EDT.
    (NEW_YORK, utc(2026, 3, 8, 5, 0), time(2, 30), utc(2026, 3, 8, 7, 30)),
    (NEW_YORK, utc(2026, 3, 8, 5, 0), time(7, 0), utc(2026, 3, 8, 11, 0)),
    (NEW_YORK, utc(2026, 3, 8, 5, 0), time(1, 59), utc(2026, 3, 8, 6, 59)),
    (NEW_YORK, utc(2026, 3, 8, 5, 0), time(3, 0), utc(2026, 3, 8, 7, 0)),
    # New York fall back 2026-11-01 02:00 EDT -> 01:00 EST.
    (NEW_YORK, utc(2026, 11, 1, 0, 0), time(1, 30), utc(2026, 11, 1, 5, 30)),
    (NEW_YORK, utc(2026, 11, 1, 5, 30), time(1, 30), utc(2026, 11, 2, 6, 30)),
    (NEW_YORK, utc(2026, 11, 1, 6, 0), time(1, 30), utc(2026, 11, 2, 6, 30)),
    # Lord Howe: 30-minute DST. Spring 2026-10-04 02:00 +10:30 -> 02:30 +11.
    (LORD_HOWE, utc(2026, 10, 3, 12, 0), time(2, 15), utc(2026, 10, 3, 15, 45)),
    (LORD_HOWE, utc(2026, 10, 3, 12, 0), time(2, 0), utc(2026, 10, 3, 15, 30)),
    (LORD_HOWE, utc(2026, 10, 3, 12, 0), time(2, 30), utc(2026, 10, 3, 15, 30)),
    # Lord Howe fall back 2026-04-05 02:00 +11 -> 01:30 +10:30: 01:45 happens twice.
    (LORD_HOWE, utc(2026, 4, 4, 12, 0), time(1, 45), utc(2026, 4, 4, 14, 45)),
    (LORD_HOWE, utc(2026, 4, 4, 14, 45), time(1, 45), utc(2026, 4, 5, 15, 15)),
    (LORD_HOWE, utc(2026, 1, 10, 0, 0), time(7, 30), utc(2026, 1, 10, 20, 30)),
    # Kathmandu: +05:45 all year.
    (KATHMANDU, utc(2026, 6, 1, 0, 0), time(7, 30), utc(2026, 6, 1, 1, 45)),
    (KATHMANDU, utc(2026, 6, 1, 0, 0), time(0, 0), utc(2026, 6, 1, 18, 15)),
    (KATHMANDU, utc(2026, 12, 31, 18, 14), time(0, 0), utc(2026, 12, 31, 18, 15)),
    # Sydney: spring 2026-10-04 02:00 +10 -> 03:00 +11; fall 2026-04-05 03:00 +11 -> 02:00 +10.
    (SYDNEY, utc(2026, 10, 3, 12, 0), time(2, 30), utc(2026, 10, 3, 16, 30)),
    (SYDNEY, utc(2026, 4, 4, 12, 0), time(2, 30), utc(2026, 4, 4, 15, 30)),
    (SYDNEY, utc(2026, 4, 4, 15, 30), time(2, 30), utc(2026, 4, 5, 16, 30)),
    # Santiago: spring 2026-09-06 00:00 -04 -> 01:00 -03 (midnight is missing);
    # fall 2026-04-05 00:00 -03 -> 2026-04-04 23:00 -04 (23:00-24:00 happens twice).
    (SANTIAGO, utc(2026, 9, 5, 12, 0), time(0, 30), utc(2026, 9, 6, 4, 30)),
    (SANTIAGO, utc(2026, 9, 5, 12, 0), time(0, 0), utc(2026, 9, 6, 4, 0)),
    (SANTIAGO, utc(2026, 9, 5, 12, 0), time(23, 59), utc(2026, 9, 6, 3, 59)),
    (SANTIAGO, utc(2026, 4, 4, 12, 0), time(23, 30), utc(2026, 4, 5, 2, 30)),
    (SANTIAGO, utc(2026, 4, 5, 2, 30), time(23, 30), utc(2026, 4, 6, 3, 30)),
    (SANTIAGO, utc(2026, 4, 5, 3, 0), time(23, 30), utc(2026, 4, 6, 3, 30)),
    # Auckland: spring 2026-09-27 02:00 +12 -> 03:00 +13; fall 2026-04-05 03:00 +13 -> 02:00 +12.
    (AUCKLAND, utc(2026, 9, 26, 0, 0), time(2, 30), utc(2026, 9, 26, 14, 30)),
    (AUCKLAND, utc(2026, 4, 4, 0, 0), time(2, 30), utc(2026, 4, 4, 13, 30)),
    (AUCKLAND, utc(2026, 4, 4, 13, 30), time(2, 30), utc(2026, 4, 5, 14, 30)),
    # Nuuk: spring 2026-03-29 01:00Z, Sat 23:00 -02 -> Sun 00:00 -01; fall 2026-10-25 01:00Z,
    # Sat 24:00 -01 -> 23:00 -02 (Saturday 23:00-24:00 happens twice).
    (NUUK, utc(2026, 3, 28, 12, 0), time(23, 30), utc(2026, 3, 29, 1, 30)),  # Sun 00:30 local
    (NUUK, utc(2026, 3, 29, 1, 20), time(23, 30), utc(2026, 3, 29, 1, 30)),  # after midnight
    (NUUK, utc(2026, 3, 29, 1, 30), time(23, 30), utc(2026, 3, 30, 0, 30)),
    (NUUK, utc(2026, 3, 29, 0, 0), time(0, 0), utc(2026, 3, 29, 1, 0)),
    (NUUK, utc(2026, 10, 24, 12, 0), time(23, 30), utc(2026, 10, 25, 0, 30)),
    (NUUK, utc(2026, 10, 25, 0, 30), time(23, 30), utc(2026, 10, 26, 1, 30)),
    (NUUK, utc(2026, 10, 25, 1, 0), time(23, 30), utc(2026, 10, 26, 1, 30)),
    # Extremes of the day.
    (LONDON, utc(2026, 1, 7, 0, 0), time(0, 0), utc(2026, 1, 8, 0, 0)),
    (LONDON, utc(2026, 1, 7, 0, 0), time(23, 59), utc(2026, 1, 7, 23, 59)),
    (LONDON, utc(2026, 12, 31, 23, 59), time(23, 59), utc(2027, 1, 1, 23, 59)),
    (AUCKLAND, utc(2026, 1, 7, 0, 0), time(0, 0), utc(2026, 1, 7, 11, 0)),
    (AUCKLAND, utc(2026, 1, 7, 0, 0), time(23, 59), utc(2026, 1, 7, 10, 59)),
]


@pytest.mark.parametrize(
    ("tz", "after", "local_time", "expected"),
    NEXT_DUE_CASES,
    ids=[f"{case[0].key}-{case[1]:%m%dT%H%M%S}-{case[2]:%H%M}" for case in NEXT_DUE_CASES],
)
def test_next_due_at(tz: ZoneInfo, after: datetime, local_time: time, expected: datetime) -> None:
    due = next_due_at(after, local_time, EVERY_DAY, tz)
    assert due == expected
    assert due is not None and due.tzinfo is UTC


# After Wednesday 2026-01-07 12:00 UTC (07:30 London already passed that day).
WEEKDAY_CASES = [
    (day_bit(MONDAY), date(2026, 1, 12)),
    (day_bit(TUESDAY), date(2026, 1, 13)),
    (day_bit(WEDNESDAY), date(2026, 1, 14)),  # a full week later, not today
    (day_bit(THURSDAY), date(2026, 1, 8)),
    (day_bit(FRIDAY), date(2026, 1, 9)),
    (day_bit(SATURDAY), date(2026, 1, 10)),
    (day_bit(SUNDAY), date(2026, 1, 11)),
    (WEEKDAYS, date(2026, 1, 8)),
    (WEEKENDS, date(2026, 1, 10)),
    (EVERY_DAY, date(2026, 1, 8)),
    (MON_WED_FRI, date(2026, 1, 9)),
    (days_from_weekdays({TUESDAY}) | day_bit(WEDNESDAY), date(2026, 1, 13)),
]


@pytest.mark.parametrize(("mask", "expected_day"), WEEKDAY_CASES)
def test_next_due_weekday_patterns(mask: int, expected_day: date) -> None:
    due = next_due_at(utc(2026, 1, 7, 12, 0), time(7, 30), mask, LONDON)
    assert due == datetime.combine(expected_day, time(7, 30), tzinfo=UTC)


@pytest.mark.parametrize(("mask", "expected_day"), WEEKDAY_CASES)
def test_next_due_weekday_patterns_before_time_today(mask: int, expected_day: date) -> None:
    # At 06:00 on Wednesday, a Wednesday reminder is still due today.
    due = next_due_at(utc(2026, 1, 7, 6, 0), time(7, 30), mask, LONDON)
    expected = date(2026, 1, 7) if has_day(mask, WEDNESDAY) else expected_day
    assert due == datetime.combine(expected, time(7, 30), tzinfo=UTC)


@pytest.mark.parametrize("tz", ALL_ZONES, ids=lambda tz: tz.key)
def test_no_days_means_never(tz: ZoneInfo) -> None:
    assert next_due_at(utc(2026, 1, 7, 12, 0), time(7, 30), NO_DAYS, tz) is None


def test_after_in_another_zone_is_accepted() -> None:
    after = datetime(2026, 1, 7, 13, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 12:00 UTC
    assert next_due_at(after, time(7, 30), EVERY_DAY, LONDON) == utc(2026, 1, 8, 7, 30)


def test_local_time_fold_and_tzinfo_are_ignored() -> None:
    after = utc(2026, 10, 24, 12, 0)
    plain = next_due_at(after, time(1, 30), EVERY_DAY, LONDON)
    assert next_due_at(after, time(1, 30, fold=1), EVERY_DAY, LONDON) == plain
    assert next_due_at(after, time(1, 30, tzinfo=UTC), EVERY_DAY, LONDON) == plain


def test_naive_after_is_rejected() -> None:
    with pytest.raises(ValueError):
        next_due_at(datetime(2026, 1, 1, 12, 0), time(7, 30), EVERY_DAY, LONDON)


def test_ambiguous_time_fires_once_on_fall_back_day() -> None:
    first = next_due_at(utc(2026, 10, 24, 12, 0), time(1, 30), EVERY_DAY, LONDON)
    assert first == utc(2026, 10, 25, 0, 30)
    assert first.astimezone(LONDON).fold == 0
    second = next_due_at(first, time(1, 30), EVERY_DAY, LONDON)
    assert second is not None
    assert occurrence_for(second, LONDON) == date(2026, 10, 26)


# --- next_due_at: a whole year, every zone -----------------------------------------------------

WALK_TIMES = [time(0, 0), time(1, 30), time(1, 45), time(2, 15), time(2, 30), time(7, 30),
              time(23, 30), time(23, 59)]  # fmt: skip
WALK_MASKS = [EVERY_DAY, WEEKDAYS, WEEKENDS, MON_WED_FRI, day_bit(SUNDAY), day_bit(SATURDAY)]


def _walk_year(tz: ZoneInfo, year: int, local_time: time, mask: int) -> list[datetime]:
    after = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC) - timedelta(microseconds=1)
    end = datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC)
    results: list[datetime] = []
    for _ in range(400):  # bounded: a bug that stops advancing must fail, not hang
        due = next_due_at(after, local_time, mask, tz)
        assert due is not None and due > after
        if due >= end:
            return results
        results.append(due)
        after = due
    raise AssertionError("more than 400 reminders in one year")


def _wall_exists(day: date, local_time: time, tz: ZoneInfo) -> bool:
    wall = datetime.combine(day, local_time, tzinfo=tz)
    return wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None)


def _assert_lands_on_time(due: datetime, local_time: time, tz: ZoneInfo) -> None:
    local = due.astimezone(tz)
    day = occurrence_for(due, tz, local_time)
    if _wall_exists(day, local_time, tz):
        assert (local.date(), local.time()) == (day, local_time)
        assert local.fold == 0, "ambiguous times fire at their first occurrence"
        return
    # Inside a spring-forward gap: shifted by exactly the size of the gap.
    before = (due - timedelta(hours=3)).astimezone(tz).utcoffset()
    after = local.utcoffset()
    assert before is not None and after is not None and after > before
    shifted = datetime.combine(day, local_time) + (after - before)
    assert local.replace(tzinfo=None) == shifted


@pytest.mark.parametrize("year", [2024, 2026])
@pytest.mark.parametrize("mask", WALK_MASKS, ids=lambda mask: f"days-{mask:07b}")
@pytest.mark.parametrize("local_time", WALK_TIMES, ids=lambda t: f"{t:%H%M}")
@pytest.mark.parametrize("tz", ALL_ZONES, ids=lambda tz: tz.key)
def test_whole_year_walk(tz: ZoneInfo, local_time: time, mask: int, year: int) -> None:
    results = _walk_year(tz, year, local_time, mask)

    assert all(earlier < later for earlier, later in pairwise(results))
    assert all(due.tzinfo is UTC for due in results)
    first_day = date(year, 1, 1)
    days_in_year = (date(year + 1, 1, 1) - first_day).days
    chosen = [
        first_day + timedelta(days=n)
        for n in range(days_in_year)
        if has_day(mask, (first_day + timedelta(days=n)).weekday())
    ]
    # Exactly one reminder per chosen local day, none on other days, none twice.
    assert [occurrence_for(due, tz, local_time) for due in results] == chosen
    if mask == EVERY_DAY:
        assert len(results) == (366 if year == 2024 else 365)
    for due in results:
        _assert_lands_on_time(due, local_time, tz)


# --- next_due_at against a brute-force minute scan around every 2026 transition ----------------


def _transitions(tz: ZoneInfo, year: int) -> list[datetime]:
    found: list[datetime] = []
    instant = utc(year, 1, 1)
    offset = instant.astimezone(tz).utcoffset()
    while instant.year == year:
        later = instant + timedelta(minutes=30)
        if later.astimezone(tz).utcoffset() != offset:
            found.append(later)
            offset = later.astimezone(tz).utcoffset()
        instant = later
    return found


class _Reading(NamedTuple):
    instant: datetime
    wall: datetime  # naive local wall clock
    wall_time: time
    fold: int
    skipped_from: datetime | None  # first wall clock the zone jumped over, if it jumped


def _clock_readings(tz: ZoneInfo, start: datetime, minutes: int) -> list[_Reading]:
    """What the wall clock shows every minute from ``start`` on, and where it jumps forward."""
    readings: list[_Reading] = []
    previous = start.astimezone(tz).replace(tzinfo=None, fold=0)
    for step in range(1, minutes + 1):
        instant = start + timedelta(minutes=step)
        local = instant.astimezone(tz)
        wall = local.replace(tzinfo=None, fold=0)
        expected = previous + timedelta(minutes=1)
        skipped_from = expected if wall > expected else None
        readings.append(_Reading(instant, wall, wall.time(), local.fold, skipped_from))
        previous = wall
    return readings


def _reference_occurrences(readings: list[_Reading], local_time: time, mask: int) -> list[datetime]:
    """Occurrences found the slow, obvious way: watch the wall clock minute by minute."""
    found: list[datetime] = []
    for reading in readings:
        if reading.skipped_from is not None:  # walls in [skipped_from, wall) never showed
            first_day = reading.skipped_from.date()
            for offset in range((reading.wall.date() - first_day).days + 1):
                skipped = datetime.combine(first_day + timedelta(days=offset), local_time)
                if reading.skipped_from <= skipped < reading.wall and has_day(
                    mask, skipped.weekday()
                ):
                    found.append(reading.instant + (skipped - reading.skipped_from))
        if (
            reading.fold == 0
            and reading.wall_time == local_time
            and has_day(mask, reading.wall.weekday())
        ):
            found.append(reading.instant)
    return sorted(found)


REFERENCE_TIMES = [time(0, 0), time(0, 30), time(1, 0), time(1, 30), time(1, 45), time(2, 0),
                   time(2, 15), time(2, 30), time(3, 0), time(23, 0), time(23, 30),
                   time(23, 59)]  # fmt: skip


@pytest.mark.parametrize("tz", [tz for tz in ALL_ZONES if tz is not KATHMANDU], ids=str)
def test_matches_minute_by_minute_reference_around_transitions(tz: ZoneInfo) -> None:
    transitions = _transitions(tz, 2026)
    assert len(transitions) == 2
    for transition in transitions:
        start = transition - timedelta(hours=36)
        window_end = start + timedelta(days=4)
        readings = _clock_readings(tz, start, 4 * 24 * 60)
        # The day of the change and the day before it, alone, catch day-boundary mistakes.
        local_day = transition.astimezone(tz).weekday()
        masks = (EVERY_DAY, day_bit(local_day), day_bit((local_day - 1) % 7))
        for local_time in REFERENCE_TIMES:
            for mask in masks:
                reference = _reference_occurrences(readings, local_time, mask)
                for step in range(0, 60 * 60, 20):  # afters from 36 h before to 24 h after
                    after = start + timedelta(minutes=step)
                    index = bisect.bisect_right(reference, after)
                    due = next_due_at(after, local_time, mask, tz)
                    if index < len(reference):
                        assert due == reference[index], (after, local_time, mask)
                    else:
                        assert due is not None and due > window_end


# --- occurrence_for, snooze --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "tz", "expected"),
    [
        (utc(2026, 7, 1, 23, 30), LONDON, date(2026, 7, 2)),  # 00:30 BST
        (utc(2026, 1, 1, 23, 30), LONDON, date(2026, 1, 1)),
        (utc(2026, 6, 1, 18, 15), KATHMANDU, date(2026, 6, 2)),
        (utc(2026, 1, 1, 3, 0), NEW_YORK, date(2025, 12, 31)),
        (utc(2026, 4, 5, 2, 30), SANTIAGO, date(2026, 4, 4)),  # first 23:30 of the long night
        (utc(2026, 4, 5, 3, 30), SANTIAGO, date(2026, 4, 4)),  # second 23:30, same date
        (utc(2026, 3, 29, 1, 30), NUUK, date(2026, 3, 29)),  # fires Sunday 00:30 local
    ],
)
def test_occurrence_for(due: datetime, tz: ZoneInfo, expected: date) -> None:
    assert occurrence_for(due, tz) == expected


@pytest.mark.parametrize(
    ("due", "tz", "local_time", "expected"),
    [
        (utc(2026, 7, 1, 23, 30), LONDON, time(0, 30), date(2026, 7, 2)),
        (utc(2026, 3, 29, 1, 30), LONDON, time(1, 30), date(2026, 3, 29)),  # gap, same day
        (utc(2026, 3, 29, 1, 30), NUUK, time(23, 30), date(2026, 3, 28)),  # Saturday's, shifted
        (utc(2026, 3, 30, 0, 30), NUUK, time(23, 30), date(2026, 3, 29)),
        (utc(2026, 3, 29, 1, 0), NUUK, time(0, 0), date(2026, 3, 29)),
        (utc(2026, 1, 5, 12, 0), LONDON, time(7, 30), date(2026, 1, 5)),  # not an occurrence
    ],
)
def test_occurrence_for_with_local_time(
    due: datetime, tz: ZoneInfo, local_time: time, expected: date
) -> None:
    assert occurrence_for(due, tz, local_time) == expected


@pytest.mark.parametrize(
    ("now", "minutes", "expected"),
    [
        (utc(2026, 1, 1, 10, 0), 10, utc(2026, 1, 1, 10, 10)),
        (utc(2026, 1, 1, 23, 55), 10, utc(2026, 1, 2, 0, 5)),
        (utc(2026, 1, 1, 10, 0), 1, utc(2026, 1, 1, 10, 1)),
        (utc(2026, 1, 1, 10, 0), 24 * 60, utc(2026, 1, 2, 10, 0)),
        (datetime(2026, 3, 29, 0, 55, tzinfo=LONDON), 10, utc(2026, 3, 29, 1, 5)),
    ],
)
def test_snooze_until(now: datetime, minutes: int, expected: datetime) -> None:
    result = snooze_until(now, minutes)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_snooze_rejects_silly_durations(minutes: int) -> None:
    with pytest.raises(ValueError):
        snooze_until(utc(2026, 1, 1, 10, 0), minutes)


def test_snooze_rejects_naive_now() -> None:
    with pytest.raises(ValueError):
        snooze_until(datetime(2026, 1, 1, 10, 0), 10)


# --- catch-up ----------------------------------------------------------------------------------

DUE = utc(2026, 1, 5, 7, 30)  # a Monday, 07:30 in London (GMT)
GRACE = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("now", "grace", "expected"),
    [
        (DUE, GRACE, True),
        (DUE + timedelta(minutes=29, seconds=59), GRACE, True),
        (DUE + GRACE, GRACE, False),  # missed by exactly the grace: too late
        (DUE + timedelta(hours=5), GRACE, False),
        (DUE - timedelta(seconds=1), GRACE, False),  # not due yet
        (DUE, timedelta(0), False),  # zero grace disables late sends
        (DUE + timedelta(days=1), timedelta(days=2), True),
    ],
)
def test_is_within_grace(now: datetime, grace: timedelta, expected: bool) -> None:
    assert is_within_grace(DUE, now, grace) is expected


def test_is_within_grace_rejects_negative_grace() -> None:
    with pytest.raises(ValueError):
        is_within_grace(DUE, DUE, timedelta(minutes=-1))


CATCH_UP_CASES = [
    # (stored due, now, mask, expected)
    pytest.param(DUE, DUE - timedelta(minutes=1), EVERY_DAY, CatchUp(False, DUE), id="not-due"),
    pytest.param(DUE, DUE, EVERY_DAY, CatchUp(True, utc(2026, 1, 6, 7, 30)), id="on-time"),
    pytest.param(
        DUE, DUE + timedelta(minutes=5), EVERY_DAY, CatchUp(True, utc(2026, 1, 6, 7, 30)),
        id="late-within-grace",
    ),
    pytest.param(
        DUE, DUE + timedelta(hours=2), EVERY_DAY, CatchUp(False, utc(2026, 1, 6, 7, 30)),
        id="too-late-skipped",
    ),
    pytest.param(
        DUE, utc(2026, 1, 8, 7, 40), EVERY_DAY, CatchUp(True, utc(2026, 1, 9, 7, 30)),
        id="long-outage-latest-missed-by-10min",
    ),
    pytest.param(
        DUE, utc(2026, 1, 8, 12, 0), EVERY_DAY, CatchUp(False, utc(2026, 1, 9, 7, 30)),
        id="long-outage-all-stale",
    ),
    pytest.param(
        DUE, utc(2026, 1, 10, 7, 35), WEEKDAYS, CatchUp(False, utc(2026, 1, 12, 7, 30)),
        id="outage-into-weekend-not-chosen",
    ),
    pytest.param(
        utc(2026, 1, 5, 10, 15), utc(2026, 1, 5, 10, 20), EVERY_DAY,
        CatchUp(True, utc(2026, 1, 6, 7, 30)), id="snoozed-due-not-on-schedule",
    ),
    pytest.param(
        utc(2026, 3, 28, 7, 30), utc(2026, 3, 29, 6, 40), EVERY_DAY,
        CatchUp(True, utc(2026, 3, 30, 6, 30)), id="outage-across-spring-forward",
    ),
    pytest.param(DUE, DUE + timedelta(minutes=5), NO_DAYS, CatchUp(True, None), id="no-days"),
]  # fmt: skip


@pytest.mark.parametrize(("due_at", "now", "mask", "expected"), CATCH_UP_CASES)
def test_catch_up_due(due_at: datetime, now: datetime, mask: int, expected: CatchUp) -> None:
    assert catch_up_due(due_at, now, GRACE, time(7, 30), mask, LONDON) == expected


def test_catch_up_never_floods_and_never_schedules_the_past() -> None:
    # A month of downtime, checked every hour: at most one send, and next_due always ahead.
    now = DUE + timedelta(minutes=1)
    for _ in range(30 * 24):
        result = catch_up_due(DUE, now, GRACE, time(7, 30), EVERY_DAY, LONDON)
        assert result.next_due is not None and result.next_due > now
        now += timedelta(hours=1)


def test_catch_up_zero_grace_never_sends_late() -> None:
    result = catch_up_due(DUE, utc(2026, 1, 8, 7, 30), timedelta(0), time(7, 30), EVERY_DAY, LONDON)
    assert result == CatchUp(False, utc(2026, 1, 9, 7, 30))
