"""The re-engagement offer (sent in place of a daily reminder) and the replies to its buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.reengagement import OFFER_PAUSE_DAYS, OfferChoice
from bot.render.callbacks import Action, encode
from bot.render.i18n import Translator


def _button(label: str, choice: OfferChoice) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(Action.REENGAGE, choice.value))


def render_offer(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """The one message after seven unanswered reminders: it says what happens with no reply."""
    text = "\n".join(
        [
            t.gettext("👋 <b>Are these reminders still working for you?</b>"),
            t.gettext(
                "The last few went unanswered, and that's fine: routines change. "
                "Another time of day, or a break, might suit you better."
            ),
            "",
            t.gettext(
                "If I don't hear from you before your next reminder, I'll pause them and "
                "send nothing more. /resume brings them back whenever you like."
            ),
        ]
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(t.gettext("🕐 Change the time"), OfferChoice.TIME),
                _button(t.gettext("⏸ Pause for a week"), OfferChoice.PAUSE),
            ],
            [
                _button(t.gettext("🛑 Stop reminders"), OfferChoice.STOP),
                _button(t.gettext("👍 Keep them coming"), OfferChoice.KEEP),
            ],
        ]
    )
    return text, keyboard


def render_offer_answer(t: Translator, choice: OfferChoice) -> str:
    """The reply to a press on the offer (Change the time is followed by the time picker)."""
    if choice is OfferChoice.KEEP:
        return t.gettext("Great, your reminders carry on as before. /stretch works any time too.")
    if choice is OfferChoice.TIME:
        return t.gettext("Sure. Pick a time that fits your day better:")
    if choice is OfferChoice.PAUSE:
        return t.ngettext(
            "Reminders paused for {days} day. /resume brings them back sooner.",
            "Reminders paused for {days} days. /resume brings them back sooner.",
            OFFER_PAUSE_DAYS,
        ).format(days=OFFER_PAUSE_DAYS)
    return t.gettext("Reminders are off. /resume turns them back on, and /stretch works any time.")
