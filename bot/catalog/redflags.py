"""The /redflags checklist: gating questions, red-flag items and outcome texts from one YAML file.

Gates are short questions about the user ("Are you under 18?") whose answers decide which
later questions apply. A question's ``only_if`` lists ``gate=option`` references; it is asked
when ANY of them was chosen (an empty list means always asked). Items are yes/no/unsure
questions in one of three tiers. Texts shown as HTML may use only ``<b>`` and ``<i>``; labels
shown on buttons or in summaries are plain text and escaped when rendered.

Every question, gate or item, is answered with the same kind of buttons: labels starting "Yes"
and "No", and optionally "Not sure". So a gate's options are ``yes``, ``no`` and optionally
``unsure``, in that order; ``check_checklist`` enforces it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bot.catalog.loading import ContentError, load_yaml_model

_TAG = re.compile(r"<(/?)([a-z]+)>")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#\d{1,7});")
ALLOWED_TAGS = frozenset({"b", "i"})
# Answer buttons: option id -> how its label must look. "Not sure" is exact, so that it can
# never be mistaken for a "No ..." label.
_LABEL_RULES: dict[str, tuple[str, re.Pattern[str]]] = {
    "yes": ('start with the word "Yes"', re.compile(r"Yes\b")),
    "no": ('start with the word "No"', re.compile(r"No\b")),
    "unsure": ('be exactly "Not sure"', re.compile(r"Not sure\Z")),
}
GATE_OPTION_IDS: tuple[tuple[str, ...], ...] = (("yes", "no"), ("yes", "no", "unsure"))


class Tier(StrEnum):
    """How fast to act. NONE is only an outcome: no item may carry it."""

    EMERGENCY = "EMERGENCY"
    URGENT = "URGENT"
    SOON = "SOON"
    NONE = "NONE"

    @property
    def rank(self) -> int:
        """Higher is more serious; used to pick the outcome and to order the questions."""
        return _RANKS[self]


_RANKS = {Tier.NONE: 0, Tier.SOON: 1, Tier.URGENT: 2, Tier.EMERGENCY: 3}


def _check_html(text: str) -> str:
    """Telegram rejects a whole message over one stray ``<`` or ``&``: allow only b/i, balanced."""
    stack: list[str] = []
    for match in _TAG.finditer(text):
        closing, name = match.groups()
        if name not in ALLOWED_TAGS:
            raise ValueError(f"tag <{name}> is not allowed (only <b> and <i>)")
        if not closing:
            if name in stack:
                raise ValueError(f"<{name}> is nested inside itself")
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise ValueError(f"</{name}> does not close the last open tag")
    if stack:
        raise ValueError(f"<{stack[-1]}> is never closed")
    bare = _ENTITY.sub("", _TAG.sub("", text))
    for char in "<>&":
        if char in bare:
            raise ValueError(f"bare {char!r}: write &lt; &gt; &amp; or rephrase")
    return text


def _check_plain(text: str) -> str:
    """Plain labels go on buttons (no HTML there) and are escaped in messages: no markup."""
    if any(char in text for char in "<>&"):
        raise ValueError("plain text may not contain < > or &")
    return text


Html = Annotated[str, Field(min_length=3, max_length=1000), AfterValidator(_check_html)]
Plain = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_check_plain)]
QuestionId = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$")]
# Option ids travel in callback data, so they are short and never hold the ':' separator.
OptionId = Annotated[str, Field(pattern=r"^[a-z0-9+-]{1,8}$")]
GateRef = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}=[a-z0-9+-]{1,8}$")]
ExtraId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")]


def split_ref(ref: str) -> tuple[str, str]:
    """``"age=65+"`` -> ``("age", "65+")``."""
    gate, _, option = ref.partition("=")
    return gate, option


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Frozen):
    """One answer to a gate; ``summary`` (if any) goes in the summary shown to a clinician."""

    id: OptionId
    label: Plain
    summary: Plain | None = None


class Gate(_Frozen):
    """A short yes/no (or yes/no/unsure) question that decides which later questions apply."""

    id: QuestionId
    text: Html
    why: Html
    options: tuple[Option, ...] = Field(min_length=2, max_length=6)
    only_if: tuple[GateRef, ...] = ()

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)


class Item(_Frozen):
    """One red flag, answered yes / no / unsure."""

    id: QuestionId
    tier: Tier
    text: Html
    why: Html
    label: Plain  # short form for the summary a user can show a clinician
    points_to: Plain  # what the flag may point to; for reviewers, not shown to users
    only_if: tuple[GateRef, ...] = ()
    extra: ExtraId | None = None  # condition-specific steps added to the outcome


Question = Gate | Item


class OutcomeText(_Frozen):
    title: Plain
    text: Html


class Extra(_Frozen):
    """Condition-specific steps (e.g. for cauda equina) added when a linked item is ticked."""

    title: Plain
    text: Html


class AnswerLabels(_Frozen):
    yes: Plain
    no: Plain
    unsure: Plain


class Checklist(_Frozen):
    """The whole checklist as loaded; run ``check_checklist`` for the cross-references."""

    version: int = Field(ge=1)
    intro: Html
    answer_labels: AnswerLabels
    gates: tuple[Gate, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)
    outcomes: dict[Tier, OutcomeText]
    extras: dict[ExtraId, Extra] = Field(default_factory=dict)
    summary_title: Html
    unsure_note: Html  # holds "{items}" once: the labels of the items answered "unsure"
    safety_net: Html

    @cached_property
    def ordered(self) -> tuple[Question, ...]:
        """Gates in file order, then items EMERGENCY first, URGENT, SOON (file order within)."""
        items = sorted(self.items, key=lambda item: -item.tier.rank)
        return (*self.gates, *items)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.ordered}

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)


def _problems(checklist: Checklist) -> Iterator[tuple[str, str]]:
    """Cross-reference problems as (field path, message); empty when the checklist is sound."""
    seen: set[str] = set()
    groups: tuple[tuple[str, tuple[Question, ...]], ...] = (
        ("gates", checklist.gates),
        ("items", checklist.items),
    )
    for kind, questions in groups:
        for index, question in enumerate(questions):
            if question.id in seen:
                yield f"{kind}.{index}.id", f"duplicate id {question.id!r}"
            seen.add(question.id)
    yield from _gate_problems(checklist)
    yield from _item_problems(checklist)
    for answer_id in _LABEL_RULES:
        label = getattr(checklist.answer_labels, answer_id)
        problem = _label_problem(answer_id, label)
        if problem:
            yield f"answer_labels.{answer_id}", problem
    for tier in Tier:
        if tier not in checklist.outcomes:
            yield "outcomes", f"no outcome text for tier {tier.value}"
    used = {item.extra for item in checklist.items}
    for extra_id in checklist.extras:
        if extra_id not in used:
            yield f"extras.{extra_id}", "no item uses this extra"
    if checklist.unsure_note.count("{items}") != 1 or checklist.unsure_note.count("{") != 1:
        yield "unsure_note", "must contain the placeholder {items} exactly once, and no other {"


def _ref_problem(ref: str, known: dict[str, Gate]) -> str | None:
    gate_id, option_id = split_ref(ref)
    gate = known.get(gate_id)
    if gate is None:
        return f"{ref!r}: no earlier gate {gate_id!r}"
    if gate.option(option_id) is None:
        return f"{ref!r}: gate {gate_id!r} has no option {option_id!r}"
    return None


def _label_problem(answer_id: str, label: str) -> str | None:
    how, pattern = _LABEL_RULES[answer_id]
    if pattern.match(label):
        return None
    return f"the label for {answer_id!r} must {how}, not {label!r}"


def _gate_problems(checklist: Checklist) -> Iterator[tuple[str, str]]:
    earlier: dict[str, Gate] = {}
    for index, gate in enumerate(checklist.gates):
        option_ids = tuple(option.id for option in gate.options)
        if option_ids not in GATE_OPTION_IDS:
            allowed = " or ".join("/".join(ids) for ids in GATE_OPTION_IDS)
            yield f"gates.{index}.options", f"options must be {allowed}, not {'/'.join(option_ids)}"
        for option_index, option in enumerate(gate.options):
            problem = _label_problem(option.id, option.label) if option.id in _LABEL_RULES else None
            if problem:
                yield f"gates.{index}.options.{option_index}.label", problem
        # A gate may depend only on earlier gates, so gating resolves in one forward pass.
        for ref_index, ref in enumerate(gate.only_if):
            problem = _ref_problem(ref, earlier)
            if problem:
                yield f"gates.{index}.only_if.{ref_index}", problem
        earlier[gate.id] = gate


def _item_problems(checklist: Checklist) -> Iterator[tuple[str, str]]:
    gates = {gate.id: gate for gate in checklist.gates}
    for index, item in enumerate(checklist.items):
        if item.tier is Tier.NONE:
            yield f"items.{index}.tier", "NONE is an outcome, not an item tier"
        elif not item.id.startswith(item.tier.value[0]):
            yield f"items.{index}.tier", f"{item.id} is filed under {item.tier.value}"
        for ref_index, ref in enumerate(item.only_if):
            problem = _ref_problem(ref, gates)
            if problem:
                yield f"items.{index}.only_if.{ref_index}", problem
        if item.extra is not None and item.extra not in checklist.extras:
            yield f"items.{index}.extra", f"no extra {item.extra!r} under 'extras'"


def check_checklist(checklist: Checklist) -> None:
    """Raise ``ValueError`` naming the field of the first cross-reference problem."""
    for field, message in _problems(checklist):
        raise ValueError(f"field '{field}': {message}")


def load_redflags(path: Path) -> Checklist:
    """Load and fully validate the checklist; a problem raises ``ContentError`` (file, field)."""
    checklist = load_yaml_model(path, Checklist)
    try:
        check_checklist(checklist)
    except ValueError as error:
        raise ContentError(f"{path}: {error}") from error
    return checklist
