"""The stretch card: one stretch as an HTML message with its buttons.

The stretch's own words (name, steps, cues) come from the content files in the user's language;
the words around them come from the translation catalogue.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Position, Stretch
from bot.domain.reminders import DeliveryKind
from bot.domain.sessions import SessionStep
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator
from bot.render.redflags_buttons import resume_after_hold_keyboard, start_check_button

MAX_MESSAGE_CHARS = 4096


def describe_dose(
    t: Translator, stretch: Stretch, hold_seconds: int | None = None, rounds: int | None = None
) -> str:
    """Hold time or reps, sides and rounds, in one short line; ``hold_seconds`` is the user's
    own hold when it has grown past the card's, ``rounds`` a session's when fewer than the
    card's own."""
    rounds = rounds or stretch.rounds
    if stretch.hold_seconds is not None:
        dose = t.gettext("Hold {seconds} s").format(seconds=hold_seconds or stretch.hold_seconds)
    elif stretch.reps is not None:
        dose = t.ngettext("{reps} rep", "{reps} reps", stretch.reps).format(reps=stretch.reps)
    else:
        dose = _keep_going(t, stretch.duration_seconds or 0)
    if stretch.sides == "each":
        dose = t.gettext("{dose} on each side").format(dose=dose)
    if rounds > 1:
        several = t.ngettext("{dose}, {rounds} round", "{dose}, {rounds} rounds", rounds)
        dose = several.format(dose=dose, rounds=rounds)
    return dose


def _keep_going(t: Translator, seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return t.ngettext("Keep going for {n} min", "Keep going for {n} min", minutes).format(
            n=minutes
        )
    return t.gettext("Keep going for {n} s").format(n=seconds)


def render_stretch_card(
    t: Translator,
    stretch: Stretch,
    *,
    heading: str | None = None,
    hold_seconds: int | None = None,
    rounds: int | None = None,
) -> str:
    """The card text in Telegram HTML; every piece of content is escaped (``heading`` may
    carry HTML the caller escaped). Only the on-demand card and a session's step pass the
    user's own ``hold_seconds``: reminder cards are cached per stretch and language, so they
    show the card's hold."""
    lines: list[str] = []
    if heading:
        lines.append(heading)
    lines.append(f"<b>{escape(stretch.name)}</b>")
    lines.append(f"<i>{escape(stretch.purpose)}</i>")
    lines.append("")
    lines.extend(f"{number}. {escape(step)}" for number, step in enumerate(stretch.steps, 1))
    lines.append("")
    lines.append(f"⏱ <b>{escape(describe_dose(t, stretch, hold_seconds, rounds))}</b>")
    lines.extend(f"💡 {escape(cue)}" for cue in stretch.cues)
    lines.append("")
    lines.append(t.gettext("⚠️ <b>Stop if:</b>"))
    lines.extend(f"• {escape(caution)}" for caution in stretch.stop_if)
    text = "\n".join(lines)
    if len(text) > MAX_MESSAGE_CHARS:
        # Content is validated to stay far below this; guard so a card can never be refused.
        raise ValueError(f"stretch card for {stretch.id} is {len(text)} characters")
    return text


POSITION_NAMES = {
    Position.STANDING: N_("standing"),
    Position.SEATED_CHAIR: N_("sitting on a chair"),
    Position.SEATED_FLOOR: N_("sitting on the floor"),
    Position.KNEELING: N_("kneeling"),
    Position.HALF_KNEELING: N_("half-kneeling"),
    Position.TABLETOP: N_("on hands and knees"),
    Position.LYING_BACK: N_("lying on your back"),
    Position.LYING_FRONT: N_("lying on your front"),
    Position.SIDE_LYING: N_("lying on your side"),
}


def illustration_caption(t: Translator, stretch: Stretch) -> str:
    """Under the picture: a drill's loop shows the movement, a still its start (1) and end (2)."""
    position = escape(t.gettext(POSITION_NAMES[stretch.position]))
    how = (
        t.gettext("The movement, from the starting position ({position}).")
        if stretch.is_drill
        else t.gettext("1: the starting position ({position}); 2: the stretch.")
    )
    return f"<b>{escape(stretch.name)}</b>\n" + how.format(position=position)


def render_variant(t: Translator, stretch: Stretch, *, easier: bool) -> str:
    """The easier or harder way to do a stretch."""
    title = (t.gettext("Easier: {name}") if easier else t.gettext("Harder: {name}")).format(
        name=escape(stretch.name)
    )
    variant = stretch.easier if easier else stretch.harder
    return f"<b>{title}</b>\n{escape(variant)}"


REMINDER_HEADINGS = {
    DeliveryKind.DAILY: N_("⏰ Time for your daily stretch!"),
    DeliveryKind.SNOOZE: N_("⏰ Snoozed reminder: here is your stretch."),
}


def render_reminder_card(
    t: Translator, stretch: Stretch, kind: DeliveryKind
) -> tuple[str, InlineKeyboardMarkup]:
    """A reminder: the stretch card under its heading, with the reminder's buttons."""
    heading = escape(t.gettext(REMINDER_HEADINGS[kind]))
    return render_stretch_card(t, stretch, heading=heading), reminder_card_keyboard(t, stretch)


def _card_buttons(t: Translator, stretch: Stretch) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(t.gettext("✅ Done"), callback_data=encode(Action.DONE, stretch.id)),
        InlineKeyboardButton(
            t.gettext("🔄 Another"), callback_data=encode(Action.ANOTHER, stretch.id)
        ),
    ]


def timer_button(t: Translator, seconds: int, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("▶️ Start {seconds} s").format(seconds=seconds), callback_data=data
    )


def _timer_row(
    t: Translator, stretch: Stretch, hold_seconds: int | None = None
) -> list[list[InlineKeyboardButton]]:
    """A held stretch's "Start 30 s" (the hold timer; ``hold_seconds``: the user's own hold
    when it has grown); a drill counted in reps has none."""
    step = SessionStep(stretch, stretch.rounds, hold_seconds)
    if not step.timed or not step.timer_hold_seconds:
        return []
    return [[timer_button(t, step.timer_hold_seconds, encode(Action.TIMER_START, stretch.id))]]


def reminder_card_keyboard(t: Translator, stretch: Stretch) -> InlineKeyboardMarkup:
    """Buttons under a daily reminder: do it (alone or as a guided session), put it off, or
    skip it for today."""
    return InlineKeyboardMarkup(
        [
            *_timer_row(t, stretch),
            _card_buttons(t, stretch),
            [
                InlineKeyboardButton(
                    t.gettext("🧘 Start session"), callback_data=encode(Action.SESSION_START, "me")
                )
            ],
            [
                InlineKeyboardButton(
                    t.gettext("⏰ Snooze 15 min"), callback_data=encode(Action.SNOOZE, "15")
                ),
                InlineKeyboardButton(
                    t.gettext("⏰ Snooze 1 h"), callback_data=encode(Action.SNOOZE, "60")
                ),
            ],
            [
                InlineKeyboardButton(
                    t.gettext("⏭ Skip today"), callback_data=encode(Action.SKIP_TODAY)
                )
            ],
            [start_check_button(t)],
        ]
    )


def stretch_card_keyboard(
    t: Translator, stretch: Stretch, hold_seconds: int | None = None
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            *_timer_row(t, stretch, hold_seconds),
            _card_buttons(t, stretch),
            [
                InlineKeyboardButton(
                    t.gettext("🐢 Easier"), callback_data=encode(Action.EASIER, stretch.id)
                ),
                InlineKeyboardButton(
                    t.gettext("🔥 Harder"), callback_data=encode(Action.HARDER, stretch.id)
                ),
            ],
            [start_check_button(t)],
        ]
    )


ON_HOLD = N_(
    "⏸ Your last red-flag check advised getting checked by a clinician, so I've held back "
    "stretches and reminders. Once you've been checked and told it's fine to exercise, tap "
    "below to carry on. If anything has changed, run /redflags again."
)


def on_hold_screen(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """What a stretch, a session or a timer gets during the safety hold."""
    return t.gettext(ON_HOLD), resume_after_hold_keyboard(t)


RESUMED = N_("Glad you've been checked. Reminders are back on; here's a stretch.")
LOGGED = N_("Logged ✅")


# Telegram's 🎉 message effect (the ids of the free effects are fixed).
CONFETTI_EFFECT = "5046509860389126442"


def render_nice_work(t: Translator, streak: int) -> str:
    """The congratulation, with the streak in days once there is one."""
    if streak <= 1:
        return t.gettext("Nice work! ✅")
    return t.ngettext(
        "Nice work! ✅ That's {streak} day in a row 🔥",
        "Nice work! ✅ That's {streak} days in a row 🔥",
        streak,
    ).format(streak=streak)


def render_done(
    t: Translator, streak: int, *, has_reminder: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The congratulation for a finished stretch, with the streak in days; without a daily
    reminder, the offer of one at this time of day."""
    text = render_nice_work(t, streak)
    if has_reminder:
        return text + " " + t.gettext("See you tomorrow."), None
    offer = t.gettext("Want a stretch every day? I can remind you at this time.")
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("⏰ Remind me daily at this time"),
                    callback_data=encode(Action.REMIND_HERE),
                )
            ]
        ]
    )
    return f"{text}\n{offer}", keyboard


def variant_keyboard(t: Translator, stretch: Stretch) -> InlineKeyboardMarkup:
    """After the easier or harder way: do it, or try another."""
    return InlineKeyboardMarkup([_card_buttons(t, stretch)])


def render_level_note(t: Translator, easier: bool) -> str:
    if easier:
        return "\n\n" + t.gettext("I'll suggest gentler stretches from now on.")
    return "\n\n" + t.gettext("I'll suggest more challenging stretches from now on.")
