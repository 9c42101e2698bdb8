"""The stretch safety questions: their wording, the /settings screen for them, their buttons."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Movement, Stretch
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers, forbidden_movements
from bot.render.callbacks import Action, Callback, encode


@dataclass(frozen=True)
class Wording:
    question: str
    why: str
    short: str  # on the settings screen and in /mydata


QUESTIONS: dict[Precaution, Wording] = {
    Precaution.HIP_REPLACEMENT: Wording(
        "Have you had a hip replacement, on either side?",
        "a new hip can slip out of its socket when it bends far, crosses the other leg or "
        "turns inward, so I'd leave out stretches that do that. Your surgeon's advice comes first.",
        "Hip replacement",
    ),
    Precaution.PREGNANCY: Wording(
        "Are you pregnant and past the first 12 weeks?",
        "later in pregnancy, lying flat on your back for long can make you feel faint, and "
        "lying on your front presses on the bump, so I'd leave out stretches done that way.",
        "Pregnant, past 12 weeks",
    ),
    Precaution.OSTEOPOROSIS: Wording(
        "Have you been told you have osteoporosis (thin, fragile bones)?",
        "with fragile bones, rounding the spine forward under load or twisting it as far as it "
        "goes can break a bone in the spine, so I'd leave out stretches that do that.",
        "Osteoporosis",
    ),
}

ANSWER_WORDS = {
    Answer.NOT_ASKED: "Not answered yet",
    Answer.NO: "No",
    Answer.YES: "Yes",
    Answer.SKIPPED: "Skipped",
}

# What a ruled-out movement means, in words a user knows ("stretches that involve ...").
MOVEMENT_WORDS: dict[Movement, str] = {
    Movement.HIP_FLEXION_PAST_90: "bending the hip past a right angle",
    Movement.HIP_CROSSING_MIDLINE: "crossing a leg over the middle of the body",
    Movement.HIP_INTERNAL_ROTATION: "turning the hip inward",
    Movement.LYING_ON_BACK: "lying on your back",
    Movement.LYING_ON_FRONT: "lying on your front",
    Movement.LOADED_FORWARD_BEND: "rounding the spine forward under load",
    Movement.END_RANGE_TWIST: "twisting the spine as far as it goes",
}

FIRST_RUN_INTRO = (
    "🛡 <b>Before I pick your stretch: {total} quick safety questions.</b>\n"
    "Your answers only decide which stretches I leave out, and you can change them any time "
    "in /settings. Not sure, or rather not say? Tap <b>Skip</b> and I'll leave those "
    "stretches out to be safe."
)
CAUTIOUS_NOTE = "A skipped or unanswered question counts as a yes, to be safe."
ANSWER_SAVED = "Saved ✅"


class Origin(StrEnum):
    """Where an answer button was shown: before a first stretch, or in /settings."""

    FIRST_RUN = "f"
    SETTINGS = "s"


ANSWER_CODES = {Answer.YES: "y", Answer.NO: "n", Answer.SKIPPED: "s"}
ANSWERS_BY_CODE = {code: answer for answer, code in ANSWER_CODES.items()}
ANSWER_LABELS = {Answer.YES: "Yes", Answer.NO: "No", Answer.SKIPPED: "Skip"}
PRECAUTIONS_BY_CODE = {precaution.value: precaution for precaution in Precaution}
ORIGINS_BY_CODE = {origin.value: origin for origin in Origin}


@dataclass(frozen=True)
class AnswerPress:
    precaution: Precaution
    answer: Answer
    origin: Origin


def parse_answer(callback: Callback) -> AnswerPress | None:
    """An answer button's press, or None when its data is not exactly one we make."""
    if callback.action is not Action.SAFETY_ANSWER or len(callback.args) != 3:
        return None
    precaution, answer, origin = (
        PRECAUTIONS_BY_CODE.get(callback.args[0]),
        ANSWERS_BY_CODE.get(callback.args[1]),
        ORIGINS_BY_CODE.get(callback.args[2]),
    )
    if precaution is None or answer is None or origin is None:
        return None
    return AnswerPress(precaution, answer, origin)


def parse_question(callback: Callback) -> Precaution | None:
    """The question a settings button opens, or None when its data is not one we make."""
    if callback.action is not Action.SAFETY_QUESTION or len(callback.args) != 1:
        return None
    return PRECAUTIONS_BY_CODE.get(callback.args[0])


def describe_movements(movements: frozenset[Movement]) -> str:
    """'bending the hip past a right angle, turning the hip inward or lying on your back'."""
    words = [MOVEMENT_WORDS[m] for m in MOVEMENT_WORDS if m in movements]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _left_out(answers: PrecautionAnswers) -> str:
    forbidden = forbidden_movements(answers)
    if not forbidden:
        return "Nothing is left out."
    return f"Left out: stretches that involve {escape(describe_movements(forbidden))}."


def render_question(
    precaution: Precaution, answers: PrecautionAnswers, origin: Origin
) -> tuple[str, InlineKeyboardMarkup]:
    wording = QUESTIONS[precaution]
    number, total = list(Precaution).index(precaution) + 1, len(Precaution)
    question = (
        f"<b>{number} of {total}: {escape(wording.question)}</b>\n"
        f"<i>Why I ask: {escape(wording.why)}</i>"
    )
    answers_row = [
        InlineKeyboardButton(
            ANSWER_LABELS[answer],
            callback_data=encode(
                Action.SAFETY_ANSWER, precaution.value, ANSWER_CODES[answer], origin.value
            ),
        )
        for answer in ANSWER_LABELS
    ]
    if origin is Origin.FIRST_RUN:
        text = f"{FIRST_RUN_INTRO.format(total=total)}\n\n{question}"
        return text, InlineKeyboardMarkup([answers_row])
    now = ANSWER_WORDS[answers.answer(precaution)]
    back = InlineKeyboardButton("⬅️ Back", callback_data=encode(Action.SAFETY_MENU))
    return (
        f"🛡 <b>Stretch safety</b>\n\n{question}\n\nYour answer now: <b>{now}</b>",
        InlineKeyboardMarkup([answers_row, [back]]),
    )


def render_first_run_done(answers: PrecautionAnswers) -> str:
    forbidden = forbidden_movements(answers)
    if not forbidden:
        return (
            "✅ Thanks! Nothing you told me rules out a stretch. "
            "Change your answers any time in /settings."
        )
    return (
        f"✅ Thanks! I'll leave out stretches that involve "
        f"{escape(describe_movements(forbidden))}. Change your answers any time in /settings."
    )


def render_safety_screen(answers: PrecautionAnswers) -> tuple[str, InlineKeyboardMarkup]:
    lines = ["🛡 <b>Stretch safety</b>", "Your answers decide which stretches I leave out."]
    lines += [
        f"• {escape(wording.short)}: <b>{ANSWER_WORDS[answers.answer(precaution)]}</b>"
        for precaution, wording in QUESTIONS.items()
    ]
    lines += [_left_out(answers), CAUTIOUS_NOTE, "Tap a question to change your answer."]
    rows = [
        [
            InlineKeyboardButton(
                f"{wording.short}: {ANSWER_WORDS[answers.answer(precaution)]}",
                callback_data=encode(Action.SAFETY_QUESTION, precaution.value),
            )
        ]
        for precaution, wording in QUESTIONS.items()
    ]
    rows.append([InlineKeyboardButton("⬅️ Back to settings", callback_data=encode(Action.SETTINGS))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def answers_by_question(answers: PrecautionAnswers) -> dict[str, str]:
    """Every answer in words, by question: {'Hip replacement': 'no', ...}."""
    return {
        wording.short: ANSWER_WORDS[answers.answer(precaution)].lower()
        for precaution, wording in QUESTIONS.items()
    }


def describe_answers(answers: PrecautionAnswers) -> str:
    """Every answer in one line, for /mydata: 'Hip replacement: no; ...'."""
    return "; ".join(
        f"{question}: {word}" for question, word in answers_by_question(answers).items()
    )


def summarize_answers(answers: PrecautionAnswers) -> str:
    """The settings screen's short line: only what leaves stretches out."""
    if answers == PrecautionAnswers():
        return "not answered yet"
    applying = [
        f"{wording.short} ({ANSWER_WORDS[answers.answer(precaution)].lower()})"
        for precaution, wording in QUESTIONS.items()
        if answers.answer(precaution) is not Answer.NO
    ]
    return ", ".join(applying) if applying else "nothing left out"


def render_variant_withheld(stretch: Stretch, *, easier: bool, answers: PrecautionAnswers) -> str:
    """Why the easier or harder way of a stretch is not shown to this user."""
    label = "Easier" if easier else "Harder"
    blocked = stretch.variant_movements(easier=easier) & forbidden_movements(answers)
    reason = (
        "which your stretch safety answers rule out (see /settings)"
        if answers.complete
        else "which I leave out until you've answered the stretch safety questions: send /stretch"
    )
    return (
        f"<b>{label}: {escape(stretch.name)}</b>\n"
        f"I'll leave this version out: it involves {escape(describe_movements(blocked))}, "
        f"{reason}. Tap 🔄 Another for a different stretch."
    )
