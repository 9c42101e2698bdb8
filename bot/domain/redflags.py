"""The /redflags engine: which question comes next, progress, and the outcome. Pure functions.

Answers are an ordered mapping from question id to answer, oldest first: an item takes
``"yes"``, ``"no"`` or ``"unsure"``; a gate takes one of its option ids, which are ``"yes"``,
``"no"`` and, where the gate offers it, ``"unsure"``. So every question shows "Yes" / "No"
(/ "Not sure") buttons, and answering "no" throughout reaches the NONE outcome.

Rules:
- Gates come first, then EMERGENCY items, then URGENT, then SOON; questions whose ``only_if``
  gates were not chosen are skipped.
- The first EMERGENCY item answered yes (or unsure) ends the checklist at once.
- Otherwise the highest tier answered yes decides: EMERGENCY > URGENT > SOON > NONE.
- "unsure" counts as yes on every tier, and the outcome records it so the advice can say
  why. On EMERGENCY and URGENT items that is the safe choice. On SOON items a "yes" only
  means booking a routine appointment, so counting "unsure" costs little and keeps one simple
  rule the user can understand ("not sure" = we play it safe).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from bot.catalog.redflags import Checklist, Gate, Item, Option, Question, Tier, split_ref

Answer = str
YES: Final = "yes"
NO: Final = "no"
UNSURE: Final = "unsure"
ITEM_ANSWERS: Final = (YES, NO, UNSURE)


@dataclass(frozen=True)
class Tick:
    """An item counted as a yes: answered yes, or unsure and treated as yes to be safe."""

    item: Item
    answer: Literal["yes", "unsure"]

    @property
    def unsure(self) -> bool:
        return self.answer == UNSURE


@dataclass(frozen=True)
class Outcome:
    """The result: tier, the ticked items (for a summary a clinician can read) and extras."""

    tier: Tier
    ticked: tuple[Tick, ...]
    extras: tuple[str, ...]  # ids into ``checklist.extras`` (e.g. "ces", "hip_fracture")
    about: tuple[Option, ...]  # gate answers that carry a summary ("Age 50 or over")
    stopped_early: bool  # an EMERGENCY item ended the checklist before the end

    @property
    def unsure(self) -> tuple[Item, ...]:
        return tuple(tick.item for tick in self.ticked if tick.unsure)

    @property
    def any_flag(self) -> bool:
        """True while anything is ticked; stretch reminders pause until the user is checked."""
        return bool(self.ticked)


Step = Gate | Item | Outcome


def allowed_answers(question: Question) -> tuple[str, ...]:
    """What a button for this question may send."""
    if isinstance(question, Gate):
        return tuple(option.id for option in question.options)
    return ITEM_ANSWERS


def is_yes(given: Answer | None) -> bool:
    """Yes, or unsure treated as yes to be safe."""
    return given in (YES, UNSURE)


def _check_answers(checklist: Checklist, answers: Mapping[str, Answer]) -> None:
    """Stale state (old content, tampered buttons) fails loudly so the handler can restart."""
    for question_id, given in answers.items():
        question = checklist.question(question_id)
        if question is None:
            raise ValueError(f"unknown question {question_id!r}")
        if given not in allowed_answers(question):
            raise ValueError(f"{given!r} is not an answer to {question_id!r}")


def _applies(question: Question, chosen: Mapping[str, frozenset[str]]) -> bool:
    if not question.only_if:
        return True
    return any(option in chosen.get(gate, ()) for gate, option in map(split_ref, question.only_if))


def _path(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
    """The questions this user gets, ending at the first EMERGENCY yes.

    A gate not answered yet counts as every option chosen, so before the gates are done the
    length is an upper bound and the "of N" hint can only shrink, never grow.
    """
    chosen: dict[str, frozenset[str]] = {}
    path: list[Question] = []
    for question in checklist.ordered:
        if not _applies(question, chosen):
            continue
        path.append(question)
        given = answers.get(question.id)
        if isinstance(question, Gate):
            everything = frozenset(allowed_answers(question))
            chosen[question.id] = everything if given is None else frozenset({given})
        elif question.tier is Tier.EMERGENCY and is_yes(given):
            break
    return tuple(path)


def questions_on_path(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
    """Every question this user is (or will be) asked, given the answers so far."""
    _check_answers(checklist, answers)
    return _path(checklist, answers)


def next_step(checklist: Checklist, answers: Mapping[str, Answer]) -> Step:
    """The next question to ask, or the outcome when the checklist is over."""
    for question in questions_on_path(checklist, answers):
        if question.id not in answers:
            return question
    return outcome(checklist, answers)


def progress(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[int, int]:
    """``(number of the current question, questions on this path)`` for "question 3 of 28".

    When the checklist is over both numbers are the count of questions asked.
    """
    path = questions_on_path(checklist, answers)
    answered = sum(1 for question in path if question.id in answers)
    return min(answered + 1, len(path)), len(path)


def outcome(checklist: Checklist, answers: Mapping[str, Answer]) -> Outcome:
    """Judge the answers given so far; questions not on the path are ignored."""
    path = questions_on_path(checklist, answers)
    ticked = tuple(
        Tick(question, YES if answers[question.id] == YES else UNSURE)
        for question in path
        if isinstance(question, Item) and is_yes(answers.get(question.id))
    )
    tier = max((tick.item.tier for tick in ticked), key=lambda tier: tier.rank, default=Tier.NONE)
    extras = tuple(dict.fromkeys(tick.item.extra for tick in ticked if tick.item.extra))
    last = path[-1] if path else None
    stopped_early = (
        isinstance(last, Item) and last.tier is Tier.EMERGENCY and is_yes(answers.get(last.id))
    )
    return Outcome(tier, ticked, extras, _about(path, answers), stopped_early)


def _about(path: tuple[Question, ...], answers: Mapping[str, Answer]) -> tuple[Option, ...]:
    """Gate answers worth showing a clinician ("Age 50 or over", "Pregnant")."""
    chosen = (
        question.option(answers[question.id])
        for question in path
        if isinstance(question, Gate) and question.id in answers
    )
    return tuple(option for option in chosen if option is not None and option.summary)


def answer(answers: Mapping[str, Answer], question_id: str, value: Answer) -> dict[str, Answer]:
    """A new mapping with one more answer, last in order (re-answering moves it to the end)."""
    updated = {key: old for key, old in answers.items() if key != question_id}
    updated[question_id] = value
    return updated


def undo_last(answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """ "Back": drop the most recent answer, so ``next_step`` asks that question again."""
    kept = list(answers.items())[:-1]
    return dict(kept)
