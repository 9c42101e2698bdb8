"""Guessing a user's timezone before a reminder is saved: likely places from their language,
or the zones whose clocks show the time they say it is now."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.timezones import REGION_ZONES, is_valid_zone, resolve_timezone

MAX_GUESSES = 6
# Real offsets run from UTC-12 to UTC+14.
EARLIEST_OFFSET, LATEST_OFFSET = -12 * 60, 14 * 60
# People read their clock roughly: offsets are whole quarter hours.
QUARTER_HOUR = 15

# Likely places by Telegram language: the biggest populations speaking it, a few per language.
LIKELY_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ("Europe/London", "America/New_York", "America/Chicago", "America/Los_Angeles",
           "Asia/Kolkata", "Australia/Sydney"),
    "en-gb": ("Europe/London", "Europe/Dublin"),
    "en-us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "de": ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
    "fr": ("Europe/Paris", "Europe/Brussels", "America/Toronto", "Africa/Casablanca"),
    "es": ("Europe/Madrid", "America/Mexico_City", "America/Bogota",
           "America/Argentina/Buenos_Aires", "America/Santiago"),
    "pt": ("America/Sao_Paulo", "Europe/Lisbon"),
    "it": ("Europe/Rome",),
    "nl": ("Europe/Amsterdam", "Europe/Brussels"),
    "pl": ("Europe/Warsaw",),
    "uk": ("Europe/Kyiv",),
    "ru": ("Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Almaty"),
    "tr": ("Europe/Istanbul",),
    "ar": ("Asia/Riyadh", "Africa/Cairo", "Asia/Dubai"),
    "hi": ("Asia/Kolkata",),
    "id": ("Asia/Jakarta",),
    "ja": ("Asia/Tokyo",),
    "ko": ("Asia/Seoul",),
    "zh": ("Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong"),
    "fa": ("Asia/Tehran",),
}  # fmt: skip
EVERYWHERE = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
              "Asia/Kolkata", "Asia/Shanghai")  # fmt: skip


def likely_zones(language_code: str | None) -> tuple[str, ...]:
    """A few zones to offer first for a Telegram language ("en-GB", "de", None)."""
    code = (language_code or "").lower().replace("_", "-")
    found = LIKELY_BY_LANGUAGE.get(code) or LIKELY_BY_LANGUAGE.get(code.split("-")[0])
    return tuple(zone for zone in found or EVERYWHERE if is_valid_zone(zone))[:MAX_GUESSES]


def offset_from_clock(now: datetime, local: time) -> int:
    """The UTC offset in minutes implied by "it is ``local`` here" at the instant ``now``,
    rounded to a quarter hour and kept within the offsets that exist."""
    utc = now.astimezone(ZoneInfo("UTC"))
    difference = (local.hour * 60 + local.minute) - (utc.hour * 60 + utc.minute)
    offset = round(difference / QUARTER_HOUR) * QUARTER_HOUR % (24 * 60)
    return offset - 24 * 60 if offset > LATEST_OFFSET else offset


def zones_at_offset(offset: int, now: datetime, language_code: str | None) -> tuple[str, ...]:
    """Zones whose clocks are ``offset`` minutes from UTC at ``now``: the likely ones for the
    language first, then the region picker's; a fixed offset when no named one matches."""
    candidates = dict.fromkeys(
        [*likely_zones(language_code), *(z for zones in REGION_ZONES.values() for z in zones)]
    )
    wanted = timedelta(minutes=offset)
    matching = [
        zone
        for zone in candidates
        if is_valid_zone(zone) and now.astimezone(ZoneInfo(zone)).utcoffset() == wanted
    ]
    if matching:
        return tuple(matching[:MAX_GUESSES])
    sign = "-" if offset < 0 else "+"
    fixed = resolve_timezone(f"UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}")
    return (fixed.zone,) if fixed.zone else fixed.suggestions[:MAX_GUESSES]


def local_minute(now: datetime, zone: str) -> time:
    """The wall-clock minute in ``zone`` at ``now`` ("remind me daily at this time")."""
    local = now.astimezone(ZoneInfo(zone))
    return time(local.hour, local.minute)


def zones_near(longitude: float, now: datetime, language_code: str | None) -> tuple[str, ...]:
    """Zones a shared location is likely in, without a map: the sun's offset for its longitude
    (15 degrees an hour) first, then an hour either side, since countries often keep their
    clocks an hour off the sun (Spain, western China...)."""
    solar = round(max(-180.0, min(180.0, longitude)) / 15) * 60
    found: dict[str, None] = {}
    for offset in (solar, solar + 60, solar - 60):
        if EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
            found.update(dict.fromkeys(zones_at_offset(offset, now, language_code)))
    return tuple(zone for zone in found if not zone.startswith("Etc/"))[:MAX_GUESSES]
