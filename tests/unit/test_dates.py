"""Days and times in words: English here (other languages come from Babel and catalogues)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    EVERY_DAY,
    FRIDAY,
    MONDAY,
    NO_DAYS,
    SUNDAY,
    WEDNESDAY,
    WEEKDAYS,
    WEEKENDS,
    day_bit,
    toggle_day,
)
from bot.render.dates import day_names, describe_days, describe_next
from bot.render.i18n import ENGLISH, Catalogs

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")
KATHMANDU = ZoneInfo("Asia/Kathmandu")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("mask", "label"),
    [
        (EVERY_DAY, "Every day"),
        (WEEKDAYS, "Weekdays"),
        (WEEKENDS, "Weekends"),
        (NO_DAYS, "No days"),
        (day_bit(MONDAY) | day_bit(WEDNESDAY) | day_bit(FRIDAY), "Mon, Wed, Fri"),
        (day_bit(SUNDAY), "Sun"),
        (day_bit(MONDAY) | day_bit(SUNDAY), "Mon, Sun"),
        (toggle_day(EVERY_DAY, MONDAY), "Tue, Wed, Thu, Fri, Sat, Sun"),
        (toggle_day(WEEKDAYS, FRIDAY), "Mon, Tue, Wed, Thu"),
    ],
)
def test_describe_days(mask: int, label: str) -> None:
    assert describe_days(ENGLISH, mask) == label


@pytest.mark.parametrize("mask", [-1, 128, 1 << 10])
def test_invalid_mask_rejected(mask: int) -> None:
    with pytest.raises(ValueError):
        describe_days(ENGLISH, mask)


NOW = utc(2026, 1, 7, 6, 0)  # Wednesday


@pytest.mark.parametrize(
    ("due", "tz", "now", "expected"),
    [
        (utc(2026, 1, 7, 7, 30), LONDON, NOW, "today 07:30"),
        (utc(2026, 1, 8, 7, 30), LONDON, NOW, "tomorrow 07:30"),
        (utc(2026, 1, 9, 7, 30), LONDON, NOW, "Fri 07:30"),
        (utc(2026, 1, 10, 7, 30), LONDON, NOW, "Sat 07:30"),
        (utc(2026, 1, 13, 7, 30), LONDON, NOW, "Tue 07:30"),
        (utc(2026, 1, 14, 7, 30), LONDON, NOW, "Wed 14 Jan 07:30"),  # a week ahead
        (utc(2026, 1, 6, 7, 30), LONDON, NOW, "Tue 6 Jan 07:30"),  # in the past
        (utc(2026, 7, 1, 6, 30), LONDON, utc(2026, 7, 1, 5, 0), "today 07:30"),  # BST
        # Auckland: 23:00 on the 7th locally; 07:30 on the 8th is tomorrow there.
        (utc(2026, 1, 7, 18, 30), AUCKLAND, utc(2026, 1, 7, 10, 0), "tomorrow 07:30"),
        (utc(2026, 1, 7, 1, 45), KATHMANDU, utc(2026, 1, 7, 0, 0), "today 07:30"),
    ],
)
def test_describe_next(due: datetime, tz: ZoneInfo, now: datetime, expected: str) -> None:
    assert describe_next(ENGLISH, due, tz, now) == expected


def test_a_language_without_a_catalogue_is_english_throughout() -> None:
    """No German catalogue yet: day names stay English too, never half one language."""
    german = Catalogs().translator("de-AT")
    assert german.language == "en"
    assert day_names(german) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
