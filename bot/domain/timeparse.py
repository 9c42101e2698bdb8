"""Parse the many ways people type a time of day ("7:30", "730", "7.30pm", "19h30", ...).

Accepted (case-insensitive, surrounding whitespace ignored):

* ``H``, ``HH`` (hour only): "7", "19", "07"
* ``H:MM`` / ``HH:MM`` with ``:``, ``.`` or ``h`` as separator: "7:30", "07.30", "19h30"
* compact ``HMM`` / ``HHMM``: "730", "0730", "1930"
* an optional trailing ``h`` (French/German style): "19h", "19:30h"
* an optional am/pm marker, with or without space or dots: "7pm", "7 pm", "7:30 a.m.", "7.30PM"
  (hours 1-12 only; "12am" is 00:00, "12pm" is 12:00)
* the words "noon" and "midnight"
* full-width digits and colon (NFKC) and look-alike colons ("∶", "꞉", "˸")

Anything else returns ``None``; so do hours above 23, minutes above 59, "24:00" and "13pm".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time

# Generous for "  7:30 p.m.  " yet small enough that nothing below ever sees a huge string.
MAX_INPUT_LENGTH = 32

# Colon look-alikes that NFKC leaves alone but phones and keyboards do produce.
_COLON_LOOKALIKES = str.maketrans({"∶": ":", "꞉": ":", "˸": ":", "׃": ":"})

# Anchored and free of nested quantifiers, so matching is linear in the (short) input.
# The hour is one or two digits; backtracking makes "730" read as 7:30 and "1930" as 19:30.
_TIME_RE = re.compile(
    r"""
    (?P<hour>\d{1,2})
    (?:
        \s*[:.h]\s*(?P<minute>\d{2})   # 7:30, 7.30, 19h30, 7 : 30
      | (?P<compact>\d{2})             # 730, 0730, 1930
    )?
    \s*h?                              # 19h, 19:30h
    (?:\s*(?P<meridiem>[ap])m?)?       # am/pm ("a.m." was already folded to "am")
    """,
    re.VERBOSE,
)

_WORDS: dict[str, time] = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def _normalise(text: str) -> str:
    # NFKC folds full-width digits and "：" to ASCII; dots are dropped only inside a.m./p.m.
    # so that "7.30" keeps its separator.
    folded = unicodedata.normalize("NFKC", text).translate(_COLON_LOOKALIKES).strip().lower()
    return re.sub(r"([ap])\.\s*m\.?$", r"\1m", folded)


def _to_time(hour: int, minute: int, meridiem: str | None) -> time | None:
    if minute > 59:
        return None
    if meridiem is None:
        return time(hour, minute) if hour <= 23 else None
    # On a 12-hour clock only 1..12 exist; "0pm" and "13pm" are typos, not times.
    if not 1 <= hour <= 12:
        return None
    hour %= 12
    return time(hour + 12 if meridiem == "p" else hour, minute)


def parse_time(text: str) -> time | None:
    """Parse a user-typed time of day, or return ``None`` if it is not one."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_INPUT_LENGTH:
        return None
    normalised = _normalise(stripped)
    if normalised in _WORDS:
        return _WORDS[normalised]
    match = _TIME_RE.fullmatch(normalised)
    if match is None:
        return None
    minute_text = match["minute"] or match["compact"] or "0"
    return _to_time(int(match["hour"]), int(minute_text), match["meridiem"])


def format_time(value: time) -> str:
    """Canonical 24-hour display, e.g. ``time(7, 30)`` -> "07:30"."""
    return f"{value.hour:02d}:{value.minute:02d}"
