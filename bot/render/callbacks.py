"""The one callback-data codec: small, versioned, strict, always within Telegram's 64 bytes.

Wire form: ``<version>:<action>[:<arg>...]``. Button data comes from the user's client, so it
is untrusted input: every action declares the exact shape of its arguments (ASCII only,
bounded lengths, numbers within range), and :func:`decode` returns ``None`` for anything that
does not fit: a button from an older version, a forged one, garbage. Handlers then answer
with the polite "out of date" reply; nothing malformed ever reaches a rule or a query.
:func:`encode` checks the same shapes, so the bot never shows a button it would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    LANGUAGE_MENU = "lm"
    SET_LANGUAGE = "ls"
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
    # "How did that feel?" after a stretch or a session, and "It hurt": where, then how
    FEEL = "fe"
    FEEL_SESSION = "fg"
    PAIN_PLACE = "pp"
    PAIN_KIND = "pk"
    # Stopped stretches (/stopped): bring one, or all, back
    BRING_BACK = "bb"
    BRING_BACK_ALL = "ba"
    # Hold timer on a stretch card
    TIMER_START = "tt"
    # Guided session: the chooser, a start (routine or "me"), and a step's buttons
    SESSION_MENU = "gm"
    SESSION_START = "gs"
    SESSION_TIMER = "gt"
    SESSION_NEXT = "gn"
    SESSION_SKIP = "gk"
    SESSION_STOP = "gx"
    # Onboarding (a new user's /start) and the Done message
    ONBOARD_FOCUS = "of"
    ONBOARD_LEVEL = "ol"
    ONBOARD_NEED = "oc"
    ONBOARD_NEXT = "on"
    REMIND_HERE = "rh"
    # Progress, the weekly summary and its settings, and the education cards
    PROGRESS_TEXT = "pg"
    WEEKLY_MENU = "wm"
    WEEKLY_SET = "ws"
    WEEKLY_DAY = "wd"
    WEEKLY_TIME = "wt"
    LEARN_SHOW = "lc"
    # Re-engagement offer: keep, time, pause or stop
    REENGAGE = "re"
    # Pain check-in: the answer; and switching check-ins on or off in settings
    CHECKIN_ANSWER = "ca"
    CHECKIN_TOGGLE = "ct"


ArgCheck = Callable[[str], bool]


def _pattern(regex: str) -> ArgCheck:
    compiled = re.compile(regex, re.ASCII)
    return lambda arg: compiled.fullmatch(arg) is not None


def _number(low: int, high: int) -> ArgCheck:
    """ASCII digits (``str.isdigit`` also accepts superscripts and other scripts' digits)."""
    digits = re.compile(f"[0-9]{{1,{len(str(high))}}}", re.ASCII)
    return lambda arg: digits.fullmatch(arg) is not None and low <= int(arg) <= high


def _one_of(*values: str) -> ArgCheck:
    allowed = frozenset(values)
    return lambda arg: arg in allowed


STRETCH_ID = _pattern(r"[a-z0-9][a-z0-9-]{0,39}")
# HHMM, 00:00 to 23:59.
CLOCK_TIME = _pattern(r"(?:[01][0-9]|2[0-3])[0-5][0-9]")
# IANA names: letters, digits, "_", "+", "-" and "/" (Etc/GMT+5, America/Port-au-Prince).
ZONE_NAME = _pattern(r"[A-Za-z][A-Za-z0-9_+\-/]{0,49}")
WORD = _pattern(r"[A-Za-z][A-Za-z_]{0,29}")
MESSAGE_ID = _number(1, 2**31 - 1)
# When a question was asked: Unix seconds in base 36.
STAMP = _pattern(r"[0-9a-z]{1,7}")
# A feedback button's answer and the pain questions' answers: one letter each, so the longest
# stretch id still fits (see render.feedback for what they stand for).
FEELING = _one_of("g", "e", "h", "x")
PAIN_PLACE = _one_of("a", "j", "b", "l")
PAIN_KIND = _one_of("m", "s", "p", "n", "w", "x")
ROUTINE_ID = _pattern(r"[a-z0-9][a-z0-9-]{0,23}")
SESSION_TOKEN = _number(1, 999_999)
STEP_INDEX = _number(0, 15)


@dataclass(frozen=True)
class ArgSpec:
    """The arguments an action takes: one check per argument, in order."""

    checks: tuple[ArgCheck, ...] = ()

    def accepts(self, args: tuple[str, ...]) -> bool:
        return len(args) == len(self.checks) and all(
            check(arg) for check, arg in zip(self.checks, args, strict=True)
        )


NO_ARGS = ArgSpec()
# The red-flag check's own arguments are decoded in full (ranges, replay through the engine) by
# its module; here they are held to their alphabet and lengths: (content version, start stamp,
# nonce, shown stamp, answers so far), see render.redflags_buttons.ARG_LIMITS.
CHECK_ARGS = ArgSpec(
    (
        _pattern(r"[0-9]{1,3}"),
        _pattern(r"[0-9a-z]{1,7}"),
        _pattern(r"[0-9a-z]{4}"),
        _pattern(r"[0-9a-z]{1,6}"),
        _pattern(r"[0-9a-z]{0,40}"),
    )
)

ARG_SPECS: dict[Action, ArgSpec] = {
    Action.DONE: ArgSpec((STRETCH_ID,)),
    Action.ANOTHER: ArgSpec((STRETCH_ID,)),
    Action.EASIER: ArgSpec((STRETCH_ID,)),
    Action.HARDER: ArgSpec((STRETCH_ID,)),
    Action.SNOOZE: ArgSpec((_one_of("15", "60"),)),
    Action.SKIP_TODAY: NO_ARGS,
    Action.SETTINGS: NO_ARGS,
    Action.TIME_MENU: NO_ARGS,
    Action.SET_TIME: ArgSpec((CLOCK_TIME,)),
    Action.DAYS_MENU: NO_ARGS,
    Action.TOGGLE_DAY: ArgSpec((_number(0, 6),)),
    Action.DAYS_PRESET: ArgSpec((_number(1, 127),)),
    Action.ZONE_MENU: NO_ARGS,
    Action.ZONE_REGION: ArgSpec((WORD,)),
    Action.SET_ZONE: ArgSpec((ZONE_NAME,)),
    Action.FOCUS_MENU: NO_ARGS,
    Action.TOGGLE_FOCUS: ArgSpec((WORD,)),
    Action.LANGUAGE_MENU: NO_ARGS,
    Action.SET_LANGUAGE: ArgSpec((_pattern(r"[a-z]{2,3}(?:_[A-Z]{2})?"),)),
    Action.PAUSE_MENU: NO_ARGS,
    Action.PAUSE: ArgSpec((_one_of("0", "1", "3", "7"),)),
    Action.RESUME: NO_ARGS,
    Action.REDFLAGS_START: NO_ARGS,
    Action.REDFLAGS_ANSWER: CHECK_ARGS,
    Action.REDFLAGS_BACK: CHECK_ARGS,
    Action.REDFLAGS_STOP: NO_ARGS,
    Action.HOLD_RESUME: NO_ARGS,
    # Bound to the confirmation message it is shown on (see handlers.privacy).
    Action.FORGET_CONFIRM: ArgSpec((MESSAGE_ID,)),
    Action.FORGET_CANCEL: NO_ARGS,
    Action.SAFETY_MENU: NO_ARGS,
    Action.SAFETY_QUESTION: ArgSpec((WORD,)),
    # (precaution, answer: yes/no/skip, where it was asked: first run/settings/onboarding)
    Action.SAFETY_ANSWER: ArgSpec((WORD, _one_of("y", "n", "s"), _one_of("f", "g", "s", "o"))),
    Action.STRETCH_NOW: NO_ARGS,
    Action.SET_REMINDER: NO_ARGS,
    Action.FEEL: ArgSpec((STRETCH_ID, STAMP, FEELING)),
    # (library fingerprint, two base-36 digits per stretch's index in it, stamp, answer)
    Action.FEEL_SESSION: ArgSpec(
        (_pattern(r"[0-9a-f]{4}"), _pattern(r"(?:[0-9a-z]{2}){1,12}"), STAMP, FEELING)
    ),
    Action.PAIN_PLACE: ArgSpec((STRETCH_ID, STAMP, PAIN_PLACE)),
    Action.PAIN_KIND: ArgSpec((STRETCH_ID, STAMP, PAIN_PLACE, PAIN_KIND)),
    Action.BRING_BACK: ArgSpec((STRETCH_ID,)),
    Action.BRING_BACK_ALL: NO_ARGS,
    Action.TIMER_START: ArgSpec((STRETCH_ID,)),
    Action.SESSION_MENU: NO_ARGS,
    Action.SESSION_START: ArgSpec((ROUTINE_ID,)),  # a routine's id, or "me"
    # (session token, step index): a press from an older session or step is stale
    Action.SESSION_TIMER: ArgSpec((SESSION_TOKEN, STEP_INDEX)),
    Action.SESSION_NEXT: ArgSpec((SESSION_TOKEN, STEP_INDEX)),
    Action.SESSION_SKIP: ArgSpec((SESSION_TOKEN, STEP_INDEX)),
    Action.SESSION_STOP: ArgSpec((SESSION_TOKEN,)),
    Action.ONBOARD_FOCUS: ArgSpec((WORD,)),
    Action.ONBOARD_LEVEL: ArgSpec((_number(1, 3),)),
    Action.ONBOARD_NEED: ArgSpec((WORD,)),
    Action.ONBOARD_NEXT: ArgSpec((_number(1, 6),)),
    Action.REMIND_HERE: NO_ARGS,
    Action.PROGRESS_TEXT: NO_ARGS,
    Action.WEEKLY_MENU: NO_ARGS,
    # (on: 1/0, pressed on: the summary message/settings)
    Action.WEEKLY_SET: ArgSpec((_one_of("1", "0"), _one_of("m", "s"))),
    Action.WEEKLY_DAY: ArgSpec((_number(0, 6),)),
    # HHMM, or "r": at the reminder time.
    Action.WEEKLY_TIME: ArgSpec((_pattern(r"r|(?:[01][0-9]|2[0-3])[0-5][0-9]"),)),
    Action.LEARN_SHOW: ArgSpec((STRETCH_ID,)),  # a card id has a stretch id's shape
    Action.REENGAGE: ArgSpec((_one_of("keep", "time", "pause", "stop"),)),
    Action.CHECKIN_ANSWER: ArgSpec((_one_of("better", "same", "worse", "new"),)),
    Action.CHECKIN_TOGGLE: ArgSpec((_one_of("1", "0"),)),
}


@dataclass(frozen=True)
class Callback:
    action: Action
    args: tuple[str, ...] = ()

    def arg(self, index: int = 0) -> str | None:
        return self.args[index] if index < len(self.args) else None


class CallbackDataTooLong(ValueError):
    pass


def encode(action: Action, *args: str) -> str:
    """Encode a button press; raises if it would not fit or its arguments break the spec."""
    if any(SEPARATOR in arg for arg in args):
        raise ValueError(f"callback arguments may not contain {SEPARATOR!r}")
    data = SEPARATOR.join((VERSION, action.value, *args))
    if len(data.encode()) > MAX_BYTES:
        raise CallbackDataTooLong(f"callback data is {len(data.encode())} bytes: {data!r}")
    if not ARG_SPECS[action].accepts(args):
        raise ValueError(f"arguments {args!r} do not fit action {action.name}")
    return data


_ACTIONS = {action.value: action for action in Action}


def decode(data: str | None) -> Callback | None:
    """Decode button data; ``None`` for anything stale, foreign or malformed. Never raises."""
    if not data or not isinstance(data, str) or not data.isascii() or len(data) > MAX_BYTES:
        return None
    version, _, rest = data.partition(SEPARATOR)
    if version != VERSION or not rest:
        return None
    code, *args = rest.split(SEPARATOR)
    action = _ACTIONS.get(code)
    if action is None or not ARG_SPECS[action].accepts(tuple(args)):
        return None
    return Callback(action, tuple(args))


def pattern(*actions: Action) -> str:
    """The regular expression a CallbackQueryHandler uses to route ``actions`` to one handler."""
    codes = "|".join(re.escape(action.value) for action in actions)
    return f"^{re.escape(VERSION + SEPARATOR)}(?:{codes})(?:{re.escape(SEPARATOR)}|$)"
