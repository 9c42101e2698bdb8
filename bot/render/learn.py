"""/learn: one education card at a time, with Previous and Next."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.learn import LearnCard, LearnCards
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator, text

NOT_ADVICE = N_("General information, not a diagnosis: see /redflags if you are worried.")


def render_learn_card(t: Translator, cards: LearnCards, card: LearnCard) -> str:
    number = (cards.position(card.id) or 0) + 1
    parts = [f"<b>📖 {escape(card.title)}</b>", *(escape(p) for p in card.text)]
    footer = t.gettext("Card {number} of {count}. Sources: {sources}").format(
        number=number, count=len(cards), sources=escape("; ".join(card.sources))
    )
    parts.append("<i>" + footer + "</i>\n" + escape(text(t, NOT_ADVICE)))
    return "\n\n".join(parts)


def learn_keyboard(t: Translator, cards: LearnCards, card: LearnCard) -> InlineKeyboardMarkup:
    position = cards.position(card.id) or 0
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("⬅️ Previous"),
                    callback_data=encode(Action.LEARN_SHOW, cards.at(position - 1).id),
                ),
                InlineKeyboardButton(
                    t.gettext("Next ➡️"),
                    callback_data=encode(Action.LEARN_SHOW, cards.at(position + 1).id),
                ),
            ]
        ]
    )


def learn_screen(
    t: Translator, cards: LearnCards, card: LearnCard
) -> tuple[str, InlineKeyboardMarkup]:
    return render_learn_card(t, cards, card), learn_keyboard(t, cards, card)


def read_card_button(t: Translator, card: LearnCard) -> InlineKeyboardButton:
    """The card a weekly summary offers."""
    return InlineKeyboardButton(
        t.gettext("📖 Read: {title}").format(title=card.title)[:64],
        callback_data=encode(Action.LEARN_SHOW, card.id),
    )


def render_learn_unknown(t: Translator, count: int) -> str:
    return t.gettext(
        "There are {count} cards: send /learn, or /learn with a number from 1 to {count}."
    ).format(count=count)
