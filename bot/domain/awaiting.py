"""The plain reply a screen waits for, as stored in ``users.awaiting_reply``.

"time": a reminder time ("7pm"); "zone": a city or zone ("new york"); "zone:HHMM": a zone,
with the reminder time that waits for it; "zone:now": a zone, and the reminder is at the
user's time of day now ("Remind me daily at this time").
"""

from __future__ import annotations

from datetime import time

AWAIT_TIME = "time"
AWAIT_ZONE = "zone"
NOW = "now"


def awaiting_zone_for(value: time | None) -> str:
    """The marker for a zone question holding ``value`` (None: the time of day now)."""
    return f"{AWAIT_ZONE}:{value.hour:02d}{value.minute:02d}" if value else f"{AWAIT_ZONE}:{NOW}"


def awaits_zone(awaiting: str | None) -> bool:
    return awaiting is not None and awaiting.partition(":")[0] == AWAIT_ZONE


def pending_time(awaiting: str | None) -> time | None:
    """The reminder time a zone question holds, if any (None also for "now")."""
    if not awaits_zone(awaiting):
        return None
    held = (awaiting or "").partition(":")[2]
    if len(held) != 4 or not held.isdigit() or int(held[:2]) > 23 or int(held[2:]) > 59:
        return None
    return time(int(held[:2]), int(held[2:]))


def pending_now(awaiting: str | None) -> bool:
    return awaits_zone(awaiting) and (awaiting or "").partition(":")[2] == NOW
