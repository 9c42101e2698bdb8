"""Progress rules: forgiving streaks, the calendar, totals per area, holds and the suggestion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.catalog import load_catalog
from bot.catalog.stretches import Area
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.progress import (
    WEEKS,
    Streaks,
    Suggestion,
    build_progress,
    calendar_start,
    streaks,
    suggest,
)

TODAY = date(2026, 11, 30)  # a Monday
LIBRARY = load_catalog(DEFAULT_CONTENT_DIR).stretches


def days(pattern: str, end: date = TODAY) -> list[date]:
    """Done days from a pattern ending on ``end``: "x" done, "." not (oldest first)."""
    first = end - timedelta(days=len(pattern) - 1)
    return [first + timedelta(days=i) for i, mark in enumerate(pattern) if mark == "x"]


@pytest.mark.parametrize(
    ("pattern", "current", "best"),
    [
        ("", 0, 0),
        ("x", 1, 1),
        (".", 0, 0),
        ("x.", 1, 1),  # today is not over: the streak is alive
        ("xx", 2, 2),
        ("x..", 1, 1),  # yesterday forgiven, today not over
        ("x...", 0, 1),  # two missed days in a row: broken
        ("xx.x", 3, 3),  # one missed day forgiven
        ("xx.xx.x", 3, 4),  # two misses within a week: the older part drops off
        ("xx.xxxxxx.x", 9, 9),  # misses 7 days apart: both forgiven
        ("xx.xxxxx.x", 6, 7),  # misses 6 days apart: only the newer run counts now
        ("xxxxx.xxxx.xxxxxxxxx", 13, 13),  # the window slides past the first miss
        ("xxxx..xx", 2, 4),  # two in a row always break
        ("xxxxxxxxxx..x.", 1, 10),
        ("x" * 90, 90, 90),
        ("xxxxxx." * 13, 78, 78),  # a rest day every week, every week
        ("xxxxx.." * 4, 5, 5),  # two rest days a week: never more than a week long
        ("xxxxx.." * 4 + ".", 0, 5),
    ],
)
def test_streaks_forgive_one_missed_day_a_week(pattern: str, current: int, best: int) -> None:
    assert streaks(days(pattern), TODAY) == Streaks(current, best)


def test_streaks_ignore_days_after_today_and_duplicates() -> None:
    done = [*days("xxx"), *days("xxx"), TODAY + timedelta(days=1)]
    assert streaks(done, TODAY) == Streaks(3, 3)


def test_the_calendar_ends_with_this_week_and_starts_on_a_monday() -> None:
    for offset in range(7):
        today = TODAY + timedelta(days=offset)
        first = calendar_start(today)
        assert first.weekday() == 0
        assert (today - first).days == (WEEKS - 1) * 7 + today.weekday()


def test_progress_counts_days_areas_and_holds() -> None:
    pigeon, bridge = LIBRARY.get("pigeon-pose"), LIBRARY.get("glute-bridge")
    assert pigeon is not None and bridge is not None and pigeon.hold_seconds
    done = [
        (TODAY, "pigeon-pose"),
        (TODAY, "glute-bridge"),
        (TODAY - timedelta(days=1), "pigeon-pose"),
        (TODAY - timedelta(days=10), "gone-from-the-library"),
        (TODAY - timedelta(days=200), "pigeon-pose"),  # before the calendar
    ]
    progress = build_progress(done, TODAY, LIBRARY.get)

    assert progress.total == 4 and progress.active_days == 3
    assert progress.per_day[TODAY] == 2
    assert progress.this_week == 2 and progress.week_before == 1
    assert dict(progress.areas)[Area.PIRIFORMIS] == 2
    assert dict(progress.areas)[Area.GLUTES] == 2 + bridge.areas.count(Area.GLUTES)
    [hold, *_] = progress.holds
    assert (hold.stretch_id, hold.seconds, hold.times) == ("pigeon-pose", pigeon.hold_seconds, 2)
    assert progress.streaks == Streaks(2, 2)
    assert len(progress.days) == (WEEKS - 1) * 7 + 1


def test_an_empty_history_is_a_valid_progress() -> None:
    progress = build_progress([], TODAY, LIBRARY.get)
    assert (progress.total, progress.active_days, progress.areas, progress.holds) == (0, 0, (), ())
    assert progress.streaks == Streaks(0, 0)


@pytest.mark.parametrize(
    ("pattern", "focus", "expected", "area"),
    [
        ("", (), Suggestion.FIRST_STEP, None),
        ("..x.x..", (), Suggestion.ONE_MORE_DAY, None),
        ("xxxx.xx", ("hamstrings",), Suggestion.NEW_AREA, Area.HAMSTRINGS),
        ("xxxx.xx", ("glutes",), Suggestion.KEEP_GOING, None),
    ],
)
def test_one_suggestion_for_next_week(
    pattern: str, focus: tuple[str, ...], expected: Suggestion, area: Area | None
) -> None:
    progress = build_progress([(d, "glute-bridge") for d in days(pattern)], TODAY, LIBRARY.get)
    advice = suggest(progress, focus)
    assert (advice.suggestion, advice.area) == (expected, area)
