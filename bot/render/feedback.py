"""The questions after a stretch, "How did that feel?" and "It hurt", with their buttons and
replies; and the list of stopped stretches (/stopped).

A question's buttons carry when it was asked (so a repeated press stores nothing twice and an
old one expires) and what was done: one stretch by its id, or a session's stretches by their
places in the library, under a fingerprint of the library so a changed library reads as stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Area, Stretch
from bot.domain.feedback import Feeling, PainKind, PainOutcome, PainPlace
from bot.domain.redflags_state import base36
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator
from bot.render.redflags_buttons import start_check_button
from bot.render.settings import AREA_LABELS
from bot.render.stretch_card import render_variant

FEELING_CODES = {"g": Feeling.GOOD, "e": Feeling.TOO_EASY, "h": Feeling.TOO_HARD, "x": Feeling.HURT}
CODE_OF = {feeling: code for code, feeling in FEELING_CODES.items()}
FEELING_LABELS = {
    Feeling.GOOD: N_("👍 Good"),
    Feeling.TOO_EASY: N_("😌 Too easy"),
    Feeling.TOO_HARD: N_("😓 Too hard"),
    Feeling.HURT: N_("🤕 It hurt"),
}
PLACE_LABELS = {
    PainPlace.STRETCHED: N_("Where it stretched"),
    PainPlace.JOINT: N_("In a joint, like the knee or hip"),
    PainPlace.LOWER_BACK: N_("Lower back"),
    PainPlace.DOWN_LEG: N_("Spreading down a leg"),
}
KIND_LABELS = {
    PainKind.MILD: N_("A stretching pull, 3 out of 10 or less"),
    PainKind.STRONG: N_("Stronger than 3 out of 10"),
    PainKind.SHARP: N_("Sharp or stabbing"),
    PainKind.NERVE: N_("Shooting, tingling or numb"),
    PainKind.NEXT_MORNING: N_("Still worse the next morning"),
    PainKind.NEW: N_("Something new for me"),
}
BASE = 36


def stamp(moment: datetime) -> str:
    """A moment to the second, as base-36 Unix seconds."""
    return base36(int(moment.timestamp()))


def asked_at(stamped: str) -> datetime:
    """The moment a :func:`stamp` stands for (the codec has checked its alphabet)."""
    return datetime.fromtimestamp(int(stamped, BASE), UTC)


def fingerprint(library_ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(library_ids).encode()).hexdigest()[:4]


def session_args(stretch_ids: Sequence[str], library_ids: Sequence[str]) -> tuple[str, str]:
    """(library fingerprint, two base-36 digits per stretch's place in the library)."""
    place = {stretch_id: index for index, stretch_id in enumerate(library_ids)}
    digits = "".join(base36(place[i]).rjust(2, "0") for i in stretch_ids)
    return fingerprint(library_ids), digits


def session_ids(print_: str, digits: str, library_ids: Sequence[str]) -> list[str] | None:
    """The stretch ids :func:`session_args` encoded; None when the library has changed."""
    if print_ != fingerprint(library_ids):
        return None
    indices = [int(digits[i : i + 2], BASE) for i in range(0, len(digits), 2)]
    if any(index >= len(library_ids) for index in indices):
        return None
    return [library_ids[index] for index in indices]


HOW_DID_IT_FEEL = N_("<b>How did that feel?</b>")


def feedback_keyboard(
    t: Translator, stretch_ids: Sequence[str], asked: datetime, library_ids: Sequence[str]
) -> InlineKeyboardMarkup:
    """Good / Too easy / Too hard / It hurt, about one stretch or a session's stretches."""

    def data(feeling: Feeling) -> str:
        if len(stretch_ids) == 1:
            return encode(Action.FEEL, stretch_ids[0], stamp(asked), CODE_OF[feeling])
        print_, digits = session_args(stretch_ids, library_ids)
        return encode(Action.FEEL_SESSION, print_, digits, stamp(asked), CODE_OF[feeling])

    def button(feeling: Feeling) -> InlineKeyboardButton:
        return InlineKeyboardButton(t.gettext(FEELING_LABELS[feeling]), callback_data=data(feeling))

    return InlineKeyboardMarkup(
        [
            [button(Feeling.GOOD), button(Feeling.TOO_EASY)],
            [button(Feeling.TOO_HARD), button(Feeling.HURT)],
        ]
    )


def _areas(t: Translator, stretches: Sequence[Stretch]) -> str:
    areas = dict.fromkeys(area for stretch in stretches for area in stretch.areas)
    return ", ".join(t.gettext(AREA_LABELS[Area(area)]).lower() for area in areas)


def render_noted(t: Translator, feeling: Feeling, stretches: Sequence[Stretch]) -> str:
    """The reply to Good, Too easy or Too hard."""
    areas = escape(_areas(t, stretches))
    if feeling is Feeling.TOO_EASY:
        return t.gettext(
            "Noted. I'll move you up a step for {areas}: expect slightly harder stretches there."
        ).format(areas=areas)
    if feeling is Feeling.TOO_HARD:
        return t.gettext(
            "Noted. I'll go a step gentler for {areas}. Any stretch should feel like a mild pull, "
            "never a strain."
        ).format(areas=areas)
    return t.gettext(
        "Good to hear! Keep it up: after a few good weeks your holds will grow a little."
    )


ALREADY_NOTED = N_("Already noted, thank you.")
EXPIRED = N_("That question has expired. Tell me next time, after a stretch.")


def which_one_hurt(
    t: Translator, stretches: Sequence[Stretch], asked: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """After a session: which stretch hurt, before where and how."""
    rows = [
        [
            InlineKeyboardButton(
                stretch.name,
                callback_data=encode(Action.FEEL, stretch.id, stamp(asked), CODE_OF[Feeling.HURT]),
            )
        ]
        for stretch in stretches
    ]
    return t.gettext("Sorry it hurt. Which one was it?"), InlineKeyboardMarkup(rows)


def where_question(
    t: Translator, stretch: Stretch, asked: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """The first question after "It hurt": where."""
    rows = [
        [
            InlineKeyboardButton(
                t.gettext(label),
                callback_data=encode(Action.PAIN_PLACE, stretch.id, stamp(asked), place.value),
            )
        ]
        for place, label in PLACE_LABELS.items()
    ]
    question = t.gettext("Sorry that hurt. During <b>{name}</b>, where did you feel it?").format(
        name=escape(stretch.name)
    )
    return question, InlineKeyboardMarkup(rows)


def how_question(
    t: Translator, stretch: Stretch, asked: datetime, place: PainPlace
) -> tuple[str, InlineKeyboardMarkup]:
    """The second question after "It hurt": what it felt like (0 nothing, 10 the worst)."""
    rows = [
        [
            InlineKeyboardButton(
                t.gettext(label),
                callback_data=encode(
                    Action.PAIN_KIND, stretch.id, stamp(asked), place.value, kind.value
                ),
            )
        ]
        for kind, label in KIND_LABELS.items()
    ]
    question = t.gettext(
        "And what was it like? Think of 0 as nothing and 10 as the worst pain you can imagine."
    )
    return question, InlineKeyboardMarkup(rows)


REASSURE = N_(
    "That sounds like a normal stretch: a gentle pull you can breathe through, 3 out of 10 or "
    "less, is exactly what it should feel like. Next time ease off a little so it stays there, "
    "and never push into pain."
)
STOPPED = N_(
    "Thanks for telling me. I won't suggest <b>{name}</b> again. A stretch should never feel "
    "sharp, shoot down a leg, tingle or go numb, or leave you worse the next day. If the pain "
    "stays, gets worse or keeps coming back, see a doctor or physiotherapist."
)
BRING_BACK_HINT = N_("Changed your mind later? /stopped lists it and can bring it back.")
EASIER_OFFER = N_("If you'd like to try it again another day, there is a gentler way:")
CHECK_OFFER = N_(
    "Pain that spreads down a leg, tingling or numbness, or a symptom that is new to you is "
    "worth a closer look. The red-flag check takes about a minute:"
)


def render_pain_outcome(
    t: Translator,
    stretch: Stretch,
    outcome: PainOutcome,
    *,
    easier_allowed: bool,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """What follows "It hurt": reassurance, or the stop with the easier way (unless the user's
    safety answers rule it out) and, when it fits, the red-flag check's button."""
    if outcome.reassure:
        return t.gettext(REASSURE), None
    parts = [t.gettext(STOPPED).format(name=escape(stretch.name))]
    if easier_allowed:
        parts.append(t.gettext(EASIER_OFFER) + "\n" + render_variant(t, stretch, easier=True))
    parts.append(t.gettext(BRING_BACK_HINT))
    keyboard = None
    if outcome.offer_check:
        parts.append(t.gettext(CHECK_OFFER))
        keyboard = InlineKeyboardMarkup([[start_check_button(t)]])
    return "\n\n".join(parts), keyboard


NOTHING_STOPPED = N_(
    "You haven't stopped any stretch. When one hurts, tap 🤕 It hurt after it and I'll leave "
    "it out; it will show up here."
)


def render_stopped(
    t: Translator, stretches: Sequence[Stretch]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/stopped: the stretches left out because they hurt, each with a button to bring it
    back."""
    if not stretches:
        return t.gettext(NOTHING_STOPPED), None
    lines = [t.gettext("<b>Stretches I leave out because they hurt:</b>")]
    lines += [f"• {escape(stretch.name)}" for stretch in stretches]
    lines += ["", t.gettext("Bring one back only if it no longer hurts.")]
    rows = [
        [
            InlineKeyboardButton(
                t.gettext("↩️ Bring back {name}").format(name=stretch.name),
                callback_data=encode(Action.BRING_BACK, stretch.id),
            )
        ]
        for stretch in stretches
    ]
    if len(stretches) > 1:
        rows.append(
            [
                InlineKeyboardButton(
                    t.gettext("↩️ Bring them all back"), callback_data=encode(Action.BRING_BACK_ALL)
                )
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


NOTHING_LEFT = N_(
    "Every stretch that suits your safety answers is one you stopped because it hurt. "
    "Send /stopped to bring one back, or check with a physiotherapist first."
)
