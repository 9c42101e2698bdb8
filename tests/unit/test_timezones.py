"""Table-driven tests for bot.domain.timezones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timezones import (
    _ALIASES,
    _AMBIGUOUS_NAMES,
    _FRACTIONAL_OFFSET_SUGGESTIONS,
    _FRACTIONAL_OFFSET_ZONES,
    MAX_SUGGESTIONS,
    REGION_ZONES,
    TimezoneMatch,
    available_zone_names,
    is_valid_zone,
    resolve_timezone,
    zone_label,
)

RESOLVED = [
    # IANA names, any case, spaces for underscores
    ("Europe/Berlin", "Europe/Berlin"),
    ("europe/berlin", "Europe/Berlin"),
    ("EUROPE/BERLIN", "Europe/Berlin"),
    ("america/new york", "America/New_York"),
    ("America/New_York", "America/New_York"),
    ("  america / new_york ", "America/New_York"),
    ("america/argentina/buenos aires", "America/Argentina/Buenos_Aires"),
    ("America/Port-au-Prince", "America/Port-au-Prince"),
    ("america/port au prince", "America/Port-au-Prince"),
    ("Etc/GMT-5", "Etc/GMT-5"),
    # last segment of an IANA name
    ("berlin", "Europe/Berlin"),
    ("London", "Europe/London"),
    ("Kathmandu", "Asia/Kathmandu"),
    ("Sydney", "Australia/Sydney"),
    ("hong kong", "Asia/Hong_Kong"),
    ("sao paulo", "America/Sao_Paulo"),
    ("São Paulo", "America/Sao_Paulo"),
    ("Zürich", "Europe/Zurich"),
    ("st johns", "America/St_Johns"),
    ("St. John's", "America/St_Johns"),
    ("singapore", "Asia/Singapore"),  # not the legacy top-level "Singapore"
    ("buenos aires", "America/Argentina/Buenos_Aires"),  # canonical over the backward link
    ("indianapolis", "America/Indiana/Indianapolis"),
    ("istanbul", "Europe/Istanbul"),
    ("lord howe", "Australia/Lord_Howe"),
    # curated cities and countries
    ("new york", "America/New_York"),
    ("New York City", "America/New_York"),
    ("NYC", "America/New_York"),
    ("Mumbai", "Asia/Kolkata"),
    ("Bombay", "Asia/Kolkata"),
    ("calcutta", "Asia/Kolkata"),
    ("Beijing", "Asia/Shanghai"),
    ("San Francisco", "America/Los_Angeles"),
    ("LA", "America/Los_Angeles"),
    ("L.A.", "America/Los_Angeles"),
    ("los angeles", "America/Los_Angeles"),
    ("Kyiv", "Europe/Kyiv"),
    ("Kiev", "Europe/Kyiv"),
    ("Saigon", "Asia/Ho_Chi_Minh"),
    ("Cape Town", "Africa/Johannesburg"),
    ("Tel Aviv", "Asia/Jerusalem"),
    ("Rio de Janeiro", "America/Sao_Paulo"),
    ("Wellington", "Pacific/Auckland"),
    ("UK", "Europe/London"),
    ("japan", "Asia/Tokyo"),
    ("India", "Asia/Kolkata"),
    ("new zealand", "Pacific/Auckland"),
    ("JST", "Asia/Tokyo"),
    ("US/Eastern", "America/New_York"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Paris, France", "Europe/Paris"),
    ("Austin, TX", "America/Chicago"),
]


@pytest.mark.parametrize(("text", "zone"), RESOLVED)
def test_resolves_names(text: str, zone: str) -> None:
    assert resolve_timezone(text) == TimezoneMatch(zone=zone)


@pytest.mark.parametrize(
    "text", ["UTC", "utc", "GMT", "gmt", "Z", "Zulu", "Etc/UTC", "UTC+0", "GMT-0", "+00:00", "-0"]
)
def test_utc_words_and_zero_offsets(text: str) -> None:
    assert resolve_timezone(text) == TimezoneMatch(zone="UTC", from_offset=True)


OFFSETS = [
    # Whole hours: Etc zones with the POSIX sign inversion.
    ("UTC+1", "Etc/GMT-1"),
    ("utc+01:00", "Etc/GMT-1"),
    ("GMT-3", "Etc/GMT+3"),
    ("gmt -3", "Etc/GMT+3"),
    ("UTC+5", "Etc/GMT-5"),
    ("UTC-5", "Etc/GMT+5"),
    ("+3", "Etc/GMT-3"),
    ("-0800", "Etc/GMT+8"),
    ("UTC+14", "Etc/GMT-14"),
    ("UTC-12", "Etc/GMT+12"),
    ("UTC−4", "Etc/GMT+4"),  # U+2212 MINUS SIGN
    ("ＵＴＣ＋９", "Etc/GMT-9"),  # full width
    ("UTC+10h", None),  # "h" needs minutes after it
    # Fractional offsets kept all year by exactly one kind of zone.
    ("UTC+05:30", "Asia/Kolkata"),
    ("+0530", "Asia/Kolkata"),
    ("+5:30", "Asia/Kolkata"),
    ("+0545", "Asia/Kathmandu"),
    ("UTC+5.45", "Asia/Kathmandu"),
    ("+09:30", "Australia/Darwin"),
    ("+03:30", "Asia/Tehran"),
    ("+04:30", "Asia/Kabul"),
    ("+06:30", "Asia/Yangon"),
    ("+08:45", "Australia/Eucla"),
    ("-09:30", "Pacific/Marquesas"),
]


@pytest.mark.parametrize(("text", "zone"), OFFSETS)
def test_offsets(text: str, zone: str | None) -> None:
    match = resolve_timezone(text)
    assert match.zone == zone
    if zone is not None:
        assert match.from_offset


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("UTC+1", 1),
        ("GMT-3", -3),
        ("UTC+14", 14),
        ("UTC-12", -12),
        ("+0545", 5.75),
        ("-9:30", -9.5),
    ],
)
def test_offset_zones_really_have_that_offset_and_no_dst(text: str, hours: float) -> None:
    zone = resolve_timezone(text).zone
    assert zone is not None
    tz = ZoneInfo(zone)
    for month in (1, 4, 7, 10):
        offset = datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(tz).utcoffset()
        assert offset == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("text", "suggestions"),
    [
        ("-03:30", ("America/St_Johns",)),
        ("-02:30", ("America/St_Johns",)),
        ("+10:30", ("Australia/Adelaide", "Australia/Lord_Howe", "Australia/Broken_Hill")),
        ("+12:45", ("Pacific/Chatham",)),
        ("+13:45", ("Pacific/Chatham",)),
    ],
)
def test_offsets_only_used_with_dst_are_suggested_not_guessed(
    text: str, suggestions: tuple[str, ...]
) -> None:
    assert resolve_timezone(text) == TimezoneMatch(suggestions=suggestions, from_offset=True)


@pytest.mark.parametrize("text", ["UTC+15", "UTC-13", "+05:17", "+05:60", "+99", "UTC+1:5"])
def test_impossible_offsets(text: str) -> None:
    match = resolve_timezone(text)
    assert match.zone is None


@pytest.mark.parametrize(
    ("text", "first_suggestions"),
    [
        ("Europe/Berln", ("Europe/Berlin",)),
        ("europe/londn", ("Europe/London",)),
        ("new yrok", ("America/New_York",)),
        ("berlinn", ("Europe/Berlin",)),
        ("Kathmadu", ("Asia/Kathmandu",)),
        ("sidney", ("Australia/Sydney",)),
        ("tokio", ("Asia/Tokyo",)),
        ("kathm", ("Asia/Kathmandu",)),  # a prefix
        ("york", ("America/New_York",)),  # a word inside a name
        ("EST", ("America/New_York", "America/Toronto")),
        ("pst", ("America/Los_Angeles",)),
        ("IST", ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")),
        ("USA", ("America/New_York", "America/Chicago", "America/Denver")),
        ("Australia", ("Australia/Sydney",)),
        ("canada", ("America/Toronto",)),
    ],
)
def test_suggestions(text: str, first_suggestions: tuple[str, ...]) -> None:
    match = resolve_timezone(text)
    assert match.zone is None
    assert match.suggestions[: len(first_suggestions)] == first_suggestions
    assert 1 <= len(match.suggestions) <= MAX_SUGGESTIONS
    assert len(set(match.suggestions)) == len(match.suggestions)
    assert all(is_valid_zone(zone) for zone in match.suggestions)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "!!!", "???///", "🙂", "\x00", "-", "+", "/", "a" * 65, "x" * 5000, "🙂" * 5000],
)
def test_garbage_gives_nothing(text: str) -> None:
    assert resolve_timezone(text) == TimezoneMatch()


@pytest.mark.parametrize("text", ["qwxzvk", "zzzzzzzz", "banana split", "1234567", "hello world"])
def test_unknown_words_are_not_resolved(text: str) -> None:
    match = resolve_timezone(text)
    assert match.zone is None
    assert len(match.suggestions) <= MAX_SUGGESTIONS


@pytest.mark.parametrize(
    "text", ["x" * 5000, "europe/" * 700, "a b " * 1250, "+" + "1" * 4999, "berlin" * 1000]
)
def test_huge_input_is_rejected(text: str) -> None:
    assert resolve_timezone(text) == TimezoneMatch()


def test_found_property() -> None:
    assert resolve_timezone("berlin").found
    assert not resolve_timezone("banana").found


# --- every zone the module can hand out must load ----------------------------------------------


def _all_curated_zones() -> set[str]:
    zones = set(_ALIASES.values()) | set(_FRACTIONAL_OFFSET_ZONES.values())
    for group in (_AMBIGUOUS_NAMES, _FRACTIONAL_OFFSET_SUGGESTIONS, REGION_ZONES):
        for names in group.values():
            zones.update(names)
    return zones


@pytest.mark.parametrize("zone", sorted(_all_curated_zones()))
def test_curated_zones_load(zone: str) -> None:
    assert is_valid_zone(zone)
    ZoneInfo(zone)


def test_fractional_offset_zones_have_no_dst() -> None:
    # The rule for resolving a fractional offset to a real zone: it keeps that offset all year.
    for minutes, zone in _FRACTIONAL_OFFSET_ZONES.items():
        tz = ZoneInfo(zone)
        for month in range(1, 13):
            offset = datetime(2026, month, 1, tzinfo=UTC).astimezone(tz).utcoffset()
            assert offset == timedelta(minutes=minutes), zone


def test_every_available_zone_resolves_to_itself_or_a_modern_equivalent() -> None:
    for zone in sorted(available_zone_names()):
        match = resolve_timezone(zone)
        assert match.zone is not None or match.suggestions, zone
        for name in (match.zone, *match.suggestions):
            if name is not None:
                ZoneInfo(name)


def test_available_zone_names_excludes_non_places() -> None:
    names = available_zone_names()
    assert "Europe/Berlin" in names
    assert not names & {"Factory", "localtime", "posixrules"}


def test_region_zones_shape() -> None:
    assert list(REGION_ZONES) == ["Europe", "Americas", "Asia", "Africa", "Oceania"]
    for zones in REGION_ZONES.values():
        assert 6 <= len(zones) <= 10
        assert len(set(zones)) == len(zones)


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("Europe/Berlin", "Berlin"),
        ("Etc/GMT-5", "UTC+5"),
        ("Etc/GMT+3", "UTC-3"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_zone_label(zone: str, label: str) -> None:
    assert zone_label(zone) == label
