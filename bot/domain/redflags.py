"""The /redflags engine: which question comes next, progress, and the outcome. Pure functions.

A check is a walk through ``checklist.questions`` in file order. Answers are an ordered
mapping from question id to answer, oldest first: an item takes ``"yes"``, ``"no"`` or
``"unsure"``; a gate takes one of its option ids.

Rules:
- A question is asked when all its conditions hold; an implied item is ticked, never asked,
  when its conditions hold.
- The first EMERGENCY tick ends the check at once.
- "Not sure" counts as yes. For items where doubt is common and harm is not immediate the
  content gives a lower ``unsure_tier``: a "Not sure" there means "get checked today", not
  "call an ambulance", and does not end the check.
- Once something URGENT is ticked, the SOON questions are skipped: "see a doctor in the
  coming weeks" cannot change "get checked today", and a shorter check is kinder.
- Otherwise the highest tier ticked decides: EMERGENCY > URGENT > SOON > NONE.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Final, Literal

from bot.catalog.redflags import Checklist, Gate, Item, Option, Tier

Answer = str
YES: Final = "yes"
NO: Final = "no"
UNSURE: Final = "unsure"  # the catalog's UNSURE_ID
ITEM_ANSWERS: Final = (YES, NO, UNSURE)
Question = Gate | Item


@dataclass(frozen=True)
class Tick:
    """An item counted as a yes: answered yes, or unsure and treated as yes to be safe."""

    item: Item
    answer: Literal["yes", "unsure"]

    @property
    def unsure(self) -> bool:
        return self.answer == UNSURE

    @property
    def tier(self) -> Tier:
        """The advice this tick calls for: a "Not sure" may call for less than a "Yes"."""
        if self.unsure and self.item.unsure_tier is not None:
            return self.item.unsure_tier
        return self.item.tier

    @property
    def full(self) -> bool:
        """Whether the tick carries the item's own tier (and so its condition-specific steps)."""
        return self.tier is self.item.tier


@dataclass(frozen=True)
class Outcome:
    """The result: tier, the ticked items (for a summary a clinician can read) and extras."""

    tier: Tier
    ticked: tuple[Tick, ...]
    extras: tuple[str, ...]  # ids into ``checklist.extras`` (e.g. "ces", "hip_fracture")
    about: tuple[Option, ...]  # gate answers that carry a summary ("Age 50 to 64")
    stopped_early: bool  # an EMERGENCY tick ended the check before the end

    @property
    def unsure(self) -> tuple[Item, ...]:
        return tuple(tick.item for tick in self.ticked if tick.unsure)

    @property
    def places_hold(self) -> bool:
        """Care is advised today or now: stretches and reminders wait until the user has been
        checked (the safety hold)."""
        return self.tier in HOLD_TIERS


@dataclass(frozen=True)
class CheckRecorded:
    """What storing a finished check did for the user."""

    stored: bool  # False: this check's outcome was stored before (a replayed final answer)
    on_hold: bool  # stretches and reminders wait for the user to say they were checked
    has_daily_reminder: bool


Step = Gate | Item | Outcome
HOLD_TIERS = frozenset({Tier.EMERGENCY, Tier.URGENT})


@dataclass(frozen=True)
class Walk:
    """Where a check stands: the answers along its path, what is ticked, and what comes next.

    ``position`` indexes ``checklist.questions``: the question to ask now, or the end.
    """

    position: int
    given: Mapping[str, Answer] = field(default_factory=dict)  # implied items included
    asked: tuple[str, ...] = ()  # ids of the questions answered, in order
    ticks: tuple[Tick, ...] = ()
    stopped: bool = False

    def current(self, checklist: Checklist) -> Question | None:
        if self.stopped or self.position >= len(checklist.questions):
            return None
        return checklist.questions[self.position]

    @property
    def urgent(self) -> bool:
        return any(tick.tier.rank >= Tier.URGENT.rank for tick in self.ticks)


def allowed_answers(question: Question) -> tuple[str, ...]:
    """What a button for this question may send."""
    if isinstance(question, Gate):
        return tuple(option.id for option in question.options)
    return ITEM_ANSWERS


def _applies(question: Question, walk: Walk) -> bool:
    if not all(c.holds(walk.given.get(c.question)) for c in question.conditions):
        return False
    # Routine questions cannot change "get checked today".
    return not (isinstance(question, Item) and question.tier is Tier.SOON and walk.urgent)


def _implied_answer(item: Item, walk: Walk) -> Literal["yes", "unsure"]:
    """Implied by a "Not sure" somewhere in its conditions: unsure, else yes."""
    sources = (walk.given.get(c.question) for c in item.conditions if not c.negated)
    return UNSURE if UNSURE in sources else YES


def _tick(walk: Walk, item: Item, value: Literal["yes", "unsure"]) -> Walk:
    tick = Tick(item, value)
    return replace(walk, ticks=(*walk.ticks, tick), stopped=tick.tier is Tier.EMERGENCY)


def _advance(checklist: Checklist, walk: Walk) -> Walk:
    """Move to the next question to ask from ``walk.position`` on, ticking implied items."""
    position = walk.position
    while not walk.stopped and position < len(checklist.questions):
        question = checklist.questions[position]
        if _applies(question, walk):
            if not (isinstance(question, Item) and question.implied):
                break
            value = _implied_answer(question, walk)
            walk = _tick(replace(walk, given={**walk.given, question.id: value}), question, value)
        position += 1
    return replace(walk, position=position)


def start(checklist: Checklist) -> Walk:
    return _advance(checklist, Walk(0))


def give(checklist: Checklist, walk: Walk, value: Answer) -> Walk:
    """Answer the current question and move on; a value it does not take raises ValueError."""
    question = walk.current(checklist)
    if question is None:
        raise ValueError("the check is over: there is no question to answer")
    if value not in allowed_answers(question):
        raise ValueError(f"{value!r} is not an answer to {question.id!r}")
    walk = replace(walk, given={**walk.given, question.id: value}, asked=(*walk.asked, question.id))
    if isinstance(question, Item) and value != NO:
        walk = _tick(walk, question, YES if value == YES else UNSURE)
    return _advance(checklist, replace(walk, position=walk.position + 1))


def _check_answers(checklist: Checklist, answers: Mapping[str, Answer]) -> None:
    """Stale state (old content, tampered buttons) fails loudly so the handler can restart."""
    for question_id, value in answers.items():
        question = checklist.question(question_id)
        if question is None or (isinstance(question, Item) and question.implied):
            raise ValueError(f"{question_id!r} is not a question that is asked")
        if value not in allowed_answers(question):
            raise ValueError(f"{value!r} is not an answer to {question_id!r}")


def replay(checklist: Checklist, answers: Mapping[str, Answer]) -> Walk:
    """The walk these answers make; answers to questions off the path are ignored."""
    _check_answers(checklist, answers)
    walk = start(checklist)
    while (question := walk.current(checklist)) is not None and question.id in answers:
        walk = give(checklist, walk, answers[question.id])
    return walk


def outcome_of(checklist: Checklist, walk: Walk) -> Outcome:
    tier = max((tick.tier for tick in walk.ticks), key=lambda tier: tier.rank, default=Tier.NONE)
    extras = (tick.item.extra for tick in walk.ticks if tick.item.extra and tick.full)
    about = (
        question.option(walk.given[question_id])
        for question_id in walk.asked
        if isinstance(question := checklist.question(question_id), Gate)
    )
    return Outcome(
        tier,
        walk.ticks,
        tuple(dict.fromkeys(extra for extra in extras if extra is not None)),
        tuple(option for option in about if option is not None and option.summary),
        walk.stopped,
    )


def next_step(checklist: Checklist, answers: Mapping[str, Answer]) -> Step:
    """The next question to ask, or the outcome when the check is over."""
    walk = replay(checklist, answers)
    question = walk.current(checklist)
    return question if question is not None else outcome_of(checklist, walk)


def outcome(checklist: Checklist, answers: Mapping[str, Answer]) -> Outcome:
    """Judge the answers given so far; questions not on the path are ignored."""
    return outcome_of(checklist, replay(checklist, answers))


def progress(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[int, int]:
    """``(number of the current question, questions on this path)`` for "Question 3 of 21".

    The total counts what is certain: the questions left if every remaining item is answered
    No and every remaining gate takes the answer that asks fewest without ticking anything.
    So it grows when an answer opens a topic, and shrinks only when a Yes ends the check or
    makes the routine questions unnecessary. When the check is over both numbers are the
    count of questions asked.
    """
    walk = replay(checklist, answers)
    total = projected_length(checklist, walk)
    if walk.current(checklist) is None:
        return total, total
    return len(walk.asked) + 1, total


def projected_length(checklist: Checklist, walk: Walk) -> int:
    """The fewest questions this walk can end with, flags aside (see ``progress``).

    A search over the gates still to come (items left are assumed answered No), memoised on
    the gate answers that later conditions read. A gate answer that would tick an implied
    item is a flag, so paths through one are not counted.
    """
    if walk.current(checklist) is None:
        return len(walk.asked)
    questions = checklist.questions
    user = {key: value for key, value in walk.given.items() if key in checklist.referenced}

    @cache
    def rest(position: int, chosen: frozenset[tuple[str, Answer]], urgent: bool) -> float:
        supposed = dict(chosen)
        given = {**user, **supposed}
        count = 0
        for index in range(position, len(questions)):
            question = questions[index]
            if not all(c.holds(given.get(c.question)) for c in question.conditions):
                continue
            if isinstance(question, Item) and question.tier is Tier.SOON and urgent:
                continue
            if isinstance(question, Gate):
                # Only answers read further on matter, which keeps the memo small.
                later = checklist.read_from[index + 1]
                supposed_later = frozenset(
                    (key, given[key]) for key in later - user.keys() if key in given
                )
                return (
                    count
                    + 1
                    + min(
                        rest(index + 1, supposed_later | {(question.id, option.id)}, urgent)
                        for option in question.options
                    )
                )
            if question.implied:
                if any(not c.negated and c.question in supposed for c in question.conditions):
                    return math.inf  # ticked by an answer we only supposed: not certain
                tick = Tick(question, _implied_answer(question, Walk(index, given)))
                if tick.tier is Tier.EMERGENCY:
                    return count
                urgent = urgent or tick.tier.rank >= Tier.URGENT.rank
                given[question.id] = tick.answer
            else:
                count += 1
                given[question.id] = NO
        return count

    return len(walk.asked) + int(rest(walk.position, frozenset(), walk.urgent))


def common_length(checklist: Checklist) -> int:
    """How many questions someone answers when nothing applies (every answer "No")."""
    walk = start(checklist)
    while (question := walk.current(checklist)) is not None:
        walk = give(checklist, walk, question.default.id if isinstance(question, Gate) else NO)
    return len(walk.asked)


def answer(answers: Mapping[str, Answer], question_id: str, value: Answer) -> dict[str, Answer]:
    """A new mapping with one more answer, last in order (re-answering moves it to the end)."""
    updated = {key: old for key, old in answers.items() if key != question_id}
    updated[question_id] = value
    return updated
