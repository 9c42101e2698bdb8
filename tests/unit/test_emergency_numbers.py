from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from bot.domain.emergency_numbers import (
    COMMON_NUMBERS,
    NUMBERS,
    SYSTEM_ZONEINFO,
    ZoneTables,
    country_for_language,
    country_for_timezone,
    emergency_number,
    load_zone_tables,
    read_zone_countries,
)

TZDATA_ZONEINFO = Path(str(resources.files("tzdata") / "zoneinfo"))

TIMEZONES = [
    # (IANA zone, country, number, also)
    ("Europe/London", "GB", "999", ("112",)),
    ("America/New_York", "US", "911", ()),
    ("America/Los_Angeles", "US", "911", ()),
    ("America/Toronto", "CA", "911", ()),
    ("Australia/Sydney", "AU", "000", ("112",)),
    ("Australia/Perth", "AU", "000", ("112",)),
    ("Pacific/Auckland", "NZ", "111", ()),
    ("Europe/Berlin", "DE", "112", ()),
    ("Europe/Paris", "FR", "15", ("112",)),  # SAMU first: 112 is passed on to it
    ("Europe/Vienna", "AT", "144", ("112",)),  # 112 reaches the police there
    ("Europe/Prague", "CZ", "155", ("112",)),  # 112 is answered by the fire service
    ("Europe/Bratislava", "SK", "155", ("112",)),
    ("Europe/Rome", "IT", "118", ("112",)),  # 112 is not yet single in every region
    ("Europe/Athens", "GR", "166", ("112",)),
    ("Asia/Jakarta", "ID", "119", ("112",)),  # the health ministry's medical line
    ("Asia/Karachi", "PK", "115", ("1122",)),  # 1122 is provincial
    ("America/Lima", "PE", "116", ("106",)),  # SAMU 106 serves Lima
    ("Europe/Madrid", "ES", "112", ()),
    ("Europe/Dublin", "IE", "112", ("999",)),
    ("Europe/Oslo", "NO", "113", ("112",)),  # tzdata links it to Berlin; zone.tab knows better
    ("Asia/Kolkata", "IN", "112", ("108",)),
    ("Asia/Calcutta", "IN", "112", ("108",)),  # old name, resolved through tzdata.zi
    ("US/Eastern", "US", "911", ()),
    ("Iceland", "IS", "112", ()),  # an old name tzdata links to another country's zone
    ("Europe/Kiev", "UA", "103", ("112",)),
    ("Asia/Tokyo", "JP", "119", ()),
    ("America/Sao_Paulo", "BR", "192", ()),
    ("Africa/Johannesburg", "ZA", "10177", ("112",)),
    ("europe/london", "GB", "999", ("112",)),  # typed by hand
]


@pytest.mark.parametrize(("zone", "country", "number", "also"), TIMEZONES)
def test_timezone_gives_country_and_number(
    zone: str, country: str, number: str, also: tuple[str, ...]
) -> None:
    found = emergency_number(zone)
    assert found is not None
    assert (found.country, found.number, found.also) == (country, number, also)


@pytest.mark.parametrize(
    "zone",
    [None, "", "UTC", "Etc/UTC", "Etc/GMT+5", "CET", "EST", "Mars/Olympus", "Asia/Ulaanbaatar"],
)
def test_unknown_or_unlisted_zone_gives_none(zone: str | None) -> None:
    assert emergency_number(zone) is None


LANGUAGES = [
    # (timezone, language code, country or None)
    (None, "en-GB", "GB"),
    (None, "pt-br", "BR"),
    (None, "en_AU", "AU"),
    (None, "ja", "JP"),
    (None, "pl", "PL"),
    (None, "de-at", "AT"),  # a region says where
    # Languages of several countries never pick one: the common list is shown instead.
    (None, "de", None),
    (None, "fa", None),
    (None, "ar", None),
    (None, "pt", None),
    (None, "ko", None),
    (None, "sv", None),
    (None, "en", None),
    (None, "es", None),
    (None, "zh-hans", None),
    (None, None, None),
    ("UTC", "ja", "JP"),  # a zone that says nothing leaves the language to decide
    ("America/New_York", "de", "US"),  # the zone wins over the language
    ("Asia/Ulaanbaatar", "ja", None),  # known place without a listed number: no guessing
]


@pytest.mark.parametrize(("zone", "language", "country"), LANGUAGES)
def test_language_is_the_fallback(
    zone: str | None, language: str | None, country: str | None
) -> None:
    found = emergency_number(zone, language)
    assert (found.country if found else None) == country


def test_country_helpers() -> None:
    assert country_for_timezone("Asia/Ulaanbaatar") == "MN"
    assert country_for_language("EN-us") == "US"
    assert country_for_language("") is None


def _iso_codes() -> set[str]:
    for directory in (TZDATA_ZONEINFO, SYSTEM_ZONEINFO):
        path = directory / "iso3166.tab"
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return {line.split("\t")[0] for line in lines if not line.startswith("#")}
    pytest.skip("no iso3166.tab")


def test_table_is_broad_and_sane() -> None:
    iso = _iso_codes()
    assert len(NUMBERS) >= 40
    for code, entry in NUMBERS.items():
        assert entry.country == code and code in iso, code
        assert entry.name and entry.number.isdigit()
        assert all(number.isdigit() and number != entry.number for number in entry.also)
    assert [number for number, _ in COMMON_NUMBERS] == ["112", "911", "999", "000", "111"]
    assert dict(COMMON_NUMBERS)["112"] == "EU"  # no claim about "most of the world"
    for entry in NUMBERS.values():
        if entry.helpline is not None:
            assert entry.helpline.number.replace(" ", "").isdigit() and entry.helpline.name


@pytest.mark.parametrize(
    ("country", "helpline"),
    [("GB", "111"), ("DE", "116117"), ("AT", "1450"), ("NO", "116117"), ("SE", "1177"),
     ("FI", "116117"), ("AU", "1800 022 222"), ("NZ", "0800 611 116"), ("CA", "811")],
)  # fmt: skip
def test_same_day_helplines(country: str, helpline: str) -> None:
    found = NUMBERS[country].helpline
    assert found is not None and found.number == helpline


def test_no_helpline_where_there_is_no_single_national_one() -> None:
    assert NUMBERS["US"].helpline is None and NUMBERS["FR"].helpline is None


def test_falls_back_to_the_next_directory(tmp_path: Path) -> None:
    if not (SYSTEM_ZONEINFO / "zone.tab").is_file():
        pytest.skip("no system zoneinfo")
    tables = load_zone_tables([tmp_path / "missing", SYSTEM_ZONEINFO])
    assert tables.country("Europe/London") == "GB"


def test_reads_small_tables(tmp_path: Path) -> None:
    (tmp_path / "zone1970.tab").write_text(
        "# comment\nDE,DK\t+5230+01322\tEurope/Berlin\nXX\t+0\tEurope/Copenhagen\n", "utf-8"
    )
    (tmp_path / "zone.tab").write_text("DK\t+5540+01235\tEurope/Copenhagen\n", "utf-8")
    (tmp_path / "tzdata.zi").write_text(
        "L Europe/Berlin Old/Name\nL Loop/B Loop/A\nL Loop/A Loop/B\nZ Europe/Berlin 0:53 - LMT\n",
        "utf-8",
    )
    tables = load_zone_tables([tmp_path])
    assert read_zone_countries(tmp_path)["Europe/Copenhagen"] == "DK"  # zone.tab wins
    assert tables.country("Europe/Berlin") == "DE"
    assert tables.country("Old/Name") == "DE"
    assert tables.country("Loop/A") is None  # a link cycle ends, it does not hang


def test_no_tables_at_all_gives_none(tmp_path: Path) -> None:
    tables = load_zone_tables([tmp_path])
    assert tables == ZoneTables({}, {})
    assert tables.country("Europe/London") is None
