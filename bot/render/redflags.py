"""Message texts for /redflags (Telegram HTML). Pure: no Telegram objects, keyboards live elsewhere.

Content texts (questions, outcomes) come from the checklist in the user's language and were
checked at load to hold only <b>/<i> and no bare < > &, so they go in as they are; the words
around them come from the translation catalogue; everything else (labels, country names,
numbers) is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from babel.lists import format_list

from bot.catalog.redflags import Checklist, Item, Tier
from bot.domain.emergency_numbers import COMMON_NUMBERS, EmergencyNumber
from bot.domain.redflags import CheckRecorded, Outcome, Question, Tick
from bot.domain.symptom_text import Concern
from bot.render.i18n import N_, Translator

MAX_MESSAGE_CHARS: Final = 4096
_NAMED_UNSURE: Final = 3
_TIER_ICON: Final = {Tier.EMERGENCY: "🚨", Tier.URGENT: "⚠️", Tier.SOON: "🩺", Tier.NONE: "✅"}

EXPIRED = N_("This check has ended. Send /redflags to start a new one.")
STOPPED = N_("Check stopped. Nothing was saved. Send /redflags whenever you want to run it.")
NOTHING_TO_CANCEL = N_("There's nothing to cancel right now. Send /help to see what I can do.")
_USE_THE_BUTTONS = N_(
    "Please answer with the buttons under the question above. "
    "Send /cancel if you want to stop the check."
)
_RESUME_HOW = N_("When they have, send /stretch and tap <b>I've been checked, resume</b>.")
_HOLD_NOTE_REMINDERS = N_(
    "⏸ I've paused your daily stretch reminders until a clinician has checked you."
)
_HOLD_NOTE_STRETCHES = N_("⏸ I'll hold back stretches until a clinician has checked you.")
_SYMPTOM_REPLY = N_(
    "Sorry you're dealing with this. I can't judge symptoms from a message, but the red-flag "
    "check can: it asks about the warning signs that mean pain needs a doctor, and how soon. "
    "Send /redflags to start it. If you feel very unwell, don't wait: contact a doctor now."
)
_EMERGENCY_WORDS_LINE = N_(
    "🚨 Numbness between the legs, new trouble peeing or controlling your bladder or bowels, "
    "new weakness in both legs, chest pain, fainting, or a fall you can't get up from mean "
    "<b>emergency help now</b>: call the emergency number or go to an emergency department. "
    "Don't wait for an appointment."
)
_EMERGENCY_WORDS_NEXT = N_(
    "If none of that fits, send /redflags: the check tells you how soon to get care."
)
_DATA_DELETED_NOTE = N_(
    "🗑 You deleted your data with /forget, so nothing from this check was saved. "
    "Send /start if you want to use Limber again."
)
# Where the common numbers work, as COMMON_NUMBERS names it.
_COMMON_WHERE = {
    "EU": N_("EU"),
    "US and Canada": N_("US and Canada"),
    "UK": N_("UK"),
    "Australia": N_("Australia"),
    "New Zealand": N_("New Zealand"),
}


def _esc(text: str) -> str:
    # quote=False: text nodes need no quote escaping, and Telegram knows only a few entities.
    return escape(text, quote=False)


def _where(t: Translator, emergency: EmergencyNumber) -> str:
    """The country's name: ours in English ("the UK"), Babel's in other languages."""
    if t.language == "en":
        return emergency.name
    return str(t.locale.territories.get(emergency.country, emergency.name))


def _also(t: Translator, emergency: EmergencyNumber) -> str:
    if not emergency.also:
        return ""
    numbers = format_list(list(emergency.also), style="or", locale=t.locale)
    return " " + t.gettext("({numbers} also works)").format(numbers=_esc(numbers))


def _common_numbers(t: Translator) -> str:
    return ", ".join(
        f"<b>{_esc(number)}</b> ({_esc(t.gettext(_COMMON_WHERE.get(where, where)))})"
        for number, where in COMMON_NUMBERS
    )


def emergency_call_line(t: Translator, emergency: EmergencyNumber | None) -> str:
    """The first line of an emergency outcome: the one number to call now."""
    if emergency is None:
        return t.gettext("📞 <b>Call your local emergency number now</b>: {numbers}.").format(
            numbers=_common_numbers(t)
        )
    return t.gettext("📞 <b>Call {number} now</b>: the emergency number in {where}{also}.").format(
        number=_esc(emergency.number), where=_esc(_where(t, emergency)), also=_also(t, emergency)
    )


def emergency_info_line(t: Translator, emergency: EmergencyNumber | None) -> str:
    """For reference, in every other text: the number to call if it ever comes to that."""
    if emergency is None:
        return t.gettext("📞 Emergency numbers: {numbers}.").format(numbers=_common_numbers(t))
    return t.gettext("📞 In an emergency in {where}, call <b>{number}</b>{also}.").format(
        where=_esc(_where(t, emergency)), number=_esc(emergency.number), also=_also(t, emergency)
    )


def same_day_line(t: Translator, emergency: EmergencyNumber | None) -> str:
    """Where to get checked today: the national helpline if the country has one."""
    helpline = emergency.helpline if emergency else None
    if helpline is None:
        return t.gettext("📞 Call your doctor's same-day service, or go to an urgent care centre.")
    return t.gettext("📞 Call <b>{number}</b> ({name}), or your doctor's same-day service.").format(
        number=_esc(helpline.number), name=_esc(helpline.name)
    )


def render_symptom_reply(
    t: Translator, concern: Concern, emergency: EmergencyNumber | None, *, in_check: bool
) -> str:
    """The answer to free text: the emergency line first where it fits, then the way on.

    Never a stretch: a message about pain is answered with the red-flag check (or, during
    the check, with a reminder to use its buttons).
    """
    lines = []
    if concern is Concern.EMERGENCY:
        lines.append(t.gettext(_EMERGENCY_WORDS_LINE) + "\n" + emergency_info_line(t, emergency))
    if in_check:
        lines.append(t.gettext(_USE_THE_BUTTONS))
    elif concern is Concern.EMERGENCY:
        lines.append(t.gettext(_EMERGENCY_WORDS_NEXT))
    else:
        lines.append(t.gettext(_SYMPTOM_REPLY))
    return "\n\n".join(lines)


def render_intro(
    t: Translator, checklist: Checklist, emergency: EmergencyNumber | None, questions: int
) -> str:
    """Shown before the first question; ``questions`` is the length of the common path."""
    intro = checklist.intro.replace("{questions}", str(questions))
    safety = t.gettext("If you feel very unwell right now, don't wait for the questions.")
    return f"{intro}\n\n{safety}\n{emergency_info_line(t, emergency)}"


def render_question(t: Translator, question: Question, number: int, total: int) -> str:
    """One question with its "Question 3 of 21" hint and the reason we ask it."""
    return (
        "<i>"
        + t.gettext("Question {number} of {total}").format(number=number, total=total)
        + f"</i>\n\n{question.text}\n\n<i>"
        + t.gettext("Why we ask:")
        + f"</i> {question.why}"
    )


def _tick_line(t: Translator, tick: Tick) -> str:
    mark = " <i>" + t.gettext("(not sure)") + "</i>" if tick.unsure else ""
    return f"• {_esc(tick.item.label)}{mark}"


def _summary(t: Translator, outcome: Outcome, checklist: Checklist, limit: int | None) -> list[str]:
    """The ticked items as a list a clinician can read; ``limit`` trims it to fit a message."""
    if not outcome.ticked:
        return []
    lines = [checklist.summary_title]
    if outcome.about:
        about = _esc("; ".join(str(o.summary) for o in outcome.about))
        lines.append(t.gettext("About me: {facts}").format(facts=about))
    shown = outcome.ticked if limit is None else outcome.ticked[:limit]
    lines.extend(_tick_line(t, tick) for tick in shown)
    hidden = len(outcome.ticked) - len(shown)
    if hidden:
        lines.append(t.ngettext("• …and {n} more", "• …and {n} more", hidden).format(n=hidden))
    return lines


def _unsure_note(t: Translator, checklist: Checklist, unsure: tuple[Item, ...]) -> str | None:
    """Why "not sure" raised the advice; names up to three items, the summary marks the rest."""
    if not unsure:
        return None
    if len(unsure) > _NAMED_UNSURE:
        names = t.gettext("{n} questions (marked <i>not sure</i> below)").format(n=len(unsure))
    else:
        names = "; ".join(f"<i>{_esc(item.label)}</i>" for item in unsure)
    return checklist.unsure_note.replace("{items}", names)


def _alone_note(outcome: Outcome) -> str | None:
    """A weak sign ticked on its own says why it still matters."""
    if len(outcome.ticked) == 1:
        return outcome.ticked[0].item.alone
    return None


def _outcome_blocks(
    t: Translator,
    checklist: Checklist,
    outcome: Outcome,
    emergency: EmergencyNumber | None,
    notes: Sequence[str],
    limit: int | None,
) -> list[str | None]:
    tier = outcome.tier
    text = checklist.outcomes[tier]
    heading = f"{_TIER_ICON[tier]} <b>{_esc(text.title)}</b>\n{text.text}"
    extras = [checklist.extras[extra_id] for extra_id in outcome.extras]
    details = [
        *(f"<b>{_esc(extra.title)}</b>\n{extra.text}" for extra in extras),
        _alone_note(outcome),
        *notes,
        _unsure_note(t, checklist, outcome.unsure),
        "\n".join(_summary(t, outcome, checklist, limit)) or None,
    ]
    if tier is Tier.EMERGENCY:
        # The number leads; no reassurance in an emergency.
        return [emergency_call_line(t, emergency), heading, *details, checklist.ces_line]
    closing = [checklist.ces_line, emergency_info_line(t, emergency)]
    if tier is Tier.URGENT:
        return [heading, same_day_line(t, emergency), *details, *closing]
    reassurance = checklist.reassurance if tier is Tier.SOON else None  # NONE has its own
    return [heading, *details, *closing, reassurance]


def render_outcome(
    t: Translator,
    checklist: Checklist,
    outcome: Outcome,
    emergency: EmergencyNumber | None,
    notes: Sequence[str] = (),
) -> str:
    """The advice, the number to call, extra steps, notes, the summary and the safety net.

    ``notes`` are short HTML lines about the user's data (reminders paused, data deleted).
    """
    limit: int | None = None
    while True:
        blocks = _outcome_blocks(t, checklist, outcome, emergency, notes, limit)
        text = "\n\n".join(block for block in [*blocks, checklist.safety_net] if block)
        if len(text) <= MAX_MESSAGE_CHARS:
            return text
        # Too long for one message: keep the advice whole and shorten the summary list.
        limit = len(outcome.ticked) - 1 if limit is None else limit - 1
        if limit < 0:
            raise ValueError(f"red-flag outcome is {len(text)} characters even without a summary")


def render_timed_out(t: Translator, idle_seconds: float) -> str:
    minutes = round(idle_seconds / 60)
    return t.ngettext(
        "I closed the red-flag check after {minutes} minute without an answer. Nothing was "
        "saved. Send /redflags to start again.",
        "I closed the red-flag check after {minutes} minutes without an answer. Nothing was "
        "saved. Send /redflags to start again.",
        minutes,
    ).format(minutes=minutes)


def render_outcome_notes(
    t: Translator, outcome: Outcome, recorded: CheckRecorded | None
) -> list[str]:
    """What storing the outcome meant for the user: nothing saved (no account any more), or
    what the hold holds back; nothing about reminders they never set."""
    if recorded is None:
        return [t.gettext(_DATA_DELETED_NOTE)]
    if not outcome.places_hold or not recorded.on_hold:
        return []
    note = _HOLD_NOTE_REMINDERS if recorded.has_daily_reminder else _HOLD_NOTE_STRETCHES
    return [t.gettext(note) + " " + t.gettext(_RESUME_HOW)]
