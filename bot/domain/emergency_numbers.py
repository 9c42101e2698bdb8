"""Which emergency number to show: from the user's IANA timezone, else their Telegram language.

The country comes from the IANA zone tables shipped by the ``tzdata`` package (falling back to
the system's /usr/share/zoneinfo): ``zone.tab`` maps each zone to one country, ``tzdata.zi``
resolves old names ("Asia/Calcutta", "US/Eastern") to current ones. The timezone wins over the
language: it says where the user is, a language only which words they read. When nothing is
known we return ``None`` and the renderer lists the common numbers instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Final

SYSTEM_ZONEINFO: Final = Path("/usr/share/zoneinfo")


@dataclass(frozen=True)
class Helpline:
    """A non-emergency medical line for advice and same-day care ("NHS 111")."""

    number: str  # as dialled, spaces allowed: "1800 022 222"
    name: str


@dataclass(frozen=True)
class EmergencyNumber:
    country: str  # ISO 3166 alpha-2, e.g. "GB"
    name: str  # e.g. "the UK"
    number: str  # the one to call for a medical emergency
    also: tuple[str, ...] = ()  # other numbers that also reach help there
    helpline: Helpline | None = None  # for "get checked today"


# Shown when the country is unknown: (number, where it works). 112 is the EU's number and
# works in many other places, but not everywhere, so the list claims no more than the EU.
COMMON_NUMBERS: Final[tuple[tuple[str, str], ...]] = (
    ("112", "EU"),
    ("911", "US and Canada"),
    ("999", "UK"),
    ("000", "Australia"),
    ("111", "New Zealand"),
)

# Countries where 112 is the number to call for an ambulance.
_ONLY_112 = {
    "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus", "DK": "Denmark",
    "EE": "Estonia", "FI": "Finland", "DE": "Germany", "HU": "Hungary", "LV": "Latvia",
    "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "the Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SI": "Slovenia", "ES": "Spain",
    "SE": "Sweden", "IS": "Iceland", "LI": "Liechtenstein", "MC": "Monaco", "AD": "Andorra",
    "MD": "Moldova", "GE": "Georgia", "TR": "Türkiye", "NG": "Nigeria", "KW": "Kuwait",
}  # fmt: skip

# (country, name, medical emergency number, other numbers that also work). Where a direct
# ambulance line reaches medical help faster than 112 (112 answered by police or fire and
# passed on), the direct line comes first and 112 second.
_OTHERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("GB", "the UK", "999", ("112",)),
    ("IE", "Ireland", "112", ("999",)),
    ("JE", "Jersey", "999", ("112",)),
    ("GG", "Guernsey", "999", ("112",)),
    ("IM", "the Isle of Man", "999", ("112",)),
    ("US", "the US", "911", ()),
    ("CA", "Canada", "911", ()),
    ("PR", "Puerto Rico", "911", ()),
    ("MX", "Mexico", "911", ()),
    ("AT", "Austria", "144", ("112",)),  # 112 reaches the police, 144 the ambulance service
    ("CZ", "Czechia", "155", ("112",)),  # 112 is answered by the fire service and passed on
    ("SK", "Slovakia", "155", ("112",)),
    ("FR", "France", "15", ("112",)),  # SAMU, the medical emergency line
    ("IT", "Italy", "118", ("112",)),  # 112 is not yet the single number in every region
    ("GR", "Greece", "166", ("112",)),  # EKAB, the national ambulance service
    ("NO", "Norway", "113", ("112",)),
    ("CH", "Switzerland", "144", ("112",)),
    ("UA", "Ukraine", "103", ("112",)),
    ("RU", "Russia", "103", ("112",)),
    ("KZ", "Kazakhstan", "103", ("112",)),
    ("IL", "Israel", "101", ()),
    ("AU", "Australia", "000", ("112",)),
    ("NZ", "New Zealand", "111", ()),
    ("JP", "Japan", "119", ()),
    ("KR", "South Korea", "119", ()),
    ("CN", "China", "120", ()),
    ("HK", "Hong Kong", "999", ()),
    ("MO", "Macau", "999", ()),
    ("TW", "Taiwan", "119", ()),
    ("SG", "Singapore", "995", ()),
    ("MY", "Malaysia", "999", ("112",)),
    ("TH", "Thailand", "1669", ()),
    ("VN", "Vietnam", "115", ()),
    ("PH", "the Philippines", "911", ()),
    ("IN", "India", "112", ("108",)),
    ("PK", "Pakistan", "115", ("1122",)),  # 1122 (Rescue) runs province by province
    ("BD", "Bangladesh", "999", ()),
    ("SA", "Saudi Arabia", "997", ("911",)),
    ("AE", "the UAE", "998", ("999",)),
    ("QA", "Qatar", "999", ()),
    ("IR", "Iran", "115", ()),
    ("EG", "Egypt", "123", ()),
    ("GH", "Ghana", "112", ("193",)),
    ("ID", "Indonesia", "119", ("112",)),  # 119: the health ministry's medical line
    ("ZA", "South Africa", "10177", ("112",)),
    ("KE", "Kenya", "999", ("112",)),
    ("BR", "Brazil", "192", ()),
    ("AR", "Argentina", "107", ("911",)),
    ("CL", "Chile", "131", ()),
    ("CO", "Colombia", "123", ()),
    ("PE", "Peru", "116", ("106",)),  # fire brigade ambulances nationwide; SAMU 106 in Lima
    ("VE", "Venezuela", "911", ()),
    ("EC", "Ecuador", "911", ()),
    ("UY", "Uruguay", "911", ()),
)

# National lines for advice and same-day care, where one number serves the whole country.
_HELPLINES: Final[dict[str, Helpline]] = {
    "GB": Helpline("111", "NHS 111; in Northern Ireland, your GP out-of-hours service"),
    "DE": Helpline("116117", "the on-call doctors' service"),
    "AT": Helpline("1450", "the health advice line"),
    "NO": Helpline("116117", "the out-of-hours doctor (legevakt)"),
    "SE": Helpline("1177", "the health advice line"),
    "FI": Helpline("116117", "the Medical Helpline"),
    "AU": Helpline("1800 022 222", "healthdirect"),
    "NZ": Helpline("0800 611 116", "Healthline"),
    "CA": Helpline("811", "the provincial health line, in most provinces"),
}

NUMBERS: Final[dict[str, EmergencyNumber]] = {
    code: EmergencyNumber(code, name, number, also, _HELPLINES.get(code))
    for code, name, number, also in (
        *((code, name, "112", ()) for code, name in _ONLY_112.items()),
        *_OTHERS,
    )
}

# Languages spoken as a national language in one country only, so a bare language code is a
# fair guess at where the user is. Languages official in several countries are left out,
# even where the numbers agree, because a wrong country would show a wrong helpline:
# en, es, pt, fr, ar, ru, zh, de, nl, sv, it, el, tr, ro, hr, fa, ko, ms...
_LANGUAGE_COUNTRY: Final[dict[str, str]] = {
    "ja": "JP", "pl": "PL", "uk": "UA", "cs": "CZ", "hu": "HU", "he": "IL", "th": "TH",
    "vi": "VN", "id": "ID", "da": "DK", "fi": "FI", "nb": "NO", "nn": "NO", "no": "NO",
    "is": "IS", "et": "EE", "lv": "LV", "lt": "LT", "sk": "SK", "sl": "SI", "bg": "BG",
    "ka": "GE", "kk": "KZ",
}  # fmt: skip

# Since 2022 tzdata links some old names to a same-clock zone in ANOTHER country
# ("Iceland" -> Africa/Abidjan). Pin those to their real country.
_ALIAS_COUNTRY: Final[dict[str, str]] = {
    "Iceland": "IS", "Africa/Timbuktu": "ML", "Africa/Asmera": "ER",
    "America/Coral_Harbour": "CA", "Atlantic/Jan_Mayen": "SJ", "Pacific/Ponape": "FM",
    "Pacific/Truk": "FM", "Pacific/Yap": "FM",
}  # fmt: skip
# Clock names, not places: "CET" links to Brussels but says nothing about the user's country.
_NOT_PLACES: Final = frozenset(
    {"CET", "MET", "EET", "WET", "EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT"}
)

_REGION = re.compile(r"^[A-Za-z]{2}$")


def _default_dirs() -> list[Path]:
    dirs: list[Path] = []
    with suppress(ModuleNotFoundError):  # tzdata is a dependency, but stay usable without it
        dirs.append(Path(str(resources.files("tzdata") / "zoneinfo")))
    dirs.append(SYSTEM_ZONEINFO)
    return dirs


def read_zone_countries(directory: Path) -> dict[str, str]:
    """Zone name -> country code from ``zone.tab`` plus ``zone1970.tab`` (first country)."""
    countries: dict[str, str] = {}
    # zone1970.tab lists several countries per zone (most populous first); zone.tab names
    # exactly one, so it is read last and wins.
    for name in ("zone1970.tab", "zone.tab"):
        path = directory / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if not line.startswith("#") and len(fields) >= 3:
                countries[fields[2]] = fields[0].split(",")[0]
    return countries


def read_zone_links(directory: Path) -> dict[str, str]:
    """Old or alias zone name -> target, from the ``L target alias`` lines of ``tzdata.zi``."""
    path = directory / "tzdata.zi"
    if not path.is_file():
        return {}
    links: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L":
            links[fields[2]] = fields[1]
    return links


@dataclass(frozen=True)
class ZoneTables:
    countries: Mapping[str, str]  # zone -> ISO country code
    links: Mapping[str, str]  # alias -> target zone

    def country(self, timezone: str) -> str | None:
        # People type zones by hand: accept "europe/london" as well.
        name = self._spelling.get(timezone.strip().casefold(), timezone.strip())
        if name in _NOT_PLACES:
            return None
        if name in _ALIAS_COUNTRY:
            return _ALIAS_COUNTRY[name]
        for _ in range(5):  # links can chain; bounded so a bad table cannot loop
            if name in self.countries:
                return self.countries[name]
            if name not in self.links:
                return None
            name = self.links[name]
        return None

    @cached_property
    def _spelling(self) -> dict[str, str]:
        names = [*self.countries, *self.links, *_ALIAS_COUNTRY, *_NOT_PLACES]
        return {name.casefold(): name for name in names}


def load_zone_tables(directories: Sequence[Path] | None = None) -> ZoneTables:
    """The zone tables from the first directory that has them (tzdata, then the system's)."""
    if directories is None:
        return _default_tables()
    for directory in directories:
        countries = read_zone_countries(directory)
        if countries:
            return ZoneTables(countries, read_zone_links(directory))
    return ZoneTables({}, {})


@cache
def _default_tables() -> ZoneTables:
    return load_zone_tables(_default_dirs())


def country_for_timezone(timezone: str | None) -> str | None:
    """ISO country code of an IANA zone ("Europe/London" -> "GB"); None for UTC or unknown."""
    return load_zone_tables().country(timezone) if timezone else None


def country_for_language(language_code: str | None) -> str | None:
    """Country from a Telegram language code: its region ("pt-br") or a one-country language."""
    if not language_code:
        return None
    parts = language_code.replace("_", "-").split("-")
    for part in parts[1:]:
        if _REGION.match(part):
            return part.upper()
    return _LANGUAGE_COUNTRY.get(parts[0].lower())


def emergency_number(
    timezone: str | None = None, language_code: str | None = None
) -> EmergencyNumber | None:
    """The emergency number for the user's country, or None to list the common ones.

    A known timezone decides alone; the language is only used when there is no usable zone.
    """
    country = country_for_timezone(timezone)
    if country is None:
        country = country_for_language(language_code)
    return NUMBERS.get(country) if country else None
