"""The /redflags checklist: questions in asking order, outcome texts and advice, from one YAML file.

Two kinds of question, listed together in the order they are asked:

- A **gate** is a multiple-choice question that flags nothing by itself; its answer decides
  which later questions apply ("Is the person with the pain under 18, or 50 or older?",
  "Did this pain start after an accident, a fall or an injury?").
- An **item** is one red flag of the reference, answered Yes / No / Not sure, in a tier.
  An *implied* item is never asked: it is ticked when its conditions hold (a past cancer
  plus this pain is a flag by itself, so the cancer question ticks it).

A question's ``only_if`` lists conditions that must ALL hold: ``"age=65+|50-64"`` (that
earlier question was answered with one of these options) or ``"pregnant!=yes|unsure"`` (it
was not, or was not asked at all). Texts shown as HTML may use only ``<b>`` and ``<i>``;
labels shown on buttons or in summaries are plain text and escaped when rendered.

Every button starts with "Yes" or "No" or reads exactly "Not sure" / "Prefer not to say",
and every question has exactly one button reading "No": the answer for someone to whom
nothing applies. ``check_checklist`` enforces it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag

from bot.catalog.loading import ContentError, validate_model
from bot.catalog.translations import overlay, read_yaml

_TAG = re.compile(r"<(/?)([a-z]+)>")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#\d{1,7});")
ALLOWED_TAGS = frozenset({"b", "i"})
NO_LABEL = "No"
UNSURE_ID = "unsure"
# Button labels: a choice starts with the word "Yes" or "No", or is one of these exactly.
_EXACT_LABELS = {"Not sure": UNSURE_ID, "Prefer not to say": None}
_CHOICE_LABEL = re.compile(r"(Yes|No)\b")
_OPTION = r"[a-z0-9+-]{1,8}"
_QUESTION_ID = r"[A-Za-z][A-Za-z0-9_]{0,15}"
_CONDITION = re.compile(rf"^({_QUESTION_ID})(!?=)({_OPTION}(?:\|{_OPTION})*)$")


class Tier(StrEnum):
    """How fast to act. NONE is only an outcome: no item may carry it."""

    EMERGENCY = "EMERGENCY"
    URGENT = "URGENT"
    SOON = "SOON"
    NONE = "NONE"

    @property
    def rank(self) -> int:
        """Higher is more serious; used to pick the outcome."""
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


# Limits leave room for translations a third longer than the English (tests/unit/
# test_content_translations.py renders every outcome that way).
Html = Annotated[str, Field(min_length=3, max_length=1600), AfterValidator(_check_html)]
Plain = Annotated[str, Field(min_length=1, max_length=160), AfterValidator(_check_plain)]
QuestionId = Annotated[str, Field(pattern=rf"^{_QUESTION_ID}$")]
# Option ids never travel (a button carries the option's position), but they appear in
# conditions, so they are short and hold no separator.
OptionId = Annotated[str, Field(pattern=rf"^{_OPTION}$")]
ConditionText = Annotated[str, Field(pattern=_CONDITION.pattern)]
ExtraId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")]


@dataclass(frozen=True)
class Condition:
    """``question=a|b`` holds when that question was answered a or b; ``!=`` when it was not
    (including when it was never asked)."""

    question: str
    options: frozenset[str]
    negated: bool

    def holds(self, given: str | None) -> bool:
        return (given in self.options) is not self.negated


def parse_condition(text: str) -> Condition:
    match = _CONDITION.match(text)
    if match is None:
        raise ValueError(f"not a condition: {text!r}")
    question, operator, options = match.groups()
    return Condition(question, frozenset(options.split("|")), operator == "!=")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Frozen):
    """One answer to a gate; ``summary`` (if any) goes in the summary shown to a clinician."""

    id: OptionId
    label: Plain
    summary: Plain | None = None


class _Conditional(_Frozen):
    id: QuestionId
    only_if: tuple[ConditionText, ...] = ()

    @cached_property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text) for text in self.only_if)


class Gate(_Conditional):
    """A multiple-choice question that flags nothing itself and decides what is asked next."""

    text: Html
    why: Html
    options: tuple[Option, ...] = Field(min_length=2, max_length=8)

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    @property
    def default(self) -> Option:
        """The answer for someone to whom nothing applies: the one labelled exactly "No"."""
        return next(option for option in self.options if option.label == NO_LABEL)


class Item(_Conditional):
    """One red flag, answered Yes / No / Not sure (or implied by earlier answers)."""

    tier: Tier
    label: Plain  # short form for the summary a user can show a clinician
    points_to: Plain  # what the flag may point to; for reviewers, not shown to users
    ref: QuestionId | None = None  # the reference item it asks, when not its own id
    text: Html | None = None  # None only for implied items
    why: Html | None = None
    implied: bool = False  # never asked: ticked whenever its conditions hold
    # A "Not sure" where doubt is common and harm not immediate gets this tier's advice.
    unsure_tier: Tier | None = None
    extra: ExtraId | None = None  # condition-specific steps added to the outcome
    alone: Html | None = None  # why a weak sign still matters when it is the only one ticked

    @property
    def flag(self) -> str:
        """The reference item (E1..S5) this question covers."""
        return self.ref or self.id


def _question_kind(data: Any) -> str:
    fields = data if isinstance(data, dict) else vars(data)
    return "gate" if "options" in fields else "item"


Question = Annotated[
    Annotated[Gate, Tag("gate")] | Annotated[Item, Tag("item")], Discriminator(_question_kind)
]


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
    intro: Html  # holds "{questions}" once: the length of the common path
    answer_labels: AnswerLabels
    questions: tuple[Question, ...] = Field(min_length=1)
    outcomes: dict[Tier, OutcomeText]
    extras: dict[ExtraId, Extra] = Field(default_factory=dict)
    summary_title: Html
    unsure_note: Html  # holds "{items}" once: the labels of the items answered "unsure"
    ces_line: Html  # the cauda equina safety net, in every outcome
    reassurance: Html  # for NONE and SOON outcomes only
    safety_net: Html  # closes every outcome

    @cached_property
    def gates(self) -> tuple[Gate, ...]:
        return tuple(question for question in self.questions if isinstance(question, Gate))

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(question for question in self.questions if isinstance(question, Item))

    @cached_property
    def _by_id(self) -> dict[str, Gate | Item]:
        return {question.id: question for question in self.questions}

    @cached_property
    def referenced(self) -> frozenset[str]:
        """Questions whose answers some condition reads."""
        return self.read_from[0]

    @cached_property
    def read_from(self) -> tuple[frozenset[str], ...]:
        """For each position, the questions whose answers are read there or later."""
        found: list[frozenset[str]] = [frozenset()]
        for question in reversed(self.questions):
            read = {condition.question for condition in question.conditions}
            found.append(found[-1] | read)
        return tuple(reversed(found))

    def question(self, question_id: str) -> Gate | Item | None:
        return self._by_id.get(question_id)


def _answer_ids(question: Gate | Item) -> frozenset[str]:
    if isinstance(question, Gate):
        return frozenset(option.id for option in question.options)
    return frozenset({"yes", "no", UNSURE_ID})


def _problems(checklist: Checklist, *, english: bool) -> Iterator[tuple[str, str]]:
    """Cross-reference problems as (field path, message); empty when the checklist is sound.

    ``english``: also the wording rules of the English source (buttons start with "Yes" or
    "No"...). A translation has the English structure by construction (catalog.translations)
    and words its buttons in its own language.
    """
    earlier: dict[str, Gate | Item] = {}
    for index, question in enumerate(checklist.questions):
        path = f"questions.{index}"
        if question.id in earlier:
            yield f"{path}.id", f"duplicate id {question.id!r}"
        for ref_index, condition in enumerate(question.conditions):
            problem = _condition_problem(condition, earlier)
            if problem:
                yield f"{path}.only_if.{ref_index}", problem
        if isinstance(question, Gate):
            yield from _gate_problems(path, question, english=english)
        else:
            yield from _item_problems(path, question, checklist)
        earlier[question.id] = question
    for answer_id, label, expected in (
        ("yes", checklist.answer_labels.yes, "Yes"),
        ("no", checklist.answer_labels.no, NO_LABEL),
        ("unsure", checklist.answer_labels.unsure, "Not sure"),
    ):
        if english and label != expected:
            yield f"answer_labels.{answer_id}", f"must be exactly {expected!r}, not {label!r}"
    for tier in Tier:
        if tier not in checklist.outcomes:
            yield "outcomes", f"no outcome text for tier {tier.value}"
    used = {item.extra for item in checklist.items}
    for extra_id in checklist.extras:
        if extra_id not in used:
            yield f"extras.{extra_id}", "no item uses this extra"
    for field, placeholder in (("unsure_note", "{items}"), ("intro", "{questions}")):
        text = getattr(checklist, field)
        if text.count(placeholder) != 1 or text.count("{") != 1:
            yield field, f"must contain the placeholder {placeholder} exactly once, and no other {{"


def _condition_problem(condition: Condition, earlier: dict[str, Gate | Item]) -> str | None:
    question = earlier.get(condition.question)
    if question is None:
        return f"no earlier question {condition.question!r}"
    unknown = condition.options - _answer_ids(question)
    if unknown:
        return f"{condition.question!r} has no answer {sorted(unknown)[0]!r}"
    return None


def _label_problem(option: Option) -> str | None:
    if option.label in _EXACT_LABELS:
        expected = _EXACT_LABELS[option.label]
        if expected is not None and option.id != expected:
            return f"the option labelled {option.label!r} must have the id {expected!r}"
        return None
    if option.id == UNSURE_ID:
        return f"the option {UNSURE_ID!r} must be labelled exactly 'Not sure'"
    if not _CHOICE_LABEL.match(option.label):
        allowed = "start with 'Yes' or 'No', or be 'Not sure' or 'Prefer not to say'"
        return f"a label must {allowed}, not {option.label!r}"
    return None


def _gate_problems(path: str, gate: Gate, *, english: bool) -> Iterator[tuple[str, str]]:
    ids = [option.id for option in gate.options]
    if len(ids) != len(set(ids)):
        yield f"{path}.options", "option ids must be unique"
    if not english:
        return
    for option_index, option in enumerate(gate.options):
        problem = _label_problem(option)
        if problem:
            yield f"{path}.options.{option_index}.label", problem
    if [option.label for option in gate.options].count(NO_LABEL) != 1:
        yield f"{path}.options", "exactly one option must be labelled 'No'"


def _item_problems(path: str, item: Item, checklist: Checklist) -> Iterator[tuple[str, str]]:
    if item.tier is Tier.NONE:
        yield f"{path}.tier", "NONE is an outcome, not an item tier"
    elif not item.flag.startswith(item.tier.value[0]):
        yield f"{path}.tier", f"{item.flag} is filed under {item.tier.value}"
    if item.implied:
        if item.text is not None or item.why is not None or item.unsure_tier is not None:
            yield f"{path}.implied", "an implied item is never asked: no text, why or unsure_tier"
        if not any(not condition.negated for condition in item.conditions):
            yield f"{path}.implied", "an implied item needs a condition that says when it holds"
    elif item.text is None or item.why is None:
        yield f"{path}.text", "an asked item needs a text and a why"
    if item.unsure_tier is not None and item.unsure_tier.rank >= item.tier.rank:
        yield f"{path}.unsure_tier", "must be lower than the item's tier"
    if item.extra is not None and item.extra not in checklist.extras:
        yield f"{path}.extra", f"no extra {item.extra!r} under 'extras'"


def check_checklist(checklist: Checklist, *, english: bool = True) -> None:
    """Raise ``ValueError`` naming the field of the first cross-reference problem."""
    for field, message in _problems(checklist, english=english):
        raise ValueError(f"field '{field}': {message}")


def load_redflags(path: Path, translated: Path | None = None) -> Checklist:
    """Load and fully validate the checklist; a problem raises ``ContentError`` (file, field).

    With ``translated`` (a file), its texts replace the English ones (see
    ``catalog.translations``): the same questions, options and outcomes in another language.
    """
    data, source = read_yaml(path), path
    if translated is not None:
        source = translated
        data = overlay(data, read_yaml(translated), translated)
    checklist = validate_model(data, Checklist, source)
    try:
        check_checklist(checklist, english=translated is None)
    except ValueError as error:
        raise ContentError(f"{source}: {error}") from error
    return checklist
