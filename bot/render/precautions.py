"""The stretch safety questions: their wording, the /settings screen for them, their buttons."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from html import escape

from babel.lists import format_list
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Movement, Stretch
from bot.domain.onboarding import VISIBLE_STEPS, Step, step_number
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers, forbidden_movements
from bot.render.callbacks import Action, Callback, encode
from bot.render.i18n import ENGLISH, N_, Translator


@dataclass(frozen=True)
class Wording:
    question: str
    why: str
    short: str  # on the settings screen and in /mydata


QUESTIONS: dict[Precaution, Wording] = {
    Precaution.HIP_REPLACEMENT: Wording(
        N_("Have you had a hip replacement, on either side?"),
        N_(
            "a new hip can slip out of its socket when it bends far, crosses the other leg or "
            "turns inward, so I'd leave out stretches that do that. Your surgeon's advice "
            "comes first."
        ),
        N_("Hip replacement"),
    ),
    Precaution.PREGNANCY: Wording(
        N_("Are you pregnant and past the first 12 weeks?"),
        N_(
            "later in pregnancy, lying flat on your back for long can make you feel faint, and "
            "lying on your front presses on the bump, so I'd leave out stretches done that way."
        ),
        N_("Pregnant, past 12 weeks"),
    ),
    Precaution.OSTEOPOROSIS: Wording(
        N_("Have you been told you have osteoporosis (thin, fragile bones)?"),
        N_(
            "with fragile bones, rounding the spine forward under load or twisting it as far as "
            "it goes can break a bone in the spine, so I'd leave out stretches that do that."
        ),
        N_("Osteoporosis"),
    ),
}

ANSWER_WORDS = {
    Answer.NOT_ASKED: N_("Not answered yet"),
    Answer.NO: N_("No"),
    Answer.YES: N_("Yes"),
    Answer.SKIPPED: N_("Skipped"),
}

# What a ruled-out movement means, in words a user knows ("stretches that involve ...").
MOVEMENT_WORDS: dict[Movement, str] = {
    Movement.HIP_FLEXION_PAST_90: N_("bending the hip past a right angle"),
    Movement.HIP_CROSSING_MIDLINE: N_("crossing a leg over the middle of the body"),
    Movement.HIP_INTERNAL_ROTATION: N_("turning the hip inward"),
    Movement.LYING_ON_BACK: N_("lying on your back"),
    Movement.LYING_ON_FRONT: N_("lying on your front"),
    Movement.LOADED_FORWARD_BEND: N_("rounding the spine forward under load"),
    Movement.END_RANGE_TWIST: N_("twisting the spine as far as it goes"),
}

ANSWER_SAVED = N_("Saved ✅")


class Origin(StrEnum):
    """Where an answer button was shown: before a first stretch, before a first guided
    session, in /settings, or in a new user's onboarding."""

    FIRST_RUN = "f"
    SESSION = "g"
    SETTINGS = "s"
    ONBOARDING = "o"


ANSWER_CODES = {Answer.YES: "y", Answer.NO: "n", Answer.SKIPPED: "s"}
ANSWERS_BY_CODE = {code: answer for answer, code in ANSWER_CODES.items()}
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


def describe_movements(t: Translator, movements: frozenset[Movement]) -> str:
    """'bending the hip past a right angle, turning the hip inward or lying on your back'."""
    words = [t.gettext(MOVEMENT_WORDS[m]) for m in MOVEMENT_WORDS if m in movements]
    return format_list(words, style="or", locale=t.locale)


def _left_out(t: Translator, answers: PrecautionAnswers) -> str:
    forbidden = forbidden_movements(answers)
    if not forbidden:
        return t.gettext("Nothing is left out.")
    return t.gettext("Left out: stretches that involve {movements}.").format(
        movements=escape(describe_movements(t, forbidden))
    )


def _answer_word(t: Translator, answers: PrecautionAnswers, precaution: Precaution) -> str:
    return t.gettext(ANSWER_WORDS[answers.answer(precaution)])


def render_question(
    t: Translator, precaution: Precaution, answers: PrecautionAnswers, origin: Origin
) -> tuple[str, InlineKeyboardMarkup]:
    wording = QUESTIONS[precaution]
    number, total = list(Precaution).index(precaution) + 1, len(Precaution)
    question = (
        t.gettext("<b>{number} of {total}: {question}</b>").format(
            number=number, total=total, question=escape(t.gettext(wording.question))
        )
        + "\n"
        + t.gettext("<i>Why I ask: {why}</i>").format(why=escape(t.gettext(wording.why)))
    )
    labels = {
        Answer.YES: t.gettext("Yes"),
        Answer.NO: t.gettext("No"),
        Answer.SKIPPED: t.gettext("Skip"),
    }
    answers_row = [
        InlineKeyboardButton(
            label,
            callback_data=encode(
                Action.SAFETY_ANSWER, precaution.value, ANSWER_CODES[answer], origin.value
            ),
        )
        for answer, label in labels.items()
    ]
    if origin in (Origin.FIRST_RUN, Origin.SESSION):
        before = (
            t.gettext(
                "🛡 <b>Before I put your session together: {total} quick safety questions.</b>"
            )
            if origin is Origin.SESSION
            else t.gettext("🛡 <b>Before I pick your stretch: {total} quick safety questions.</b>")
        )
        intro = (
            before.format(total=total)
            + "\n"
            + t.gettext(
                "Your answers only decide which stretches I leave out, and you can change them any "
                "time in /settings. Not sure, or rather not say? Tap <b>Skip</b> and I'll leave "
                "those stretches out to be safe."
            )
        )
        return f"{intro}\n\n{question}", InlineKeyboardMarkup([answers_row])
    if origin is Origin.ONBOARDING:
        step = t.gettext("<i>Step {n} of {total}</i>").format(
            n=step_number(Step.SAFETY), total=VISIBLE_STEPS
        )
        intro = (
            step
            + "\n"
            + t.gettext(
                "🛡 <b>Safety first.</b> Your answers only decide which stretches I leave out; "
                "<b>Skip</b> leaves them out to be safe."
            )
        )
        return f"{intro}\n\n{question}", InlineKeyboardMarkup([answers_row])
    back = InlineKeyboardButton(t.gettext("⬅️ Back"), callback_data=encode(Action.SAFETY_MENU))
    now = t.gettext("Your answer now: <b>{answer}</b>").format(
        answer=_answer_word(t, answers, precaution)
    )
    return (
        t.gettext("🛡 <b>Stretch safety</b>") + f"\n\n{question}\n\n{now}",
        InlineKeyboardMarkup([answers_row, [back]]),
    )


def render_first_run_done(t: Translator, answers: PrecautionAnswers) -> str:
    forbidden = forbidden_movements(answers)
    if not forbidden:
        return t.gettext(
            "✅ Thanks! Nothing you told me rules out a stretch. "
            "Change your answers any time in /settings."
        )
    return t.gettext(
        "✅ Thanks! I'll leave out stretches that involve {movements}. "
        "Change your answers any time in /settings."
    ).format(movements=escape(describe_movements(t, forbidden)))


def render_safety_screen(
    t: Translator, answers: PrecautionAnswers
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        t.gettext("🛡 <b>Stretch safety</b>"),
        t.gettext("Your answers decide which stretches I leave out."),
    ]
    lines += [
        f"• {escape(t.gettext(wording.short))}: <b>{_answer_word(t, answers, precaution)}</b>"
        for precaution, wording in QUESTIONS.items()
    ]
    lines += [
        _left_out(t, answers),
        t.gettext("A skipped or unanswered question counts as a yes, to be safe."),
        t.gettext("Tap a question to change your answer."),
    ]
    rows = [
        [
            InlineKeyboardButton(
                f"{t.gettext(wording.short)}: {_answer_word(t, answers, precaution)}",
                callback_data=encode(Action.SAFETY_QUESTION, precaution.value),
            )
        ]
        for precaution, wording in QUESTIONS.items()
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t.gettext("⬅️ Back to settings"), callback_data=encode(Action.SETTINGS)
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def answers_by_question(t: Translator, answers: PrecautionAnswers) -> dict[str, str]:
    """Every answer in words, by question: {'Hip replacement': 'no', ...}."""
    return {
        t.gettext(wording.short): _answer_word(t, answers, precaution).lower()
        for precaution, wording in QUESTIONS.items()
    }


def describe_answers(t: Translator, answers: PrecautionAnswers) -> str:
    """Every answer in one line, for /mydata: 'Hip replacement: no; ...'."""
    return "; ".join(
        f"{question}: {word}" for question, word in answers_by_question(t, answers).items()
    )


def exported_answers(answers: PrecautionAnswers) -> dict[str, str]:
    """The answers as the JSON export carries them: English words, a stable data format."""
    return answers_by_question(ENGLISH, answers)


def summarize_answers(t: Translator, answers: PrecautionAnswers) -> str:
    """The settings screen's short line: only what leaves stretches out."""
    if answers == PrecautionAnswers():
        return t.gettext("not answered yet")
    applying = [
        f"{t.gettext(wording.short)} ({_answer_word(t, answers, precaution).lower()})"
        for precaution, wording in QUESTIONS.items()
        if answers.answer(precaution) is not Answer.NO
    ]
    return ", ".join(applying) if applying else t.gettext("nothing left out")


def render_variant_withheld(
    t: Translator, stretch: Stretch, *, easier: bool, answers: PrecautionAnswers
) -> str:
    """Why the easier or harder way of a stretch is not shown to this user."""
    blocked = stretch.variant_movements(easier=easier) & forbidden_movements(answers)
    title = (t.gettext("Easier: {name}") if easier else t.gettext("Harder: {name}")).format(
        name=escape(stretch.name)
    )
    movements = escape(describe_movements(t, blocked))
    reason = (
        t.gettext(
            "I'll leave this version out: it involves {movements}, which your stretch safety "
            "answers rule out (see /settings). Tap 🔄 Another for a different stretch."
        )
        if answers.complete
        else t.gettext(
            "I'll leave this version out: it involves {movements}, which I leave out until "
            "you've answered the stretch safety questions: send /stretch. Tap 🔄 Another for "
            "a different stretch."
        )
    )
    return f"<b>{title}</b>\n" + reason.format(movements=movements)
