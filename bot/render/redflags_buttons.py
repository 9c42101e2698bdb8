"""Buttons for the red-flag check. The answers so far travel inside the buttons themselves.

Each button carries the whole path of answers as one character per question (an item's
y/n/u, a gate's option number), replayed through the engine on the next press. So nothing
about a user's health is stored on our side, any process (after a restart, or another
replica) can continue the check from the press alone, and a double press is harmless.
A stamp (minutes since the epoch, base 36) lets an idle check expire.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.redflags import Checklist, Gate, Question
from bot.domain.redflags import UNSURE, Answer, Outcome, answer, next_step
from bot.render.callbacks import Action, Callback, encode

ITEM_CODES = {"yes": "y", "no": "n", "unsure": "u"}
ITEM_ANSWERS = {code: value for value, code in ITEM_CODES.items()}
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class CheckState:
    """A decoded button: the answers it carries and when its question was shown."""

    answers: dict[str, Answer]
    shown_at: datetime


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = DIGITS[digit] + out
        if number == 0:
            return out


def stamp(now: datetime) -> str:
    return _base36(int(now.timestamp() // 60))


def _answer_code(question: Question, value: Answer) -> str:
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
        codes.append(_answer_code(question, value))
    return "".join(codes)


def decode_answers(checklist: Checklist, code: str) -> dict[str, Answer] | None:
    """Replay a code through the engine; None if it does not fit this checklist."""
    answers: dict[str, Answer] = {}
    for char in code:
        step = next_step(checklist, answers)
        if isinstance(step, Outcome):
            return None
        if isinstance(step, Gate):
            index = DIGITS.find(char)
            if not 0 <= index < len(step.options):
                return None
            value = step.options[index].id
        elif char in ITEM_ANSWERS:
            value = ITEM_ANSWERS[char]
        else:
            return None
        answers = answer(answers, step.id, value)
    return answers


def decode_state(checklist: Checklist, callback: Callback) -> CheckState | None:
    """The check a button belongs to, or None when it is stale (other content version) or bad."""
    version, shown, code = (callback.arg(0), callback.arg(1), callback.arg(2))
    if version != str(checklist.version) or not shown or code is None:
        return None
    try:
        shown_at = datetime.fromtimestamp(int(shown, 36) * 60, UTC)
        answers = decode_answers(checklist, code)
    except (ValueError, OverflowError, OSError):  # a stamp beyond any date: forged
        return None
    if answers is None:
        return None
    return CheckState(answers, shown_at)


def _button(
    label: str, action: Action, checklist: Checklist, now: datetime, code: str
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        label, callback_data=encode(action, str(checklist.version), stamp(now), code)
    )


def question_keyboard(
    checklist: Checklist, question: Question, answers: Mapping[str, Answer], now: datetime
) -> InlineKeyboardMarkup:
    """Answer buttons (Yes / No / Not sure, or a gate's options), then Back and Stop."""
    so_far = encode_answers(checklist, answers)
    if isinstance(question, Gate):
        choices = [(option.label, option.id) for option in question.options]
    else:
        labels = checklist.answer_labels
        choices = [(labels.yes, "yes"), (labels.no, "no"), (labels.unsure, UNSURE)]
    answer_buttons = [
        _button(
            label, Action.REDFLAGS_ANSWER, checklist, now, so_far + _answer_code(question, value)
        )
        for label, value in choices
    ]
    rows = [answer_buttons] if len(answer_buttons) <= 3 else [[b] for b in answer_buttons]
    controls = [InlineKeyboardButton("✖ Stop", callback_data=encode(Action.REDFLAGS_STOP))]
    if answers:
        controls.insert(0, _button("⬅️ Back", Action.REDFLAGS_BACK, checklist, now, so_far[:-1]))
    return InlineKeyboardMarkup([*rows, controls])


def start_check_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(
        "🩺 New or worse symptoms?", callback_data=encode(Action.REDFLAGS_START)
    )


def resume_after_hold_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ I've been checked, resume", callback_data=encode(Action.HOLD_RESUME)
                )
            ]
        ]
    )
