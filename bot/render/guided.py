"""Guided sessions and the hold timer: the chooser, each step, the countdown, the buzzes and
the end, with their buttons."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.routines import Routine
from bot.catalog.stretches import Role, Stretch
from bot.domain.sessions import SessionStep
from bot.domain.timer import GET_READY_SECONDS, Cue, Phase, TimerEvent
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator
from bot.render.stretch_card import render_nice_work, render_stretch_card, timer_button

FOR_ME = "me"

ROLE_LABELS = {
    Role.WARM_UP: N_("warm-up"),
    Role.STRETCH: N_("stretch"),
    Role.HIP_STRENGTH: N_("strength for the side of the hip"),
}


def render_session_menu(
    t: Translator, routines: Sequence[Routine]
) -> tuple[str, InlineKeyboardMarkup]:
    """/session: a session made for the user, or one of the named routines."""
    lines = [
        t.gettext("🧘 <b>A short guided session</b>"),
        t.gettext(
            "About 6 to 8 minutes: a warm-up, three stretches and one move that strengthens "
            "the side of the hip, one step at a time with a timer."
        ),
        "",
        t.gettext("✨ <b>For me</b>: picked for your focus, your level and what you did lately."),
    ]
    lines += [f"• <b>{escape(r.name)}</b>: {escape(r.purpose)}" for r in routines]
    buttons = [[InlineKeyboardButton(t.gettext("✨ For me"), callback_data=_start(FOR_ME))]]
    buttons += [
        [InlineKeyboardButton(f"🧘 {r.name}", callback_data=_start(r.id))] for r in routines
    ]
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def _start(routine_id: str) -> str:
    return encode(Action.SESSION_START, routine_id)


def describe_minutes(t: Translator, seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return t.ngettext("about {n} minute", "about {n} minutes", minutes).format(n=minutes)


def render_session_intro(
    t: Translator, title: str, steps: Sequence[SessionStep], seconds: int, replaced: int
) -> str:
    """Above the first step: what the session is and how long it takes."""
    lines = [
        t.gettext("🧘 <b>{title}</b>: {count} steps, {minutes}.").format(
            title=escape(title),
            count=len(steps),
            minutes=describe_minutes(t, seconds),
        )
    ]
    if replaced:
        lines.append(
            t.ngettext(
                "I swapped {n} step for one that suits your safety answers.",
                "I swapped {n} steps for ones that suit your safety answers.",
                replaced,
            ).format(n=replaced)
        )
    lines.append(t.gettext("Go at your own pace; Skip anything that doesn't feel right."))
    return "\n".join(lines)


def session_title(t: Translator, routine: Routine | None) -> str:
    return routine.name if routine is not None else t.gettext("Your session")


def render_session_step(
    t: Translator, stretch: Stretch, step: SessionStep, index: int, count: int
) -> str:
    """One step: its place in the session and the stretch card at the session's dose (and the
    user's own hold)."""
    heading = t.gettext("<b>Step {number} of {count}</b> · {role}").format(
        number=index + 1, count=count, role=escape(t.gettext(ROLE_LABELS[stretch.role]))
    )
    return render_stretch_card(
        t, stretch, heading=heading, rounds=step.rounds, hold_seconds=step.own_hold
    )


def session_step_keyboard(
    t: Translator, token: int, index: int, step: SessionStep
) -> InlineKeyboardMarkup:
    args = (str(token), str(index))
    rows = []
    if step.timed:
        rows.append([timer_button(t, step.timer_hold_seconds, encode(Action.SESSION_TIMER, *args))])
    rows.append(
        [
            InlineKeyboardButton(
                t.gettext("➡️ Next"), callback_data=encode(Action.SESSION_NEXT, *args)
            ),
            InlineKeyboardButton(
                t.gettext("⏭ Skip"), callback_data=encode(Action.SESSION_SKIP, *args)
            ),
        ]
    )
    rows.append([_stop_button(t, token)])
    return InlineKeyboardMarkup(rows)


def _stop_button(t: Translator, token: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("⏹ Stop session"), callback_data=encode(Action.SESSION_STOP, str(token))
    )


def render_session_end(
    t: Translator, *, done: int, skipped: int, count: int, stopped: bool, streak: int | None
) -> str:
    """The session's end: what was done; the streak when something was."""
    if done == 0:
        return t.gettext("⏹ Session stopped. Nothing was logged; come back whenever suits you.")
    if stopped:
        head = t.ngettext(
            "⏹ Session stopped after {done} step. That still counts.",
            "⏹ Session stopped after {done} steps. That still counts.",
            done,
        ).format(done=done)
    else:
        head = t.gettext("🎉 <b>Session complete!</b> {done} of {count} steps done.").format(
            done=done, count=count
        )
        if skipped:
            head += " " + t.ngettext("{n} skipped.", "{n} skipped.", skipped).format(n=skipped)
    return head + "\n" + render_nice_work(t, streak or 1)


def session_end_keyboard(t: Translator) -> InlineKeyboardMarkup:
    """Under a finished session: the place where what comes next hooks in (another session
    today; a question about how it felt can join this row)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("🧘 Another session"), callback_data=encode(Action.SESSION_MENU)
                )
            ]
        ]
    )


# -- the hold timer ---------------------------------------------------------------


def render_countdown(t: Translator, stretch: Stretch, event: TimerEvent | None) -> str:
    """The countdown message: at Start (``event`` None), then as each edit shows it."""
    title = f"⏱ <b>{escape(stretch.name)}</b>"
    if event is None:
        line = t.gettext("Get into position… {seconds} s").format(seconds=GET_READY_SECONDS)
    elif event.phase is Phase.GET_READY:
        line = t.gettext("Get into position… {seconds} s").format(seconds=event.remaining)
    elif event.phase is Phase.HOLD:
        line = _hold_label(t, stretch, event.hold, event.holds) + " · " + _left(t, event)
    elif event.phase is Phase.CHANGE:
        line = (
            t.gettext("Switch sides · next hold in {seconds} s")
            if stretch.sides == "each"
            else t.gettext("Rest · next round in {seconds} s")
        ).format(seconds=event.remaining)
    else:
        line = t.gettext("✅ Time's up.")
    return f"{title}\n{line}"


def _left(t: Translator, event: TimerEvent) -> str:
    return t.gettext("<b>{seconds} s</b> left").format(seconds=event.remaining)


def _hold_label(t: Translator, stretch: Stretch, hold: int, holds: int) -> str:
    if holds == 1:
        return t.gettext("Hold")
    if stretch.sides == "each" and holds == 2:
        return t.gettext("First side") if hold == 1 else t.gettext("Second side")
    return t.gettext("Hold {hold} of {holds}").format(hold=hold, holds=holds)


def render_timer_stopped(t: Translator, stretch: Stretch | None, *, finished: bool = False) -> str:
    """A countdown the user moved on from: over already, or stopped."""
    name = f"⏱ <b>{escape(stretch.name)}</b>\n" if stretch is not None else ""
    return name + (t.gettext("✅ Time's up.") if finished else t.gettext("⏹ Timer stopped."))


def render_buzz(t: Translator, stretch: Stretch, event: TimerEvent) -> str:
    """A new message at the end of a hold, so the phone buzzes."""
    if event.cue is Cue.DONE:
        return t.gettext("✅ Done: {name}. Well held!").format(name=escape(stretch.name))
    if stretch.sides == "each":
        return t.gettext("🔄 Switch sides")
    return t.gettext("⏸ Rest a moment, the next round is coming")


def render_closed_late(t: Translator, stretch: Stretch) -> str:
    return t.gettext(
        "⏱ Your timer for {name} ran out while I was restarting, sorry. If you finished it, "
        "tap Done."
    ).format(name=escape(stretch.name))


def card_timer_end_keyboard(t: Translator, stretch: Stretch) -> InlineKeyboardMarkup:
    """After a card's timer: Done or Another (a question about how it felt can join them)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("✅ Done"), callback_data=encode(Action.DONE, stretch.id)
                ),
                InlineKeyboardButton(
                    t.gettext("🔄 Another"), callback_data=encode(Action.ANOTHER, stretch.id)
                ),
            ]
        ]
    )


def session_timer_end_keyboard(t: Translator, token: int, index: int) -> InlineKeyboardMarkup:
    """After a session step's timer: on to the next step, or stop."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("➡️ Next"),
                    callback_data=encode(Action.SESSION_NEXT, str(token), str(index)),
                ),
                _stop_button(t, token),
            ]
        ]
    )
