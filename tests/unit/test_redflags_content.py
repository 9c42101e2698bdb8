from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog.loading import ContentError
from bot.catalog.redflags import Checklist, Gate, Item, Tier, check_checklist, load_redflags
from bot.domain.emergency_numbers import COMMON_NUMBERS, NUMBERS, EmergencyNumber, Helpline
from bot.domain.redflags import (
    UNSURE,
    YES,
    Answer,
    CheckRecorded,
    Outcome,
    common_length,
    outcome_of,
)
from bot.render.i18n import ENGLISH
from bot.render.redflags import (
    MAX_MESSAGE_CHARS,
    render_intro,
    render_outcome,
    render_outcome_notes,
    render_question,
)
from tests.unit.redflags_paths import CONTENT, no_to_everything, walk_with

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_NOTES = [
    *sorted((REPO_ROOT.parent / "shared" / "seeds").glob("*.txt")),
    REPO_ROOT.parent / "shared" / "clinical" / "redflags-reference.md",
]
RUN_LENGTH = 9
LONGEST_NAME = EmergencyNumber(
    "XX",
    "a country with a very long name indeed",
    "10177",
    ("112", "999"),
    Helpline("0800 000 000 000", "a helpline with a long name as well, for good measure"),
)
EMERGENCIES: list[EmergencyNumber | None] = [None, NUMBERS["GB"], NUMBERS["US"], LONGEST_NAME]
NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|neither|nor|without)\b|n't\b")
REASSURANCE = ("false alarm", "usually harmless", "usual picture", "keep moving")


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


def visible(text: str) -> str:
    return re.sub(r"</?[bi]>", "", text).replace("&amp;", "&")


def result_of(
    checklist: Checklist,
    gates: dict[str, str] | None = None,
    items: dict[str, Answer] | None = None,
) -> Outcome:
    return outcome_of(checklist, walk_with(checklist, no_to_everything(gates, items)))


# --- the wording ---------------------------------------------------------------------------


def asked_questions(checklist: Checklist) -> list[Gate | Item]:
    return [q for q in checklist.questions if not (isinstance(q, Item) and q.implied)]


def test_every_question_has_its_why_line(checklist: Checklist) -> None:
    for question in asked_questions(checklist):
        assert question.text and question.why, question.id


def test_questions_ask_without_negatives(checklist: Checklist) -> None:
    """No "not", "no", "n't" inside a question: a "No" to it would be a double negative.
    Instructions around it ("If you don't have testicles, tap No.") may use them."""
    for question in asked_questions(checklist):
        for sentence in re.findall(r"[^.?!]*\?", visible(str(question.text))):
            assert not NEGATION.search(sentence.lower()), (question.id, sentence)


def test_questions_are_short_and_plain(checklist: Checklist) -> None:
    for question in asked_questions(checklist):
        words = visible(str(question.text)).split()
        assert len(words) <= 60, (question.id, len(words))
        sentences = re.split(r"(?<=[.?!])\s+", visible(str(question.text)))
        assert max(len(sentence.split()) for sentence in sentences) <= 35, question.id
        assert len(visible(str(question.why)).split()) <= 50, question.id


def test_saddle_bladder_and_falls_are_asked_in_plain_words(checklist: Checklist) -> None:
    text = {q.id: visible(str(q.text)) for q in asked_questions(checklist)}
    assert "when you wipe" in text["E1"] and "peeing" in text["E2"]
    assert "Burning, or needing to go often, is a different question" in text["E2"]
    assert "burn" in text["U2"] and "more often" in text["U2"]
    assert "impossible to stand" in text["E7"]
    assert "lying on a sore hip doesn't count" in text["U7"]
    for item_id in ("E5", "U13"):
        assert "new" in text[item_id] and "getting worse" in text[item_id]


def test_sex_specific_questions_say_when_to_answer_no(checklist: Checklist) -> None:
    for item_id in ("E11", "S5"):
        text = str(checklist.question(item_id).text)  # type: ignore[union-attr]
        assert text.startswith("If you have") and "tap No" in text


def test_nothing_is_copied_from_the_source_notes(checklist: Checklist) -> None:
    """Facts from the references, our own words: no 9-word run shared with the notes."""
    sources = [path for path in SOURCE_NOTES if path.is_file()]
    if not sources:
        pytest.skip("source notes not found next to the repository")
    runs: set[tuple[str, ...]] = set()
    for path in sources:
        runs |= _runs(path.read_text(encoding="utf-8"))
    ours = CONTENT.read_text(encoding="utf-8")
    copied = sorted(" ".join(run) for run in _runs(ours) & runs)
    assert copied == []


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + RUN_LENGTH]) for i in range(len(words) - RUN_LENGTH + 1)}


def test_the_intro_states_the_real_number_of_questions(checklist: Checklist) -> None:
    text = render_intro(ENGLISH, checklist, NUMBERS["GB"], common_length(checklist))
    assert "About 21 quick questions" in text
    assert "answer every question about them" in text.lower()  # parents answer for children
    assert "not a diagnosis" in text


# --- rendering -----------------------------------------------------------------------------


def test_every_question_renders_as_valid_html(checklist: Checklist) -> None:
    for question in asked_questions(checklist):
        assert_telegram_html(render_question(ENGLISH, question, 26, 26))


@pytest.mark.parametrize("emergency", EMERGENCIES)
def test_intro_renders(checklist: Checklist, emergency: EmergencyNumber | None) -> None:
    text = render_intro(ENGLISH, checklist, emergency, 21)
    assert_telegram_html(text)
    assert (emergency.number if emergency else "911") in text


@pytest.fixture(scope="module")
def outcomes(checklist: Checklist) -> list[Outcome]:
    """Each item alone, yes and unsure, and the longest outcome of each tier."""
    cases = []
    openers = {"legs": "both", "injury": "unsure", "cancer": "unsure"}
    profiles = [
        {"age": "18-49", "pregnant": "unsure"} | openers,
        {"age": "10-17", "pregnant": "no", "injury": "strain"},
        {"age": "65+"} | openers,
        {"age": "18-49", "legs": "one"},
    ]
    items = [item for item in checklist.items if not item.implied]
    for gates in profiles:
        for item in items:
            for value in (YES, UNSURE):
                cases.append(result_of(checklist, gates, {"U1": YES, item.id: value}))
                cases.append(result_of(checklist, gates, {item.id: value}))
        below = {i.id: UNSURE for i in items if i.tier is not Tier.EMERGENCY}
        cases.append(result_of(checklist, gates, below))
        soon = {i.id: UNSURE for i in items if i.tier is Tier.SOON}
        cases.append(result_of(checklist, gates, soon | {"S4": YES}))
        cases.append(result_of(checklist, gates))
    cases.append(result_of(checklist, {"injury": "accident"}))
    return cases


@pytest.mark.parametrize("emergency", EMERGENCIES)
def test_every_outcome_renders_within_limits_with_the_safety_net(
    checklist: Checklist, outcomes: list[Outcome], emergency: EmergencyNumber | None
) -> None:
    cases = outcomes
    assert {case.tier for case in cases} == set(Tier)
    for case in cases:
        notes = [
            *render_outcome_notes(ENGLISH, case, CheckRecorded(True, True, True)),
            *render_outcome_notes(ENGLISH, case, None),
        ]
        text = render_outcome(ENGLISH, checklist, case, emergency, notes)
        assert_telegram_html(text)
        assert checklist.ces_line in text and checklist.safety_net in text
        assert checklist.outcomes[case.tier].text in text
        for tick in case.ticked:  # the whole summary fits, nothing trimmed
            assert tick.item.label in text
        for extra in case.extras:
            assert checklist.extras[extra].text in text


def test_emergency_outcomes_lead_with_the_one_local_number_and_never_reassure(
    checklist: Checklist, outcomes: list[Outcome]
) -> None:
    for case in (c for c in outcomes if c.tier is Tier.EMERGENCY):
        known = render_outcome(ENGLISH, checklist, case, NUMBERS["DE"])
        assert known.startswith("📞 <b>Call 112 now</b>: the emergency number in Germany")
        assert "911" not in known and "999" not in known  # one number, not a list
        unknown = render_outcome(ENGLISH, checklist, case, None)
        assert unknown.startswith("📞 <b>Call your local emergency number now</b>")
        for text in (known, unknown):
            assert not any(words in text for words in REASSURANCE), text
            assert checklist.reassurance not in text


def test_the_common_list_makes_no_claim_about_most_of_the_world(checklist: Checklist) -> None:
    text = render_outcome(ENGLISH, checklist, result_of(checklist, None, {"E8": YES}), None)
    for number, where in COMMON_NUMBERS:
        assert f"<b>{number}</b> ({where})" in text
    assert "most of the world" not in text


def test_items_that_call_for_it_say_call_an_ambulance(checklist: Checklist) -> None:
    cases = {
        "E8": ({}, {"E8": YES}),
        "E9": ({}, {"E9": YES}),
        "E10": ({"pregnant": "yes"}, {"E10": YES}),
        "E13": ({}, {"U1": YES, "E13": YES}),
        "E6": ({"injury": "accident"}, {}),
        "E7": ({"injury": "fall"}, {"E7": YES}),
    }
    for item_id, (gates, items) in cases.items():
        text = render_outcome(ENGLISH, checklist, result_of(checklist, gates, items), NUMBERS["GB"])
        assert "ambulance" in text, item_id
    ces = render_outcome(ENGLISH, checklist, result_of(checklist, None, {"E1": YES}), NUMBERS["GB"])
    assert "Don't drive yourself" in ces


def test_growing_hips_are_told_to_stop_sport(checklist: Checklist) -> None:
    for items in ({"U11": YES}, {"U12": YES}):
        result = result_of(checklist, {"age": "10-17", "injury": "strain"}, items)
        assert "Stop sport" in render_outcome(ENGLISH, checklist, result, None)


@pytest.mark.parametrize(
    ("emergency", "line"),
    [
        (NUMBERS["GB"], "<b>111</b> (NHS 111"),
        (NUMBERS["DE"], "<b>116117</b>"),
        (NUMBERS["AT"], "<b>1450</b>"),
        (NUMBERS["US"], "your doctor's same-day service"),
        (None, "your doctor's same-day service"),
    ],
)
def test_urgent_names_the_local_same_day_line(
    checklist: Checklist, emergency: EmergencyNumber | None, line: str
) -> None:
    text = render_outcome(ENGLISH, checklist, result_of(checklist, None, {"U4": YES}), emergency)
    assert text.startswith("⚠️ <b>Get checked today</b>")
    assert line in text.split("\n\n")[1]  # straight after the heading
    assert not any(words in text for words in REASSURANCE)


def test_the_all_no_outcome_tells_nobody_to_call_now(checklist: Checklist) -> None:
    text = render_outcome(ENGLISH, checklist, result_of(checklist), NUMBERS["GB"])
    assert text.startswith("✅ <b>No red flags ticked</b>")
    assert "Call 999 now" not in text and "call <b>999</b>" in text  # only "in an emergency"
    assert "In an emergency in the UK" in text
    assert "usual picture" in text and checklist.reassurance not in text  # nothing was ticked
    soon = render_outcome(ENGLISH, checklist, result_of(checklist, None, {"S4": YES}), None)
    assert checklist.reassurance in soon


def test_a_weak_sign_alone_says_why_it_still_matters(checklist: Checklist) -> None:
    alone = render_outcome(ENGLISH, checklist, result_of(checklist, None, {"U4": YES}), None)
    assert "weak sign" in alone
    both = result_of(checklist, None, {"U4": YES, "U6": YES})
    with_more = render_outcome(ENGLISH, checklist, both, None)
    assert "weak sign" not in with_more


def test_a_downgraded_not_sure_says_get_checked_today(checklist: Checklist) -> None:
    text = render_outcome(ENGLISH, checklist, result_of(checklist, None, {"E4": UNSURE}), None)
    assert "Get checked today" in text and "weren't sure" in text
    assert checklist.extras["ces"].text not in text


def test_dynamic_pieces_are_escaped(checklist: Checklist) -> None:
    odd = EmergencyNumber("XX", "Trinidad & <Tobago>", "9&9", ("<1>",), Helpline("1<2", "A & B"))
    for items in ({"U1": YES}, {"E8": YES}, {}):
        text = render_outcome(ENGLISH, checklist, result_of(checklist, None, items), odd)
        assert_telegram_html(text)
        assert "Trinidad &amp; &lt;Tobago&gt;" in text


def test_an_oversized_summary_is_trimmed_not_refused(checklist: Checklist) -> None:
    items = {i.id: UNSURE for i in checklist.items if i.tier is not Tier.EMERGENCY}
    result = result_of(checklist, {"legs": "both", "injury": "unsure"}, items)
    long_title = checklist.model_copy(update={"summary_title": "x" * 3000})
    text = render_outcome(ENGLISH, long_title, result, LONGEST_NAME)
    assert len(text) <= MAX_MESSAGE_CHARS and "more" in text


# --- broken files --------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _index(data: dict[str, Any], question_id: str) -> int:
    return next(i for i, q in enumerate(data["questions"]) if q["id"] == question_id)


def _set(question_id: str, key: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["questions"][_index(data, question_id)][key] = value

    return mutate


def _set_option(question_id: str, option: int, key: str, value: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["questions"][_index(data, question_id)]["options"][option][key] = value

    return mutate


def _drop_outcome(data: dict[str, Any]) -> None:
    del data["outcomes"]["SOON"]


def _duplicate_id(data: dict[str, Any]) -> None:
    data["questions"][_index(data, "E9")]["id"] = "E8"


def _unused_extra(data: dict[str, Any]) -> None:
    data["extras"]["spare"] = {"title": "Spare", "text": "Not used by any item."}


def _where(question_id: str, field: str) -> Callable[[dict[str, Any]], str]:
    def locate(data: dict[str, Any]) -> str:
        return f"questions.{_index(data, question_id)}.{field}"

    return locate


BROKEN: list[tuple[str, Mutation, Callable[[dict[str, Any]], str] | str]] = [
    ("duplicate id", _duplicate_id, _where("E9", "id")),
    ("unknown question", _set("E8", "only_if", ["nope=yes"]), _where("E8", "only_if.0")),
    ("later question", _set("E8", "only_if", ["legs=both"]), _where("E8", "only_if.0")),
    ("unknown option", _set("E14", "only_if", ["cancer=maybe"]), _where("E14", "only_if.0")),
    ("bad condition", _set("E8", "only_if", ["age>50"]), _where("E8", "item.only_if.0")),
    ("label not yes", _set_option("age", 0, "label", "Under 10"), _where("age", "options.0.label")),
    ("two no labels", _set_option("age", 0, "label", "No"), _where("age", "options")),
    ("no no label", _set_option("age", 4, "label", "No, 18 to 49"), _where("age", "options")),
    ("unsure id", _set_option("legs", 3, "id", "maybe"), _where("legs", "options.3.label")),
    ("answer label", lambda d: d["answer_labels"].update(no="Nope"), "answer_labels.no"),
    ("bad tier", _set("E8", "tier", "CRITICAL"), _where("E8", "item.tier")),
    ("NONE as tier", _set("E8", "tier", "NONE"), _where("E8", "tier")),
    ("tier mismatch", _set("E8", "tier", "SOON"), _where("E8", "tier")),
    ("unsure tier not lower", _set("E4", "unsure_tier", "EMERGENCY"), _where("E4", "unsure_tier")),
    ("implied with text", _set("U5", "text", "Is it <b>so</b>?"), _where("U5", "implied")),
    ("asked without text", _set("E8", "text", None), _where("E8", "text")),
    ("missing outcome", _drop_outcome, "outcomes"),
    ("unknown extra", _set("E8", "extra", "nothing"), _where("E8", "extra")),
    ("unused extra", _unused_extra, "extras.spare"),
    ("forbidden tag", _set("E8", "text", "Is it <u>new</u>?"), _where("E8", "item.text")),
    ("unclosed tag", _set("E8", "text", "Is it <b>new?"), _where("E8", "item.text")),
    ("bare ampersand", _set("E8", "why", "Heart & aorta"), _where("E8", "item.why")),
    ("markup in a label", _set("E8", "label", "<b>x</b>"), _where("E8", "item.label")),
    ("unknown field", _set("E8", "colour", "red"), _where("E8", "item.colour")),
    ("no placeholder", lambda d: d.update(intro="Some questions."), "intro"),
]


@pytest.mark.parametrize(("name", "mutate", "field"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_file_names_file_and_field(
    tmp_path: Path, name: str, mutate: Mutation, field: Callable[[dict[str, Any]], str] | str
) -> None:
    data = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    expected = field if isinstance(field, str) else field(data)
    mutate(data)
    path = tmp_path / "redflags.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_redflags(path)
    message = str(caught.value)
    assert str(path) in message and f"'{expected}'" in message, message


def test_the_real_file_passes_every_check(checklist: Checklist) -> None:
    check_checklist(checklist)
    assert checklist.version == 2  # old buttons (version 1) are stale: a polite "ended"


@pytest.mark.parametrize("text", ["questions: [unclosed", "- just\n- a list\n"])
def test_unreadable_file_names_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "redflags.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(str(path))):
        load_redflags(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"nowhere\.yaml"):
        load_redflags(tmp_path / "nowhere.yaml")


def test_no_is_the_answer_of_someone_to_whom_nothing_applies(checklist: Checklist) -> None:
    for gate in checklist.gates:
        assert gate.default.label == "No"
        assert gate.default.summary in (None, "Age 18 to 49")  # nothing worth a clinician's note
