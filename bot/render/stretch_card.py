"""The stretch card: one stretch as an HTML message with its buttons."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Position, Stretch
from bot.render.callbacks import Action, encode
from bot.render.redflags_buttons import start_check_button

MAX_MESSAGE_CHARS = 4096


def describe_dose(stretch: Stretch) -> str:
    """Hold time or reps, sides and rounds, in one short line."""
    if stretch.hold_seconds is not None:
        dose = f"Hold {stretch.hold_seconds} s"
    elif stretch.reps is not None:
        dose = f"{stretch.reps} reps"
    else:
        dose = f"Keep going for {_minutes_or_seconds(stretch.duration_seconds or 0)}"
    if stretch.sides == "each":
        dose += " on each side"
    if stretch.rounds > 1:
        dose += f", {stretch.rounds} rounds"
    return dose


def _minutes_or_seconds(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def render_stretch_card(stretch: Stretch, *, heading: str | None = None) -> str:
    """The card text in Telegram HTML; every piece of content is escaped."""
    lines: list[str] = []
    if heading:
        lines.append(escape(heading))
    lines.append(f"<b>{escape(stretch.name)}</b>")
    lines.append(f"<i>{escape(stretch.purpose)}</i>")
    lines.append("")
    lines.extend(f"{number}. {escape(step)}" for number, step in enumerate(stretch.steps, 1))
    lines.append("")
    lines.append(f"⏱ <b>{escape(describe_dose(stretch))}</b>")
    lines.extend(f"💡 {escape(cue)}" for cue in stretch.cues)
    lines.append("")
    lines.append("⚠️ <b>Stop if:</b>")
    lines.extend(f"• {escape(caution)}" for caution in stretch.stop_if)
    text = "\n".join(lines)
    if len(text) > MAX_MESSAGE_CHARS:
        # Content is validated to stay far below this; guard so a card can never be refused.
        raise ValueError(f"stretch card for {stretch.id} is {len(text)} characters")
    return text


POSITION_NAMES = {
    Position.STANDING: "standing",
    Position.SEATED_CHAIR: "sitting on a chair",
    Position.SEATED_FLOOR: "sitting on the floor",
    Position.KNEELING: "kneeling",
    Position.HALF_KNEELING: "half-kneeling",
    Position.TABLETOP: "on hands and knees",
    Position.LYING_BACK: "lying on your back",
    Position.LYING_FRONT: "lying on your front",
    Position.SIDE_LYING: "lying on your side",
}


def illustration_caption(stretch: Stretch) -> str:
    return f"<b>{escape(stretch.name)}</b>\nStarting position: {POSITION_NAMES[stretch.position]}"


def render_variant(stretch: Stretch, *, easier: bool) -> str:
    """The easier or harder way to do a stretch."""
    label = "Easier" if easier else "Harder"
    variant = stretch.easier if easier else stretch.harder
    return f"<b>{label}: {escape(stretch.name)}</b>\n{escape(variant)}"


def reminder_card_keyboard(stretch: Stretch) -> InlineKeyboardMarkup:
    """Buttons under a daily reminder: do it, put it off, or skip it for today."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Done", callback_data=encode(Action.DONE, stretch.id)),
                InlineKeyboardButton(
                    "🔄 Another", callback_data=encode(Action.ANOTHER, stretch.id)
                ),
            ],
            [
                InlineKeyboardButton("⏰ Snooze 15 min", callback_data=encode(Action.SNOOZE, "15")),
                InlineKeyboardButton("⏰ Snooze 1 h", callback_data=encode(Action.SNOOZE, "60")),
            ],
            [InlineKeyboardButton("⏭ Skip today", callback_data=encode(Action.SKIP_TODAY))],
            [start_check_button()],
        ]
    )


def stretch_card_keyboard(stretch: Stretch) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Done", callback_data=encode(Action.DONE, stretch.id)),
                InlineKeyboardButton(
                    "🔄 Another", callback_data=encode(Action.ANOTHER, stretch.id)
                ),
            ],
            [
                InlineKeyboardButton("🐢 Easier", callback_data=encode(Action.EASIER, stretch.id)),
                InlineKeyboardButton("🔥 Harder", callback_data=encode(Action.HARDER, stretch.id)),
            ],
            [start_check_button()],
        ]
    )
