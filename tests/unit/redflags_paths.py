"""Walking the real red-flag checklist in tests: one answer at a time, or every path at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from bot.catalog.redflags import Checklist, Gate, Item, Tier
from bot.domain.redflags import NO, UNSURE, YES, Answer, Question, Walk, give, start

CONTENT = Path(__file__).resolve().parents[2] / "content" / "redflags.yaml"
PROFILE_GATES = ("age", "pregnant")  # the gates about the person, asked first


def walk_with(
    checklist: Checklist, choose: Callable[[Question], Answer], walk: Walk | None = None
) -> Walk:
    """Answer every question with ``choose`` until the check is over."""
    walk = start(checklist) if walk is None else walk
    while (question := walk.current(checklist)) is not None:
        walk = give(checklist, walk, choose(question))
    return walk


def no_to_everything(
    gates: dict[str, str] | None = None, items: dict[str, Answer] | None = None
) -> Callable[[Question], Answer]:
    """The listed answers, and "No" (a gate's "No" option) everywhere else."""
    gates, items = gates or {}, items or {}

    def choose(question: Question) -> Answer:
        if isinstance(question, Gate):
            return gates.get(question.id, question.default.id)
        return items.get(question.id, NO)

    return choose


def _answers(question: Question) -> list[Answer]:
    if isinstance(question, Gate):
        return [option.id for option in question.options]
    return [NO, YES, UNSURE] if question.unsure_tier is not None else [NO, YES]


def explore(checklist: Checklist, walk: Walk | None = None) -> Iterator[Walk]:
    """Every distinct state of the check: each question as it is asked, then each ending.

    Every gate option is followed. An item's Yes is followed only where it can change what
    comes next: it ends the check, opens a topic (a later condition reads it), or is the
    first urgent tick (which drops the routine questions). Any other Yes leaves the same
    questions as a No, so that path is already walked. "Not sure" is followed where it
    differs from Yes (items with a lower ``unsure_tier``).
    """
    walk = start(checklist) if walk is None else walk
    yield walk
    question = walk.current(checklist)
    if question is None:
        return
    for value in _answers(question):
        after = give(checklist, walk, value)
        same_as_no = (
            isinstance(question, Item)
            and value != NO
            and question.id not in checklist.referenced
            and not after.stopped
            and after.urgent == walk.urgent
        )
        if not same_as_no:
            yield from explore(checklist, after)


def profile(walk: Walk) -> tuple[tuple[str, str], ...]:
    """The answers about the person that a path was walked with."""
    return tuple((gate, walk.given[gate]) for gate in PROFILE_GATES if gate in walk.given)


def first_emergency_position(checklist: Checklist, walk: Walk) -> int:
    """1-based position of the first EMERGENCY item asked on this path."""
    for position, question_id in enumerate(walk.asked, 1):
        question = checklist.question(question_id)
        if isinstance(question, Item) and question.tier is Tier.EMERGENCY:
            return position
    raise AssertionError(f"no EMERGENCY item asked on {walk.asked}")
