"""The red-flag check's state, carried inside its buttons: the codec next to the engine.

An answer or Back button carries, after the callback codec's ``1:ra`` / ``1:rb``, five
arguments:

    <content version>:<started>:<nonce>:<shown>:<answers>

- ``started``: when the check began, in seconds since the epoch, base 36;
- ``nonce``: four random base-36 characters; with ``started``, the check's identity, under
  which its outcome is stored once (a replayed final answer stores nothing new);
- ``shown``: when the question was shown, in minutes since the epoch, base 36, so that an
  idle check expires;
- ``answers``: one character per question asked (an item's y/n/u, a gate's option number),
  replayed through the engine on the next press.

So nothing about a user's health is stored on our side, any process (after a restart, or
another replica) can continue the check from the press alone, and a double press is
harmless. Decoding is strict: ASCII digits and lower-case letters only, bounded lengths,
every stamp in range (not before the check began, not in the future, not expired);
anything else is a stale or forged button and gets the polite "this check has ended".
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from bot.catalog.redflags import Checklist, Gate
from bot.domain.redflags import Answer, Question, give, start

ITEM_CODES: Final = {"yes": "y", "no": "n", "unsure": "u"}
ITEM_ANSWERS: Final = {code: value for value, code in ITEM_CODES.items()}
DIGITS: Final = "0123456789abcdefghijklmnopqrstuvwxyz"
_DIGIT_SET: Final = frozenset(DIGITS)
NONCE_LENGTH: Final = 4
# Longest accepted form of each argument: version, started, nonce, shown, answers. 36**7
# seconds and 36**6 minutes both reach past the year 3000; 40 answers is more than any path.
ARG_LIMITS: Final = (3, 7, NONCE_LENGTH, 6, 40)
# Clocks of two replicas may differ a little; a stamp further ahead than this is forged.
CLOCK_SKEW: Final = timedelta(minutes=1)


@dataclass(frozen=True)
class CheckId:
    """Which check a button belongs to: when it began, and a random part."""

    started: int  # seconds since the epoch
    nonce: str

    @property
    def key(self) -> str:
        """The identity stored with the outcome, e.g. ``"t0x1a2-k3z9"``."""
        return f"{base36(self.started)}-{self.nonce}"


@dataclass(frozen=True)
class CheckState:
    """A decoded button: the answers it carries, when its question was shown, whose check."""

    answers: dict[str, Answer]
    shown_at: datetime
    check: CheckId


def base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = DIGITS[digit] + out
        if number == 0:
            return out


def _parse_base36(text: str, max_length: int) -> int | None:
    """A bounded, ASCII-only base-36 number; None for anything else."""
    if not 0 < len(text) <= max_length or not set(text) <= _DIGIT_SET:
        return None
    return int(text, 36)


def new_check(now: datetime) -> CheckId:
    nonce = "".join(secrets.choice(DIGITS) for _ in range(NONCE_LENGTH))
    return CheckId(int(now.timestamp()), nonce)


def answer_code(question: Question, value: Answer) -> str:
    """One answer as the one character a button carries."""
    if isinstance(question, Gate):
        return DIGITS[[option.id for option in question.options].index(value)]
    return ITEM_CODES[value]


def encode_answers(checklist: Checklist, answers: Mapping[str, Answer]) -> str:
    """Answers, in the order asked, as one character each."""
    codes = []
    for question_id, value in answers.items():
        question = checklist.question(question_id)
        if question is None:
            raise ValueError(f"unknown question {question_id!r}")
        codes.append(answer_code(question, value))
    return "".join(codes)


def decode_answers(checklist: Checklist, code: str) -> dict[str, Answer] | None:
    """Replay a code through the engine; None if it does not fit this checklist."""
    walk = start(checklist)
    for char in code:
        question = walk.current(checklist)
        if question is None:
            return None
        if isinstance(question, Gate):
            index = DIGITS.find(char)
            if not 0 <= index < len(question.options):
                return None
            value = question.options[index].id
        elif char in ITEM_ANSWERS:
            value = ITEM_ANSWERS[char]
        else:
            return None
        walk = give(checklist, walk, value)
    return {question_id: walk.given[question_id] for question_id in walk.asked}


def decode_state(
    checklist: Checklist, args: tuple[str, ...], now: datetime, idle: timedelta
) -> CheckState | None:
    """The check a button's arguments belong to, or None when it is stale, expired, forged or
    malformed."""
    if len(args) != len(ARG_LIMITS):
        return None
    if any(len(arg) > limit for arg, limit in zip(args, ARG_LIMITS, strict=True)):
        return None
    version, started_text, nonce, shown_text, code = args
    if version != str(checklist.version):
        return None
    started = _parse_base36(started_text, ARG_LIMITS[1])
    shown = _parse_base36(shown_text, ARG_LIMITS[3])
    valid_nonce = len(nonce) == NONCE_LENGTH and set(nonce) <= _DIGIT_SET
    if started is None or shown is None or not valid_nonce or not set(code) <= _DIGIT_SET:
        return None
    # Whole numbers until every range is checked: a huge stamp never reaches datetime.
    now_seconds = int(now.timestamp())
    latest = now_seconds + int(CLOCK_SKEW.total_seconds())
    if started > latest or shown * 60 > latest or shown < started // 60:
        return None
    if now_seconds - shown * 60 > (idle + timedelta(minutes=1)).total_seconds():
        return None
    answers = decode_answers(checklist, code)
    if answers is None:
        return None
    return CheckState(answers, datetime.fromtimestamp(shown * 60, UTC), CheckId(started, nonce))
