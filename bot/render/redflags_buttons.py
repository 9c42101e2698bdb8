"""Buttons for the red-flag check: each carries the check's state (see
``domain.redflags_state``), so the check survives restarts and nothing about it is stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.redflags import Checklist, Gate
from bot.domain.redflags import UNSURE, Answer, Question
from bot.domain.redflags_state import CheckId, answer_code, base36, encode_answers
from bot.render.callbacks import Action, encode
from bot.render.i18n import Translator


def _button(
    label: str, action: Action, checklist: Checklist, check: CheckId, now: datetime, code: str
) -> InlineKeyboardButton:
    minutes = base36(int(now.timestamp()) // 60)
    data = encode(action, str(checklist.version), base36(check.started), check.nonce, minutes, code)
    return InlineKeyboardButton(label, callback_data=data)


def question_keyboard(
    t: Translator,
    checklist: Checklist,
    question: Question,
    answers: Mapping[str, Answer],
    check: CheckId,
    now: datetime,
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
            label,
            Action.REDFLAGS_ANSWER,
            checklist,
            check,
            now,
            so_far + answer_code(question, value),
        )
        for label, value in choices
    ]
    # Short Yes / No / Not sure side by side; longer choices one per row, readable on a phone.
    rows = [answer_buttons] if len(answer_buttons) <= 3 else [[b] for b in answer_buttons]
    controls = [
        InlineKeyboardButton(t.gettext("✖ Stop"), callback_data=encode(Action.REDFLAGS_STOP))
    ]
    if answers:
        back = _button(
            t.gettext("⬅️ Back"), Action.REDFLAGS_BACK, checklist, check, now, so_far[:-1]
        )
        controls.insert(0, back)
    return InlineKeyboardMarkup([*rows, controls])


def start_check_button(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("🩺 New or worse symptoms?"), callback_data=encode(Action.REDFLAGS_START)
    )


def resume_after_hold_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("✅ I've been checked, resume"),
                    callback_data=encode(Action.HOLD_RESUME),
                )
            ]
        ]
    )
