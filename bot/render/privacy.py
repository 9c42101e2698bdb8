"""Texts for /mydata and /forget."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.precautions import PrecautionAnswers
from bot.domain.schedule import describe_days
from bot.render.callbacks import Action, encode
from bot.render.precautions import answers_by_question, describe_answers


def _yes_no(flag: object) -> str:
    return "yes" if flag else "no"


def render_data_summary(export: dict[str, list[dict[str, Any]]]) -> str:
    users = export.get("users", [])
    if not users:
        return "I store nothing about you right now."
    user = users[0]
    checks = export.get("checks", [])
    lines = [
        "<b>What I store about you</b>",
        f"• Telegram user id: {user['id']}",
        f"• Reminder: {escape(str(user['reminder_time'] or 'not set'))}, "
        f"{escape(describe_days(user['reminder_days']))}, timezone {escape(str(user['timezone']))}",
        f"• Focus areas: {escape(', '.join(user['focus_areas']) or 'none')}, level {user['level']}",
        f"• Stretch safety answers: {escape(describe_answers(_precautions(user)))}",
        f"• Paused: {_yes_no(user['paused'])}; active: {_yes_no(user['active'])}",
        f"• Activity log: {len(export.get('activity', []))} entries (stretches shown and done)",
        f"• Reminder deliveries: {len(export.get('deliveries', []))}",
        f"• Red-flag checks: {len(checks)} (only the outcome, its time and a random check id; "
        "never your answers)",
        f"• First contact: {escape(str(user['created_at']))}",
        "",
        "The attached file holds all of it. Send /forget to delete everything.",
    ]
    return "\n".join(lines)


def _precautions(user: dict[str, Any]) -> PrecautionAnswers:
    return PrecautionAnswers.stored(int(user.get("precaution_answers") or 0))


def export_file_bytes(export: dict[str, list[dict[str, Any]]]) -> bytes:
    """The export as JSON; the safety answers in words rather than as their stored code."""
    readable = {
        **export,
        "users": [
            {**user, "precaution_answers": answers_by_question(_precautions(user))}
            for user in export.get("users", [])
        ],
    }
    return json.dumps(readable, indent=2, ensure_ascii=False, sort_keys=True).encode()


FORGET_QUESTION = (
    "<b>Delete everything I store about you?</b>\n"
    "Your settings, stretch safety answers, reminders, activity log and check outcomes will be "
    "gone for good. This cannot be undone."
)
FORGET_DONE = (
    "Done: everything I stored about you is deleted. "
    "If you write to me again I'll start fresh, as with a new user."
)
FORGET_CANCELLED = "Nothing was deleted."
EXPORT_FILENAME = "limber-my-data.json"
EXPORT_CAPTION = "Everything Limber stores about you, as JSON."
FORGET_EXPIRED = "This confirmation has expired: nothing was deleted. Send /forget again."


def forget_keyboard(question_message_id: int) -> InlineKeyboardMarkup:
    confirm = encode(Action.FORGET_CONFIRM, str(question_message_id))
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🗑 Yes, delete everything", callback_data=confirm),
                InlineKeyboardButton("Keep my data", callback_data=encode(Action.FORGET_CANCEL)),
            ]
        ]
    )
