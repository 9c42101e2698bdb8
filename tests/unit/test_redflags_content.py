from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog.loading import ContentError
from bot.catalog.redflags import Checklist, Tier, check_checklist, load_redflags
from bot.domain.emergency_numbers import COMMON_NUMBERS, NUMBERS, EmergencyNumber
from bot.domain.redflags import NO, UNSURE, YES, Answer, Outcome, outcome
from bot.render.redflags import (
    MAX_MESSAGE_CHARS,
    render_intro,
    render_outcome,
    render_question,
)

CONTENT = Path(__file__).resolve().parents[2] / "content" / "redflags.yaml"
# Two gate profiles that between them ask every item (see test_redflags_engine).
YOUNG = {"under18": "yes", "pregnant": "yes"}
OLDER = {"under18": "no", "over50": "yes", "pregnant": "yes"}
LONGEST_NAME = EmergencyNumber(
    "XX", "a country with a very long name indeed", "10177", ("112", "999")
)
EMERGENCIES: list[EmergencyNumber | None] = [None, NUMBERS["GB"], NUMBERS["US"], LONGEST_NAME]


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_redflags(CONTENT)


class _TelegramHtml(HTMLParser):
    """Collects problems Telegram would refuse: unknown tags, attributes, unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in {"b", "i"} or attrs:
            self.problems.append(f"<{tag} {attrs}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> unbalanced")


def assert_telegram_html(text: str) -> None:
    assert 0 < len(text) <= MAX_MESSAGE_CHARS
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    assert parser.problems == [] and parser.open == [], (parser.problems, parser.open, text)
    bare = re.sub(r"</?[bi]>|&(amp|lt|gt|quot);", "", text)
    assert not set(bare) & set("<>&"), text


# --- the content itself -----------------------------------------------------------------


def test_loads_and_covers_every_reference_item(checklist: Checklist) -> None:
    expected = {
        **{f"E{n}": Tier.EMERGENCY for n in range(1, 15)},
        **{f"U{n}": Tier.URGENT for n in range(1, 15)},
        **{f"S{n}": Tier.SOON for n in range(1, 6)},
    }
    assert {item.id: item.tier for item in checklist.items} == expected


def test_ids_are_unique_and_every_tier_has_an_outcome(checklist: Checklist) -> None:
    ids = [question.id for question in checklist.ordered]
    assert len(ids) == len(set(ids))
    assert set(checklist.outcomes) == set(Tier)
    check_checklist(checklist)


def test_every_button_says_yes_no_or_not_sure(checklist: Checklist) -> None:
    labels = checklist.answer_labels
    assert (labels.yes, labels.no, labels.unsure) == ("Yes", "No", "Not sure")
    for gate in checklist.gates:
        assert [option.id for option in gate.options] in (
            [YES, NO],
            [YES, NO, UNSURE],
        ), gate.id
        for option in gate.options:
            assert option.label.startswith(("Yes", "No")) or option.label == "Not sure", option
        assert gate.options[1].label.startswith("No") and gate.options[1].label != "Not sure"
        assert gate.options[0].summary, f"{gate.id}: a yes should show in 'About me'"


def test_saddle_and_bladder_are_asked_in_plain_words(checklist: Checklist) -> None:
    text = {item.id: item.text for item in checklist.items}
    assert "when you wipe" in text["E1"] and "peeing" in text["E2"]


def test_outcomes_say_the_safety_net(checklist: Checklist) -> None:
    net = checklist.safety_net
    assert "not a diagnosis" in net and "false alarms" in net and "/redflags" in net


# --- rendering --------------------------------------------------------------------------


def test_every_question_renders_as_valid_html(checklist: Checklist) -> None:
    for question in checklist.ordered:
        assert_telegram_html(render_question(question, 37, 37))


@pytest.mark.parametrize("emergency", EMERGENCIES)
def test_intro_renders(checklist: Checklist, emergency: EmergencyNumber | None) -> None:
    text = render_intro(checklist, emergency)
    assert_telegram_html(text)
    assert (emergency.number if emergency else "911") in text


def _worst_cases(checklist: Checklist) -> list[Outcome]:
    """The longest outcome of each tier: everything ticked that can be, all "unsure"."""
    below: dict[str, Answer] = {i.id: NO for i in checklist.items if i.tier is Tier.EMERGENCY}
    urgent_and_soon = {i.id: UNSURE for i in checklist.items if i.tier is not Tier.EMERGENCY}
    soon = {i.id: NO if i.tier is Tier.URGENT else UNSURE for i in checklist.items}
    cases = []
    for gates in (OLDER, YOUNG):
        cases += [outcome(checklist, gates | {item.id: UNSURE}) for item in checklist.items]
        cases.append(outcome(checklist, gates | below | urgent_and_soon))
        cases.append(outcome(checklist, gates | below | soon))
        cases.append(outcome(checklist, gates | {i.id: NO for i in checklist.items}))
    return cases


@pytest.mark.parametrize("emergency", EMERGENCIES)
def test_every_outcome_renders_within_limits(
    checklist: Checklist, emergency: EmergencyNumber | None
) -> None:
    cases = _worst_cases(checklist)
    assert {case.tier for case in cases} == set(Tier)
    for case in cases:
        text = render_outcome(checklist, case, emergency)
        assert_telegram_html(text)
        assert checklist.safety_net in text
        assert checklist.outcomes[case.tier].text in text
        for tick in case.ticked:  # the whole summary fits, nothing trimmed
            assert tick.item.label in text
        for extra in case.extras:
            assert checklist.extras[extra].text in text


def test_outcome_names_the_number_or_the_common_ones(checklist: Checklist) -> None:
    emergency = outcome(checklist, OLDER | {"E1": YES})
    known = render_outcome(checklist, emergency, NUMBERS["GB"])
    assert "<b>999</b>" in known and "the UK" in known and "112 also works" in known
    unknown = render_outcome(checklist, emergency, None)
    for number, _ in COMMON_NUMBERS:
        assert f"<b>{number}</b>" in unknown


def test_unsure_is_explained(checklist: Checklist) -> None:
    result = outcome(checklist, OLDER | {"E2": UNSURE})
    text = render_outcome(checklist, result, None)
    assert "weren't sure" in text and "(not sure)" in text
    assert checklist.extras["ces"].text in text


def test_dynamic_pieces_are_escaped(checklist: Checklist) -> None:
    odd = EmergencyNumber("XX", "Trinidad & <Tobago>", "9&9", ("<1>",))
    text = render_outcome(checklist, outcome(checklist, OLDER | {"U1": YES}), odd)
    assert_telegram_html(text)
    assert "Trinidad &amp; &lt;Tobago&gt;" in text


def test_an_oversized_summary_is_trimmed_not_refused(checklist: Checklist) -> None:
    everything_unsure = OLDER | {
        i.id: UNSURE for i in checklist.items if i.tier is not Tier.EMERGENCY
    }
    everything_unsure |= {i.id: NO for i in checklist.items if i.tier is Tier.EMERGENCY}
    result = outcome(checklist, everything_unsure)
    long_labels = checklist.model_copy(update={"summary_title": "x" * 2500})
    text = render_outcome(long_labels, result, LONGEST_NAME)
    assert len(text) <= MAX_MESSAGE_CHARS and "more" in text


# --- broken files -----------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set_item(index: int, key: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["items"][index][key] = value

    return mutate


def _drop_outcome(data: dict[str, Any]) -> None:
    del data["outcomes"]["SOON"]


def _duplicate_id(data: dict[str, Any]) -> None:
    data["items"][1]["id"] = data["items"][0]["id"]


def _gate_on_later_gate(data: dict[str, Any]) -> None:
    data["gates"][0]["only_if"] = ["over50=yes"]


def _set_gate_option(gate: int, option: int, key: str, value: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["gates"][gate]["options"][option][key] = value

    return mutate


def _swap_gate_options(data: dict[str, Any]) -> None:
    options = data["gates"][0]["options"]
    options[0], options[1] = options[1], options[0]


def _set_answer_label(key: str, value: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["answer_labels"][key] = value

    return mutate


def _unused_extra(data: dict[str, Any]) -> None:
    data["extras"]["spare"] = {"title": "Spare", "text": "Not used by any item."}


BROKEN: list[tuple[str, Mutation, str]] = [
    ("duplicate id", _duplicate_id, "items.1.id"),
    ("unknown gate", _set_item(0, "only_if", ["nope=yes"]), "items.0.only_if.0"),
    ("unknown option", _set_item(0, "only_if", ["over50=unsure"]), "items.0.only_if.0"),
    ("gate order", _gate_on_later_gate, "gates.0.only_if.0"),
    ("gate label not yes", _set_gate_option(0, 0, "label", "Under 18"), "gates.0.options.0.label"),
    ("gate label not no", _set_gate_option(1, 1, "label", "Under 50"), "gates.1.options.1.label"),
    ("gate no is not sure", _set_gate_option(0, 1, "label", "Not sure"), "gates.0.options.1.label"),
    ("gate unsure label", _set_gate_option(2, 2, "label", "Maybe"), "gates.2.options.2.label"),
    ("gate option id", _set_gate_option(2, 2, "id", "maybe"), "gates.2.options"),
    ("gate option order", _swap_gate_options, "gates.0.options"),
    ("answer label no", _set_answer_label("no", "Nope"), "answer_labels.no"),
    ("answer label unsure", _set_answer_label("unsure", "Unsure"), "answer_labels.unsure"),
    ("bad tier", _set_item(0, "tier", "CRITICAL"), "items.0.tier"),
    ("NONE as item tier", _set_item(0, "tier", "NONE"), "items.0.tier"),
    ("tier mismatch", _set_item(0, "tier", "SOON"), "items.0.tier"),
    ("missing outcome", _drop_outcome, "outcomes"),
    ("unknown extra", _set_item(0, "extra", "nothing"), "items.0.extra"),
    ("unused extra", _unused_extra, "extras.spare"),
    ("forbidden tag", _set_item(0, "text", "Is it <u>new</u>?"), "items.0.text"),
    ("unclosed tag", _set_item(0, "text", "Is it <b>new?"), "items.0.text"),
    ("bare ampersand", _set_item(0, "why", "Bladder & bowels"), "items.0.why"),
    ("markup in a label", _set_item(0, "label", "<b>x</b>"), "items.0.label"),
    ("unknown field", _set_item(0, "colour", "red"), "items.0.colour"),
    ("missing field", _set_item(0, "why", None), "items.0.why"),
]


@pytest.mark.parametrize(("name", "mutate", "field"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_file_names_file_and_field(
    tmp_path: Path, name: str, mutate: Mutation, field: str
) -> None:
    data = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "redflags.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_redflags(path)
    message = str(caught.value)
    assert str(path) in message and f"'{field}'" in message, message


@pytest.mark.parametrize("text", ["items: [unclosed", "- just\n- a list\n"])
def test_unreadable_file_names_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "redflags.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(str(path))):
        load_redflags(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"nowhere\.yaml"):
        load_redflags(tmp_path / "nowhere.yaml")
