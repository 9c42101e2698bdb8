"""The two-weekly pain check-in: the question, where each answer leads, the answers so far."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.checkin import Advice, PainAnswer
from bot.domain.emergency_numbers import EmergencyNumber
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator
from bot.render.redflags_buttons import start_check_button

ANSWER_LABELS: dict[PainAnswer, str] = {
    PainAnswer.BETTER: N_("🙂 Better"),
    PainAnswer.SAME: N_("😐 About the same"),
    PainAnswer.WORSE: N_("🙁 Worse"),
    PainAnswer.NEW_SYMPTOMS: N_("⚠️ New symptoms"),
}
# The answer in a sentence or a list, without its emoji.
ANSWER_WORDS: dict[PainAnswer, str] = {
    PainAnswer.BETTER: N_("better"),
    PainAnswer.SAME: N_("about the same"),
    PainAnswer.WORSE: N_("worse"),
    PainAnswer.NEW_SYMPTOMS: N_("new symptoms"),
}


def render_checkin_question(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            t.gettext("🩺 <b>Two-week check-in</b>"),
            t.gettext("How is your pain compared with when you started?"),
            "",
            t.gettext("<i>You can switch these check-ins off in /settings.</i>"),
        ]
    )
    buttons = [
        InlineKeyboardButton(
            t.gettext(label), callback_data=encode(Action.CHECKIN_ANSWER, answer.value)
        )
        for answer, label in ANSWER_LABELS.items()
    ]
    return text, InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def _helpline_line(t: Translator, emergency: EmergencyNumber | None) -> str | None:
    helpline = emergency.helpline if emergency else None
    if helpline is None:
        return None
    return t.gettext("For advice by phone in the meantime: <b>{number}</b> ({name}).").format(
        number=escape(helpline.number), name=escape(helpline.name)
    )


def render_checkin_advice(
    t: Translator, advice: Advice, answer: PainAnswer, emergency: EmergencyNumber | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The reply to an answer; new symptoms come with the button that starts the red-flag
    check, clinician advice with the non-emergency line where the country is known."""
    if advice is Advice.CHECK_SYMPTOMS:
        text = "\n".join(
            [
                t.gettext("Thanks for telling me. New symptoms are worth a closer look."),
                t.gettext(
                    "A few quick yes/no questions help decide how soon to get them checked. "
                    "It takes about a minute."
                ),
            ]
        )
        return text, InlineKeyboardMarkup([[start_check_button(t)]])
    if advice is Advice.SEE_CLINICIAN:
        lines = [
            t.gettext("Thanks for telling me."),
            (
                t.gettext(
                    "Pain that is getting worse is worth having looked at. Please book an "
                    "appointment with your GP or a physiotherapist: they can examine you and "
                    "adjust what you do. Until then, keep moving gently and leave out any "
                    "stretch that makes the pain worse."
                )
                if answer is PainAnswer.WORSE
                else t.gettext(
                    "After six weeks without improvement, it's worth having it looked at. Please "
                    "book an appointment with your GP or a physiotherapist: they can examine you "
                    "and adjust what you do."
                )
            ),
        ]
        helpline = _helpline_line(t, emergency)
        if helpline:
            lines.append(helpline)
        lines.append(
            t.gettext("Anything new or alarming, such as numbness or weakness? Check it now:")
        )
        return "\n".join(lines), InlineKeyboardMarkup([[start_check_button(t)]])
    if answer is PainAnswer.BETTER:
        text = t.gettext(
            "Good to hear! Keep moving at a pace that feels right; small, regular sessions "
            "tend to help most. I'll ask again in two weeks."
        )
    else:
        text = t.gettext(
            "Thanks. Changes often take a few weeks, so keep going gently and stay active in "
            "your day. I'll ask again in two weeks."
        )
    return text, None


def render_checkin_history(t: Translator, history: Sequence[tuple[date, PainAnswer]]) -> str:
    """A short block of the answers so far, newest first (for /progress and /mydata)."""
    if not history:
        return t.gettext("<b>Pain check-ins</b>: none yet.")
    lines = [t.gettext("<b>Pain check-ins</b> (compared with when you started):")]
    for on, answer in sorted(history, reverse=True):
        when = format_date(on, format="medium", locale=t.locale)
        lines.append(f"• {escape(when)}: {escape(t.gettext(ANSWER_WORDS[answer]))}")
    return "\n".join(lines)


def describe_checkins(t: Translator, on: bool) -> str:
    """The settings line."""
    state = t.gettext("on") if on else t.gettext("off")
    return t.gettext("Pain check-in every two weeks: <b>{state}</b>").format(state=state)


def checkins_toggle_button(t: Translator, on: bool) -> InlineKeyboardButton:
    label = t.gettext("🩺 Check-ins: switch off") if on else t.gettext("🩺 Check-ins: switch on")
    # The state the button sets, not "the other one": an old message's button still means it.
    return InlineKeyboardButton(
        label, callback_data=encode(Action.CHECKIN_TOGGLE, "0" if on else "1")
    )
