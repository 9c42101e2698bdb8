"""A new user's onboarding screens: one question each, every one skippable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Need
from bot.domain.abilities import cannot_of
from bot.domain.account import Account
from bot.domain.onboarding import VISIBLE_STEPS, Level, Step, step_number
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator
from bot.render.settings import (
    AREA_LABELS,
    Screen,
    render_zone_question,
    time_grid,
    zone_question_keyboard,
)

LEVEL_LABELS: dict[Level, str] = {
    Level.NEW: N_("🌱 New to stretching"),
    Level.SOME: N_("🙂 I stretch sometimes"),
    Level.REGULAR: N_("💪 I stretch regularly"),
}
# "What can you do?" toggles, phrased as what the user can do or has.
NEED_LABELS: dict[Need, str] = {
    Need.KNEEL: N_("Kneel"),
    Need.FLOOR: N_("Get down to the floor"),
    Need.WALL: N_("A wall to lean on"),
    Need.CHAIR: N_("A sturdy chair"),
    Need.BAND: N_("A resistance band"),
    Need.STRAP: N_("A strap or towel"),
    Need.STEP: N_("A step or stair"),
}


def _button(label: str, action: Action, *args: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def _header(t: Translator, step: Step) -> str:
    return t.gettext("<i>Step {n} of {total}</i>").format(n=step_number(step), total=VISIBLE_STEPS)


def _onward(t: Translator, step: Step, chosen: bool) -> list[InlineKeyboardButton]:
    label = t.gettext("Next ➡️") if chosen else t.gettext("Skip ⏭")
    return [_button(label, Action.ONBOARD_NEXT, str(step.value))]


def render_welcome(t: Translator, first_name: str | None) -> str:
    name = escape(first_name) if first_name else t.gettext("there")
    return (
        t.gettext(
            "Hi {name}! I'm <b>Limber</b>, your pocket coach for hips and lower back."
        ).format(name=name)
        + "\n"
        + t.gettext(
            "Five quick steps fit me to you (under a minute, skip any), then your first stretch."
        )
        + "\n⚠️ "
        + t.gettext(
            "I'm not medical care: stretch gently, never into sharp pain, and send /redflags "
            "if pain is new, severe or comes with other symptoms."
        )
    )


def focus_step(t: Translator, account: Account) -> Screen:
    areas = account.focus_areas
    text = (
        _header(t, Step.FOCUS)
        + "\n"
        + t.gettext("<b>Which areas would you like to work on?</b> Tap any, or skip for all.")
    )
    buttons = [
        _button(
            ("✅ " if area.value in areas else "▫️ ") + t.gettext(label),
            Action.ONBOARD_FOCUS,
            area.value,
        )
        for area, label in AREA_LABELS.items()
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return text, InlineKeyboardMarkup([*rows, _onward(t, Step.FOCUS, bool(areas))])


def level_step(t: Translator) -> Screen:
    text = _header(t, Step.LEVEL) + "\n" + t.gettext("<b>How used to stretching are you?</b>")
    rows = [
        [_button(t.gettext(label), Action.ONBOARD_LEVEL, str(level.value))]
        for level, label in LEVEL_LABELS.items()
    ]
    return text, InlineKeyboardMarkup([*rows, _onward(t, Step.LEVEL, False)])


def abilities_step(t: Translator, account: Account) -> Screen:
    cannot = cannot_of(account.cannot)
    text = (
        _header(t, Step.ABILITIES)
        + "\n"
        + t.gettext(
            "<b>What can you do, and what's at hand?</b> Tap anything that doesn't apply "
            "and I'll never suggest a stretch that needs it."
        )
    )
    buttons = [
        _button(("🚫 " if need in cannot else "✅ ") + t.gettext(label), Action.ONBOARD_NEED, need)
        for need, label in NEED_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return text, InlineKeyboardMarkup([*rows, _onward(t, Step.ABILITIES, bool(cannot))])


def time_step(t: Translator) -> Screen:
    text = (
        _header(t, Step.TIME)
        + "\n"
        + t.gettext(
            "<b>Shall I send you a stretch every day?</b> Pick a time, or type one "
            "(like <code>7pm</code>)."
        )
    )
    no_thanks = [
        _button(t.gettext("No reminder, thanks"), Action.ONBOARD_NEXT, str(Step.TIME.value))
    ]
    return text, InlineKeyboardMarkup([*time_grid(t), no_thanks])


def zone_step(t: Translator, pending: time | None, likely: Sequence[str]) -> Screen:
    """The reminder's zone, asked before the time is saved; shares the time's step number."""
    text = _header(t, Step.ZONE) + "\n" + render_zone_question(t, pending)
    return text, zone_question_keyboard(t, likely)


FINISHED = N_("✅ All set! Change any of it in /settings. Here's your first stretch: take it easy.")
