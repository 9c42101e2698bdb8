"""Turn what a user types ("berlin", "new york", "UTC+5:30", "Bombay") into an IANA zone name.

``resolve_timezone`` tries, in order:

1. fixed UTC offsets ("UTC+05:30", "GMT-3", "+0545", "UTC+1");
2. "UTC"/"GMT"/"Z";
3. time-zone abbreviations ("EST", "CET", "IST") -> suggestions, or a zone if unambiguous ("JST");
4. a curated table of big cities and countries not spelled as IANA names ("Mumbai", "LA", "UK");
   countries spanning several zones ("USA", "Australia") -> suggestions;
5. IANA names, case-insensitive, spaces for underscores ("america/new york");
6. the last segment of an IANA name ("berlin", "kathmandu", "hong kong"), also before a comma
   ("Paris, France");
7. otherwise up to five suggestions: prefix matches, then close spellings (difflib).

Offsets
-------
Whole-hour offsets become ``Etc/GMT±N`` zones. POSIX inverts the sign in those names, so
UTC+5 is ``Etc/GMT-5`` and UTC-3 is ``Etc/GMT+3``. Offsets that are not whole hours map to a real
zone only when that zone keeps the offset all year (``+05:30`` -> ``Asia/Kolkata``). Offsets that
only occur in zones with daylight saving (``-03:30`` Newfoundland, ``+10:30`` Adelaide summer /
Lord Howe, ``+12:45`` Chatham) return those zones as suggestions for the user to confirm, because
an offset alone cannot say whether the user wants the clocks to change. Either way, a zone picked
from an offset (``TimezoneMatch.from_offset``) never observes daylight saving; users who want
DST should pick a city instead.

Only names that ``zoneinfo.ZoneInfo`` can load (``zoneinfo.available_timezones()``) are returned.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

# Longest real answer is ~35 characters ("America/Argentina/ComodRivadavia"); anything much
# longer is not a time zone and is rejected before any normalisation or fuzzy matching.
MAX_INPUT_LENGTH = 64
MAX_SUGGESTIONS = 5

# Present in some tz databases but not places a user means.
_JUNK_NAMES = frozenset({"Factory", "localtime", "posixrules", "leapseconds"})

# Areas of current (non-legacy) IANA names; used to prefer "Europe/Istanbul" over "Turkey" etc.
_MODERN_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


@dataclass(frozen=True, slots=True)
class TimezoneMatch:
    """Either a resolved IANA ``zone`` or up to five ``suggestions`` (possibly none)."""

    zone: str | None = None
    suggestions: tuple[str, ...] = ()
    # True when the user typed an offset: the zone has no daylight saving, worth telling them.
    from_offset: bool = False

    @property
    def found(self) -> bool:
        return self.zone is not None


_NO_MATCH = TimezoneMatch()

# --- curated tables ----------------------------------------------------------------------------

# Offsets (in minutes) that are not whole hours and that a no-DST zone uses all year.
_FRACTIONAL_OFFSET_ZONES: dict[int, str] = {
    -(9 * 60 + 30): "Pacific/Marquesas",
    3 * 60 + 30: "Asia/Tehran",
    4 * 60 + 30: "Asia/Kabul",
    5 * 60 + 30: "Asia/Kolkata",
    5 * 60 + 45: "Asia/Kathmandu",
    6 * 60 + 30: "Asia/Yangon",
    8 * 60 + 45: "Australia/Eucla",
    9 * 60 + 30: "Australia/Darwin",
}

# Fractional offsets used only by zones with daylight saving: ask, do not guess.
_FRACTIONAL_OFFSET_SUGGESTIONS: dict[int, tuple[str, ...]] = {
    -(3 * 60 + 30): ("America/St_Johns",),
    -(2 * 60 + 30): ("America/St_Johns",),
    10 * 60 + 30: ("Australia/Adelaide", "Australia/Lord_Howe", "Australia/Broken_Hill"),
    12 * 60 + 45: ("Pacific/Chatham",),
    13 * 60 + 45: ("Pacific/Chatham",),
}

_UTC_WORDS = frozenset(
    {"utc", "gmt", "z", "zulu", "utc0", "gmt0", "uct", "universal", "greenwich", "etc/utc"}
)

# Abbreviations and words that name several zones: offer them, let the user choose.
_AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York", "America/Toronto", "America/Detroit", "America/Panama"),
    "edt": ("America/New_York", "America/Toronto", "America/Detroit"),
    "et": ("America/New_York", "America/Toronto", "America/Detroit"),
    "eastern": ("America/New_York", "America/Toronto", "America/Detroit"),
    "cst": ("America/Chicago", "America/Mexico_City", "America/Winnipeg", "Asia/Shanghai"),
    "cdt": ("America/Chicago", "America/Winnipeg"),
    "ct": ("America/Chicago", "America/Mexico_City", "America/Winnipeg"),
    "central": ("America/Chicago", "America/Mexico_City", "America/Winnipeg"),
    "mst": ("America/Denver", "America/Phoenix", "America/Edmonton"),
    "mdt": ("America/Denver", "America/Edmonton"),
    "mt": ("America/Denver", "America/Phoenix", "America/Edmonton"),
    "mountain": ("America/Denver", "America/Phoenix", "America/Edmonton"),
    "pst": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "pdt": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "pt": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "pacific": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "cet": ("Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw"),
    "cest": ("Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw"),
    "met": ("Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw"),
    "eet": ("Europe/Athens", "Europe/Kyiv", "Europe/Bucharest", "Africa/Cairo", "Europe/Helsinki"),
    "eest": ("Europe/Athens", "Europe/Kyiv", "Europe/Bucharest", "Europe/Helsinki"),
    "wet": ("Europe/Lisbon", "Atlantic/Canary", "Africa/Casablanca"),
    "bst": ("Europe/London", "Asia/Dhaka"),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "aest": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Hobart"),
    "aedt": ("Australia/Sydney", "Australia/Melbourne", "Australia/Hobart"),
    "acst": ("Australia/Adelaide", "Australia/Darwin"),
    # Countries spanning several zones.
    "usa": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "united states": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
    ),
    "america": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "canada": (
        "America/Toronto",
        "America/Vancouver",
        "America/Edmonton",
        "America/Winnipeg",
        "America/Halifax",
    ),
    "australia": (
        "Australia/Sydney",
        "Australia/Melbourne",
        "Australia/Brisbane",
        "Australia/Adelaide",
        "Australia/Perth",
    ),
    "brazil": ("America/Sao_Paulo", "America/Manaus", "America/Fortaleza", "America/Cuiaba"),
    "russia": (
        "Europe/Moscow",
        "Asia/Yekaterinburg",
        "Asia/Novosibirsk",
        "Asia/Vladivostok",
        "Europe/Kaliningrad",
    ),
    "mexico": ("America/Mexico_City", "America/Tijuana", "America/Cancun", "America/Hermosillo"),
    "indonesia": ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"),
}

# Big cities, countries and unambiguous abbreviations that are not (the last segment of) an
# IANA name, plus a few legacy names we would rather store in their modern spelling.
_ALIASES: dict[str, str] = {
    # North America
    "new york city": "America/New_York",
    "nyc": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "dc": "America/New_York",
    "boston": "America/New_York",
    "philadelphia": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "san antonio": "America/Chicago",
    "new orleans": "America/Chicago",
    "minneapolis": "America/Chicago",
    "salt lake city": "America/Denver",
    "calgary": "America/Edmonton",
    "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "hawaii": "Pacific/Honolulu",
    "hst": "Pacific/Honolulu",
    "akst": "America/Anchorage",
    # Latin America
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "brasilia": "America/Sao_Paulo",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "argentina": "America/Argentina/Buenos_Aires",
    "medellin": "America/Bogota",
    "colombia": "America/Bogota",
    "peru": "America/Lima",
    "chile": "America/Santiago",
    "quito": "America/Guayaquil",
    "cuba": "America/Havana",
    "jamaica": "America/Jamaica",
    # Europe
    "uk": "Europe/London",
    "united kingdom": "Europe/London",
    "gb": "Europe/London",
    "great britain": "Europe/London",
    "britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "manchester": "Europe/London",
    "birmingham": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "ireland": "Europe/Dublin",
    "eire": "Europe/Dublin",
    "france": "Europe/Paris",
    "lyon": "Europe/Paris",
    "marseille": "Europe/Paris",
    "germany": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "valencia": "Europe/Madrid",
    "seville": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "naples": "Europe/Rome",
    "florence": "Europe/Rome",
    "venice": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "holland": "Europe/Amsterdam",
    "rotterdam": "Europe/Amsterdam",
    "the hague": "Europe/Amsterdam",
    "belgium": "Europe/Brussels",
    "switzerland": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "austria": "Europe/Vienna",
    "poland": "Europe/Warsaw",
    "krakow": "Europe/Warsaw",
    "czechia": "Europe/Prague",
    "czech republic": "Europe/Prague",
    "sweden": "Europe/Stockholm",
    "norway": "Europe/Oslo",
    "denmark": "Europe/Copenhagen",
    "finland": "Europe/Helsinki",
    "greece": "Europe/Athens",
    "portugal": "Europe/Lisbon",
    "porto": "Europe/Lisbon",
    "iceland": "Atlantic/Reykjavik",
    "ukraine": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "turkey": "Europe/Istanbul",
    "istanbul": "Europe/Istanbul",
    "ankara": "Europe/Istanbul",
    "nicosia": "Asia/Nicosia",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "msk": "Europe/Moscow",
    # Africa and the Middle East
    "egypt": "Africa/Cairo",
    "libya": "Africa/Tripoli",
    "alexandria": "Africa/Cairo",
    "nigeria": "Africa/Lagos",
    "abuja": "Africa/Lagos",
    "kenya": "Africa/Nairobi",
    "south africa": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg",
    "durban": "Africa/Johannesburg",
    "pretoria": "Africa/Johannesburg",
    "sast": "Africa/Johannesburg",
    "morocco": "Africa/Casablanca",
    "marrakech": "Africa/Casablanca",
    "rabat": "Africa/Casablanca",
    "israel": "Asia/Jerusalem",
    "tel aviv": "Asia/Jerusalem",
    "iran": "Asia/Tehran",
    "uae": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai",
    "saudi arabia": "Asia/Riyadh",
    "jeddah": "Asia/Riyadh",
    "mecca": "Asia/Riyadh",
    # South Asia
    "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "madras": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "pune": "Asia/Kolkata",
    "calcutta": "Asia/Kolkata",
    "pakistan": "Asia/Karachi",
    "lahore": "Asia/Karachi",
    "islamabad": "Asia/Karachi",
    "pkt": "Asia/Karachi",
    "bangladesh": "Asia/Dhaka",
    "dacca": "Asia/Dhaka",
    "nepal": "Asia/Kathmandu",
    "katmandu": "Asia/Kathmandu",
    "sri lanka": "Asia/Colombo",
    "myanmar": "Asia/Yangon",
    "rangoon": "Asia/Yangon",
    # East and South-East Asia
    "china": "Asia/Shanghai",
    "prc": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "peking": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "chengdu": "Asia/Shanghai",
    "hongkong": "Asia/Hong_Kong",
    "hkt": "Asia/Hong_Kong",
    "taiwan": "Asia/Taipei",
    "roc": "Asia/Taipei",
    "japan": "Asia/Tokyo",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "jst": "Asia/Tokyo",
    "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "rok": "Asia/Seoul",
    "busan": "Asia/Seoul",
    "kst": "Asia/Seoul",
    "sgt": "Asia/Singapore",
    "thailand": "Asia/Bangkok",
    "vietnam": "Asia/Ho_Chi_Minh",
    "hanoi": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh",
    "ho chi minh city": "Asia/Ho_Chi_Minh",
    "philippines": "Asia/Manila",
    "malaysia": "Asia/Kuala_Lumpur",
    "bali": "Asia/Makassar",
    "wib": "Asia/Jakarta",
    # Oceania
    "canberra": "Australia/Sydney",
    "gold coast": "Australia/Brisbane",
    "awst": "Australia/Perth",
    "acdt": "Australia/Adelaide",
    "new zealand": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
    "wellington": "Pacific/Auckland",
    "christchurch": "Pacific/Auckland",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "fiji": "Pacific/Fiji",
    # Legacy IANA spellings
    "us/eastern": "America/New_York",
    "us/central": "America/Chicago",
    "us/mountain": "America/Denver",
    "us/pacific": "America/Los_Angeles",
    "us/alaska": "America/Anchorage",
    "us/hawaii": "Pacific/Honolulu",
    "us/arizona": "America/Phoenix",
    "asia/calcutta": "Asia/Kolkata",
    "asia/katmandu": "Asia/Kathmandu",
    "asia/rangoon": "Asia/Yangon",
    "asia/saigon": "Asia/Ho_Chi_Minh",
    "europe/kiev": "Europe/Kyiv",
}

# A short, hand-picked list per region for a button picker (not exhaustive on purpose).
REGION_ZONES: dict[str, tuple[str, ...]] = {
    "Europe": (
        "Europe/London",
        "Europe/Lisbon",
        "Europe/Paris",
        "Europe/Berlin",
        "Europe/Madrid",
        "Europe/Rome",
        "Europe/Warsaw",
        "Europe/Athens",
        "Europe/Istanbul",
        "Europe/Moscow",
    ),
    "Americas": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Toronto",
        "America/Mexico_City",
        "America/Bogota",
        "America/Sao_Paulo",
        "America/Argentina/Buenos_Aires",
        "America/Santiago",
    ),
    "Asia": (
        "Asia/Dubai",
        "Asia/Karachi",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Asia/Dhaka",
        "Asia/Bangkok",
        "Asia/Singapore",
        "Asia/Shanghai",
        "Asia/Tokyo",
        "Asia/Seoul",
    ),
    "Africa": (
        "Africa/Casablanca",
        "Africa/Lagos",
        "Africa/Accra",
        "Africa/Cairo",
        "Africa/Johannesburg",
        "Africa/Nairobi",
        "Africa/Addis_Ababa",
    ),
    "Oceania": (
        "Australia/Perth",
        "Australia/Darwin",
        "Australia/Adelaide",
        "Australia/Brisbane",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Pacific/Fiji",
        "Pacific/Honolulu",
    ),
}

# --- normalisation and indexes -----------------------------------------------------------------

_DROPPED_CHARS = re.compile(r"[.'’`]")
_SPACE_CHARS = re.compile(r"[\s_,-]+")
_SLASH = re.compile(r"\s*/\s*")
_HAS_ALNUM = re.compile(r"[a-z0-9]")


def _key(text: str) -> str:
    """Comparable form: accents stripped, lower case, "_"/"-" as spaces, "." and "'" dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    lowered = _DROPPED_CHARS.sub("", unaccented.casefold())
    spaced = _SPACE_CHARS.sub(" ", lowered).strip()
    return _SLASH.sub("/", spaced)


@cache
def available_zone_names() -> frozenset[str]:
    """All zone names ``ZoneInfo`` can load here, minus non-places like "Factory"."""
    return frozenset(available_timezones() - _JUNK_NAMES)


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is a loadable IANA zone (e.g. to validate a stored value)."""
    return name in available_zone_names()


def _is_modern(zone: str) -> bool:
    return zone.split("/", 1)[0] in _MODERN_AREAS


def _segment_preference(zone: str) -> tuple[int, str]:
    # Where two modern names share a last segment, the deeper one is the canonical zone
    # ("America/Argentina/Buenos_Aires" vs the backward link "America/Buenos_Aires").
    return (-zone.count("/"), zone)


@cache
def _full_name_index() -> dict[str, str]:
    return {_key(zone): zone for zone in available_zone_names()}


@cache
def _segment_index() -> dict[str, str]:
    index: dict[str, str] = {}
    modern = (zone for zone in available_zone_names() if _is_modern(zone) and "/" in zone)
    for zone in sorted(modern, key=_segment_preference):
        index.setdefault(_key(zone.rsplit("/", 1)[1]), zone)
    return index


def _available(zones: tuple[str, ...]) -> tuple[str, ...]:
    names = available_zone_names()
    return tuple(zone for zone in zones if zone in names)


@cache
def _alias_index() -> dict[str, str]:
    names = available_zone_names()
    return {_key(alias): zone for alias, zone in _ALIASES.items() if zone in names}


@cache
def _place_keys() -> dict[str, str]:
    """Keys a user may mean when typing a place without a slash: segments and aliases."""
    return {**_segment_index(), **_alias_index()}


# --- offsets -----------------------------------------------------------------------------------

_OFFSET_RE = re.compile(
    r"(?:(?:utc|gmt|z)\s*)?(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?:\s*[:.h]?\s*(?P<minutes>\d{2}))?"
)


def _etc_zone(hours: int) -> str:
    # POSIX-style names count hours *west* of Greenwich, hence the inverted sign.
    return f"Etc/GMT{-hours:+d}"


def _resolve_offset(total_minutes: int) -> TimezoneMatch:
    if total_minutes == 0:
        return TimezoneMatch(zone="UTC", from_offset=True)
    # Etc/GMT zones exist for UTC-12 ... UTC+14 only, which is also the range of real offsets.
    if total_minutes % 60 == 0 and -12 <= total_minutes // 60 <= 14:
        return TimezoneMatch(zone=_etc_zone(total_minutes // 60), from_offset=True)
    fixed = _FRACTIONAL_OFFSET_ZONES.get(total_minutes)
    if fixed is not None and is_valid_zone(fixed):
        return TimezoneMatch(zone=fixed, from_offset=True)
    suggestions = _available(_FRACTIONAL_OFFSET_SUGGESTIONS.get(total_minutes, ()))
    return TimezoneMatch(suggestions=suggestions, from_offset=bool(suggestions))


def _parse_offset(text: str) -> TimezoneMatch | None:
    """A match for "UTC+05:30"-style input, or ``None`` if ``text`` is not an offset at all."""
    # NFKC folds full-width signs/digits; U+2212 is the typographic minus some keyboards emit.
    folded = unicodedata.normalize("NFKC", text).replace("−", "-").strip().casefold()
    match = _OFFSET_RE.fullmatch(folded)
    if match is None:
        return None
    hours = int(match["hours"])
    minutes = int(match["minutes"] or 0)
    if minutes >= 60:
        return _NO_MATCH
    sign = -1 if match["sign"] == "-" else 1
    return _resolve_offset(sign * (hours * 60 + minutes))


# --- names -------------------------------------------------------------------------------------


def _exact(key: str) -> TimezoneMatch | None:
    if key in _UTC_WORDS:
        return TimezoneMatch(zone="UTC", from_offset=True)
    ambiguous = _AMBIGUOUS_NAMES.get(key)
    if ambiguous is not None:
        return TimezoneMatch(suggestions=_available(ambiguous)[:MAX_SUGGESTIONS])
    zone = _alias_index().get(key)
    if zone is None and "/" not in key:
        # Before full names so "singapore" gives Asia/Singapore, not the legacy "Singapore".
        zone = _segment_index().get(key)
    if zone is None:
        zone = _full_name_index().get(key)
    return TimezoneMatch(zone=zone) if zone is not None else None


def _prefix_matches(key: str, keys: dict[str, str]) -> list[str]:
    # Someone typing "kathm" or "york" most likely means a name starting with / containing
    # that word. Curated big cities come first, then shorter (likelier) completions.
    if len(key) < 3:
        return []
    curated = _alias_index()
    hits = [name for name in keys if name.startswith(key) or f" {key}" in name]
    hits.sort(key=lambda name: (not name.startswith(key), name not in curated, len(name), name))
    return [keys[name] for name in hits]


def _suggest(key: str) -> tuple[str, ...]:
    keys = _full_name_index() if "/" in key else _place_keys()
    close = difflib.get_close_matches(key, keys, n=MAX_SUGGESTIONS * 2, cutoff=0.6)
    ranked = [*_prefix_matches(key, keys), *(keys[name] for name in close)]
    # dict.fromkeys de-duplicates while keeping the ranking order.
    return tuple(dict.fromkeys(ranked))[:MAX_SUGGESTIONS]


def resolve_timezone(text: str) -> TimezoneMatch:
    """Resolve free text to an IANA zone, or suggest up to five; see the module docstring."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_INPUT_LENGTH:
        return _NO_MATCH
    offset = _parse_offset(stripped)
    if offset is not None:
        return offset
    key = _key(stripped)
    if not _HAS_ALNUM.search(key):
        return _NO_MATCH
    exact = _exact(key)
    if exact is None and "," in stripped:
        # "Paris, France" / "Austin, TX": the place before the comma is the useful part.
        exact = _exact(_key(stripped.split(",", 1)[0]))
    if exact is not None:
        return exact
    return TimezoneMatch(suggestions=_suggest(key))


# --- display -----------------------------------------------------------------------------------


def zone_label(zone: str) -> str:
    """Short button label: "America/New_York" -> "New York", "Etc/GMT-5" -> "UTC+5"."""
    if zone in {"UTC", "Etc/UTC", "Etc/GMT", "GMT"}:
        return "UTC"
    if zone.startswith("Etc/GMT"):
        west_hours = int(zone.removeprefix("Etc/GMT"))
        return f"UTC{-west_hours:+d}"
    return zone.rsplit("/", 1)[-1].replace("_", " ")
