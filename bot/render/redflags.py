"""Message texts for /redflags (Telegram HTML). Pure: no Telegram objects, keyboards live elsewhere.

Content texts were checked at load to hold only <b>/<i> and no bare < > &, so they go in as
they are; everything else (labels, country names, numbers) is escaped here.
"""

from __future__ import annotations

from html import escape
from typing import Final

from bot.catalog.redflags import Checklist, Item, Question, Tier
from bot.domain.emergency_numbers import COMMON_NUMBERS, EmergencyNumber
from bot.domain.redflags import Outcome, Tick

MAX_MESSAGE_CHARS: Final = 4096
_NAMED_UNSURE: Final = 3
_TIER_ICON: Final = {Tier.EMERGENCY: "🚨", Tier.URGENT: "⚠️", Tier.SOON: "🩺", Tier.NONE: "✅"}


def _esc(text: str) -> str:
    # quote=False: text nodes need no quote escaping, and Telegram knows only a few entities.
    return escape(text, quote=False)


def emergency_line(emergency: EmergencyNumber | None, *, now: bool) -> str:
    """The number to call, or the common numbers when the country is unknown."""
    if emergency is None:
        numbers = ", ".join(f"<b>{_esc(num)}</b> ({_esc(where)})" for num, where in COMMON_NUMBERS)
        lead = "Call your local emergency number now" if now else "In an emergency, call"
        return f"📞 {lead}: {numbers}."
    also = ""
    if emergency.also:
        also = f" ({_esc(' or '.join(emergency.also))} also works)"
    number = f"<b>{_esc(emergency.number)}</b>"
    where = _esc(emergency.name)
    if now:
        return f"📞 Call {number} now, the emergency number in {where}{also}."
    return f"📞 In an emergency in {where}, call {number}{also}."


def render_intro(checklist: Checklist, emergency: EmergencyNumber | None) -> str:
    """Shown before the first question."""
    safety = "If you feel very unwell right now, don't wait for the questions."
    return f"{checklist.intro}\n\n{safety}\n{emergency_line(emergency, now=False)}"


def render_question(question: Question, number: int, total: int) -> str:
    """One question with its "question 3 of 28" hint and the reason we ask it."""
    return (
        f"<i>Question {number} of {total}</i>\n\n"
        f"{question.text}\n\n"
        f"<i>Why we ask:</i> {question.why}"
    )


def _tick_line(tick: Tick) -> str:
    mark = " <i>(not sure)</i>" if tick.unsure else ""
    return f"• {_esc(tick.item.label)}{mark}"


def _summary(outcome: Outcome, checklist: Checklist, limit: int | None) -> list[str]:
    """The ticked items as a list a clinician can read; ``limit`` trims it to fit a message."""
    if not outcome.ticked:
        return []
    lines = [checklist.summary_title]
    if outcome.about:
        lines.append("About me: " + _esc("; ".join(str(o.summary) for o in outcome.about)))
    shown = outcome.ticked if limit is None else outcome.ticked[:limit]
    lines.extend(_tick_line(tick) for tick in shown)
    if len(shown) < len(outcome.ticked):
        lines.append(f"• …and {len(outcome.ticked) - len(shown)} more")
    return lines


def _unsure_note(checklist: Checklist, unsure: tuple[Item, ...]) -> str | None:
    """Why "not sure" raised the advice; names up to three items, the summary marks the rest."""
    if not unsure:
        return None
    if len(unsure) > _NAMED_UNSURE:
        names = f"{len(unsure)} questions (marked <i>not sure</i> below)"
    else:
        names = "; ".join(f"<i>{_esc(item.label)}</i>" for item in unsure)
    return checklist.unsure_note.replace("{items}", names)


def _outcome_blocks(
    checklist: Checklist, outcome: Outcome, emergency: EmergencyNumber | None, limit: int | None
) -> list[str]:
    text = checklist.outcomes[outcome.tier]
    blocks = [f"{_TIER_ICON[outcome.tier]} <b>{_esc(text.title)}</b>\n{text.text}"]
    blocks.append(emergency_line(emergency, now=outcome.tier is Tier.EMERGENCY))
    for extra_id in outcome.extras:
        extra = checklist.extras[extra_id]
        blocks.append(f"<b>{_esc(extra.title)}</b>\n{extra.text}")
    note = _unsure_note(checklist, outcome.unsure)
    if note:
        blocks.append(note)
    summary = _summary(outcome, checklist, limit)
    if summary:
        blocks.append("\n".join(summary))
    blocks.append(checklist.safety_net)
    return blocks


def render_outcome(
    checklist: Checklist, outcome: Outcome, emergency: EmergencyNumber | None
) -> str:
    """The advice, the number to call, extra steps, the summary and the safety net."""
    limit: int | None = None
    while True:
        text = "\n\n".join(_outcome_blocks(checklist, outcome, emergency, limit))
        if len(text) <= MAX_MESSAGE_CHARS:
            return text
        # Too long for one message: keep the advice whole and shorten the summary list.
        limit = len(outcome.ticked) - 1 if limit is None else limit - 1
        if limit < 0:
            raise ValueError(f"red-flag outcome is {len(text)} characters even without a summary")
