"""The one callback-data codec: small, versioned, always within Telegram's 64 bytes.

Wire form: ``<version>:<action>[:<arg>...]``. A button from an older version, or data we
cannot read, decodes to ``None`` and gets a polite "this button is out of date" answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

VERSION = "1"
MAX_BYTES = 64
SEPARATOR = ":"


class Action(StrEnum):
    # Stretch card
    DONE = "d"
    ANOTHER = "a"
    EASIER = "e"
    HARDER = "h"
    # Reminder card (Done and Another are shared with the stretch card)
    SNOOZE = "z"
    SKIP_TODAY = "k"
    # Settings
    SETTINGS = "st"
    TIME_MENU = "tm"
    SET_TIME = "t"
    DAYS_MENU = "dm"
    TOGGLE_DAY = "dt"
    DAYS_PRESET = "dp"
    ZONE_MENU = "zm"
    ZONE_REGION = "zr"
    SET_ZONE = "zs"
    FOCUS_MENU = "fm"
    TOGGLE_FOCUS = "ft"
    PAUSE_MENU = "pm"
    PAUSE = "p"
    RESUME = "r"
    # Stretch safety questions (before a first stretch, and in settings)
    SAFETY_MENU = "sf"
    SAFETY_QUESTION = "sq"
    SAFETY_ANSWER = "sa"
    # Red-flag check
    REDFLAGS_START = "rs"
    REDFLAGS_ANSWER = "ra"
    REDFLAGS_BACK = "rb"
    REDFLAGS_STOP = "rx"
    HOLD_RESUME = "hr"
    # Privacy
    FORGET_CONFIRM = "fc"
    FORGET_CANCEL = "fx"
    # Start screen
    STRETCH_NOW = "sn"
    SET_REMINDER = "sr"


@dataclass(frozen=True)
class Callback:
    action: Action
    args: tuple[str, ...] = ()

    def arg(self, index: int = 0) -> str | None:
        return self.args[index] if index < len(self.args) else None


class CallbackDataTooLong(ValueError):
    pass


def encode(action: Action, *args: str) -> str:
    """Encode a button press; raises if it would not fit or an argument holds the separator."""
    if any(SEPARATOR in arg for arg in args):
        raise ValueError(f"callback arguments may not contain {SEPARATOR!r}")
    data = SEPARATOR.join((VERSION, action.value, *args))
    if len(data.encode()) > MAX_BYTES:
        raise CallbackDataTooLong(f"callback data is {len(data.encode())} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Decode button data; ``None`` for anything stale, foreign or malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    version, _, rest = data.partition(SEPARATOR)
    if version != VERSION or not rest:
        return None
    code, *args = rest.split(SEPARATOR)
    try:
        action = Action(code)
    except ValueError:
        return None
    return Callback(action, tuple(args))
