from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.catalog.redflags import Checklist, Gate, Item, Question, Tier, load_redflags
from bot.domain.redflags import (
    NO,
    UNSURE,
    YES,
    Answer,
    Outcome,
    answer,
    next_step,
    outcome,
    progress,
    questions_on_path,
    undo_last,
)

CONTENT = Path(__file__).resolve().parents[2] / "content" / "redflags.yaml"

# No single set of gate answers asks every item (U11/U12 are for under-18s, S2 and U14 for
# adults), so "everything" takes two profiles. Between them they ask every item.
YOUNG = {"under18": "yes", "pregnant": "yes"}
OLDER = {"under18": "no", "over50": "yes", "pregnant": "yes"}
ALL_NO_GATES = {"under18": "no", "over50": "no", "pregnant": "no"}


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_redflags(CONTENT)


def run(
    checklist: Checklist, gates: Mapping[str, str], items: Mapping[str, Answer] | None = None
) -> tuple[Outcome, list[str]]:
    """Answer like a user would, one question at a time; items not listed get "no"."""
    items = items or {}
    answers: dict[str, Answer] = {}
    asked: list[str] = []
    while True:
        step = next_step(checklist, answers)
        if isinstance(step, Outcome):
            return step, asked
        asked.append(step.id)
        value = gates[step.id] if isinstance(step, Gate) else items.get(step.id, NO)
        answers = answer(answers, step.id, value)


def profile_for(checklist: Checklist, item: Item) -> dict[str, str]:
    """The first of the two "everything" profiles that asks this item."""
    for profile in (OLDER, YOUNG):
        if item.id in run(checklist, profile)[1]:
            return profile
    raise AssertionError(f"{item.id} is asked on neither YOUNG nor OLDER")


def buttons(checklist: Checklist, question: Question) -> list[tuple[str, str]]:
    """(answer id, label) of the buttons a question gets, in order, as the handler shows them."""
    if isinstance(question, Gate):
        return [(option.id, option.label) for option in question.options]
    labels = checklist.answer_labels
    return [(YES, labels.yes), (NO, labels.no), (UNSURE, labels.unsure)]


def _all_gate_profiles(checklist: Checklist) -> list[dict[str, str]]:
    """Every combination of gate answers that a user can actually reach."""
    profiles: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    options = [[option.id for option in gate.options] for gate in checklist.gates]
    for combo in itertools.product(*options):
        full = dict(zip((gate.id for gate in checklist.gates), combo, strict=True))
        _, asked = run(checklist, full)
        reached = {gate: full[gate] for gate in full if gate in asked}
        profiles[tuple(sorted(reached.items()))] = reached
    return list(profiles.values())


@pytest.fixture(scope="module")
def profiles(checklist: Checklist) -> list[tuple[dict[str, str], list[str]]]:
    """Each reachable gate profile with the questions it asks when every item is "no"."""
    return [(profile, run(checklist, profile)[1]) for profile in _all_gate_profiles(checklist)]


# --- every item on its own --------------------------------------------------------------


def test_every_item_is_reachable(
    checklist: Checklist, profiles: list[tuple[dict[str, str], list[str]]]
) -> None:
    items = {item.id for item in checklist.items}
    assert set(run(checklist, OLDER)[1]) | set(run(checklist, YOUNG)[1]) >= items
    for item in checklist.items:
        assert any(item.id in asked for _, asked in profiles), f"{item.id} is never asked"


def test_every_item_alone_gives_its_tier(checklist: Checklist) -> None:
    for item in checklist.items:
        result, _ = run(checklist, profile_for(checklist, item), {item.id: YES})
        assert result.tier is item.tier, item.id
        assert [tick.item.id for tick in result.ticked] == [item.id]
        assert result.stopped_early is (item.tier is Tier.EMERGENCY)


def test_every_item_alone_gives_its_tier_on_every_path_that_asks_it(
    checklist: Checklist, profiles: list[tuple[dict[str, str], list[str]]]
) -> None:
    for item in checklist.items:
        paths = [profile for profile, asked in profiles if item.id in asked]
        assert paths, f"{item.id} is never asked"
        for profile in paths:
            result, _ = run(checklist, profile, {item.id: YES})
            assert (result.tier, len(result.ticked)) == (item.tier, 1), (item.id, profile)


@pytest.mark.parametrize("value", [YES, UNSURE])
def test_emergency_ends_the_checklist_at_once(checklist: Checklist, value: Answer) -> None:
    for item in (item for item in checklist.items if item.tier is Tier.EMERGENCY):
        result, asked = run(checklist, OLDER, {item.id: value, "U1": YES, "S1": YES})
        assert asked[-1] == item.id  # nothing after it was asked
        assert result.tier is Tier.EMERGENCY and result.stopped_early
        assert [tick.item.id for tick in result.ticked] == [item.id]


def test_all_no_is_none(
    checklist: Checklist, profiles: list[tuple[dict[str, str], list[str]]]
) -> None:
    for profile, _ in profiles:
        result, _ = run(checklist, profile)
        assert (result.tier, result.ticked, result.extras) == (Tier.NONE, (), ())
        assert not result.any_flag and not result.stopped_early


# --- the Yes / No buttons (the project contract) ----------------------------------------


def test_every_question_is_answered_yes_no_or_not_sure(checklist: Checklist) -> None:
    for question in checklist.ordered:
        shown = buttons(checklist, question)
        labels = [label for _, label in shown]
        for label in labels:
            assert label.startswith(("Yes", "No")) or label == "Not sure", (question.id, label)
        no_labels = [label for label in labels if label.startswith("No") and label != "Not sure"]
        assert len(no_labels) == 1, (question.id, labels)
        ids = [answer_id for answer_id, _ in shown]
        assert ids[:2] == [YES, NO] and set(ids) <= {YES, NO, UNSURE}, (question.id, ids)


def press_no_everywhere(checklist: Checklist) -> tuple[Outcome, list[str]]:
    """Like the acceptance check: on every question press the first button labelled "No..."."""
    answers: dict[str, Answer] = {}
    asked: list[str] = []
    while not isinstance(step := next_step(checklist, answers), Outcome):
        pressed = next(
            answer_id for answer_id, label in buttons(checklist, step) if label.startswith("No")
        )
        assert pressed == NO, (step.id, pressed)  # "No" comes before "Not sure"
        asked.append(step.id)
        answers = answer(answers, step.id, pressed)
    return step, asked


def test_pressing_no_on_every_question_reaches_the_safety_net(checklist: Checklist) -> None:
    result, asked = press_no_everywhere(checklist)
    assert (result.tier, result.ticked, result.extras) == (Tier.NONE, (), ())
    assert not result.stopped_early and not result.any_flag
    assert asked == run(checklist, ALL_NO_GATES)[1]
    assert asked[:3] == ["under18", "over50", "pregnant"]
    assert [option.summary for option in result.about] == ["Age 18 to 49"]
    answers = dict.fromkeys(asked, NO)
    assert progress(checklist, answers) == (len(asked), len(asked))


def test_yes_on_the_first_emergency_item_after_the_gates_ends_at_once(
    checklist: Checklist,
) -> None:
    result, asked = run(checklist, ALL_NO_GATES, {"E1": YES})
    assert asked == ["under18", "over50", "pregnant", "E1"]
    assert result.tier is Tier.EMERGENCY and result.stopped_early
    assert [tick.item.id for tick in result.ticked] == ["E1"]
    assert result.extras == ("ces",)
    answers = dict.fromkeys(asked, NO) | {"E1": YES}
    assert next_step(checklist, answers) == result
    assert progress(checklist, answers) == (4, 4)


# --- order and gating -------------------------------------------------------------------


def test_gates_first_then_emergency_urgent_soon(checklist: Checklist) -> None:
    for profile in (OLDER, YOUNG):
        _, asked = run(checklist, profile)
        kinds = [checklist.question(question_id) for question_id in asked]
        ranks = [4 if isinstance(q, Gate) else q.tier.rank for q in kinds if q is not None]
        assert ranks == sorted(ranks, reverse=True)
    assert run(checklist, OLDER)[1][:3] == ["under18", "over50", "pregnant"]
    assert run(checklist, YOUNG)[1][:2] == ["under18", "pregnant"]


GATING = [
    # (gate answers, asked, not asked)
    (
        {"under18": "yes", "pregnant": "no"},
        {"U11", "U12", "E11", "S5"},
        {"over50", "S2", "U14", "E10", "U3"},
    ),
    ({"under18": "yes", "pregnant": "unsure"}, {"E10", "U3", "U11", "U12"}, {"S2", "U14"}),
    (
        {"under18": "no", "over50": "no", "pregnant": "no"},
        {"over50", "U14", "E11", "S5"},
        {"U11", "U12", "S2", "E10", "U3"},
    ),
    ({"under18": "no", "over50": "no", "pregnant": "yes"}, {"E10", "U3", "U14"}, {"S2"}),
    (
        {"under18": "no", "over50": "yes", "pregnant": "no"},
        {"S2", "U14"},
        {"U11", "U12", "E10", "U3"},
    ),
    (
        {"under18": "no", "over50": "yes", "pregnant": "unsure"},
        {"S2", "U14", "E10", "U3"},
        {"U11", "U12"},
    ),
]


@pytest.mark.parametrize(("gates", "present", "absent"), GATING)
def test_gating(
    checklist: Checklist, gates: dict[str, str], present: set[str], absent: set[str]
) -> None:
    _, asked = run(checklist, gates)
    assert present <= set(asked)
    assert not absent & set(asked)
    ungated = {item.id for item in checklist.items if not item.only_if}
    assert ungated <= set(asked)
    assert {"under18", "pregnant"} <= set(asked)


def test_sex_specific_items_are_asked_of_everyone_and_say_when_to_answer_no(
    checklist: Checklist,
) -> None:
    for item_id in ("E11", "S5"):
        item = checklist.question(item_id)
        assert isinstance(item, Item) and not item.only_if
        assert item.text.startswith("If you have") and "answer no" in item.text


def test_answers_off_the_path_are_ignored(checklist: Checklist) -> None:
    answers = ALL_NO_GATES | {"E10": YES, "S2": YES, "U11": YES}
    assert outcome(checklist, answers).tier is Tier.NONE
    assert next_step(checklist, answers) == checklist.question("E1")


# --- combinations -----------------------------------------------------------------------

COMBINATIONS = [
    # (gate answers, items answered, tier, ids ticked, ids unsure)
    (OLDER, {"U1": YES, "S3": YES}, Tier.URGENT, ["U1", "S3"], []),
    (OLDER, {"U7": UNSURE}, Tier.URGENT, ["U7"], ["U7"]),
    (OLDER, {"U4": UNSURE, "S4": YES}, Tier.URGENT, ["U4", "S4"], ["U4"]),
    (OLDER, {"S1": UNSURE}, Tier.SOON, ["S1"], ["S1"]),
    (OLDER, {"S2": YES, "S5": UNSURE}, Tier.SOON, ["S2", "S5"], ["S5"]),
    (OLDER, {"E3": UNSURE}, Tier.EMERGENCY, ["E3"], ["E3"]),
    (OLDER, {"E9": YES, "U2": YES}, Tier.EMERGENCY, ["E9"], []),
    (YOUNG, {"U11": UNSURE, "S5": YES}, Tier.URGENT, ["U11", "S5"], ["U11"]),
    (YOUNG, {"E11": YES, "U12": YES}, Tier.EMERGENCY, ["E11"], []),
]


@pytest.mark.parametrize(("gates", "items", "tier", "ticked", "unsure"), COMBINATIONS)
def test_combinations(
    checklist: Checklist,
    gates: dict[str, str],
    items: dict[str, Answer],
    tier: Tier,
    ticked: list[str],
    unsure: list[str],
) -> None:
    result, _ = run(checklist, gates, items)
    assert result.tier is tier
    assert [tick.item.id for tick in result.ticked] == ticked
    assert [item.id for item in result.unsure] == unsure


EXTRAS = [
    ("E1", ("ces",)),
    ("E2", ("ces",)),
    ("E3", ("ces",)),
    ("E4", ("ces",)),
    ("E5", ("ces",)),
    ("E7", ("hip_fracture",)),
    ("E14", ("cord",)),
    ("E8", ()),
    ("U3", ("pregnancy",)),
    ("U1", ()),
]


@pytest.mark.parametrize(("item_id", "extras"), EXTRAS)
def test_condition_specific_extras(
    checklist: Checklist, item_id: str, extras: tuple[str, ...]
) -> None:
    result, _ = run(checklist, OLDER, {item_id: YES})
    assert result.extras == extras


ABOUT = [
    ({"under18": "no", "over50": "yes", "pregnant": "no"}, ["Age 50 or over"]),
    (
        {"under18": "no", "over50": "no", "pregnant": "unsure"},
        ["Age 18 to 49", "Might be pregnant"],
    ),
    ({"under18": "yes", "pregnant": "yes"}, ["Under 18", "Pregnant"]),
    ({"under18": "yes", "pregnant": "no"}, ["Under 18"]),
]


@pytest.mark.parametrize(("gates", "about"), ABOUT)
def test_about_lists_gate_answers_with_a_summary(
    checklist: Checklist, gates: dict[str, str], about: list[str]
) -> None:
    result, _ = run(checklist, gates, {"U1": YES})
    assert [option.summary for option in result.about] == about


# --- back, progress and bad input -------------------------------------------------------


def test_undo_last_returns_to_the_previous_question(checklist: Checklist) -> None:
    answers: dict[str, Answer] = {}
    given = [("under18", NO), ("over50", YES), ("pregnant", NO), ("E1", NO), ("E2", YES)]
    for question_id, value in given:
        answers = answer(answers, question_id, value)
    assert isinstance(next_step(checklist, answers), Outcome)
    for question_id in ["E2", "E1", "pregnant", "over50", "under18"]:
        answers = undo_last(answers)
        assert next_step(checklist, answers) == checklist.question(question_id)
    assert undo_last({}) == {}


def test_undo_does_not_change_its_input() -> None:
    answers = {"under18": NO, "over50": YES}
    assert undo_last(answers) == {"under18": NO}
    assert answers == {"under18": NO, "over50": YES}


def test_answering_again_moves_the_answer_last() -> None:
    answers = answer({"under18": NO, "over50": YES}, "under18", YES)
    assert list(answers) == ["over50", "under18"]


def test_progress_numbers(checklist: Checklist) -> None:
    steps: list[tuple[str, Answer, tuple[int, int]]] = [
        # 3 gates + 33 items until the gates narrow the path down.
        ("under18", NO, (1, 36)),
        ("over50", NO, (2, 34)),  # adult: no U11, U12
        ("pregnant", NO, (3, 33)),  # under 50: no S2
        ("E1", NO, (4, 31)),  # not pregnant: no E10, U3
        ("E2", NO, (5, 31)),
    ]
    answers: dict[str, Answer] = {}
    for question_id, value, expected in steps:
        assert progress(checklist, answers) == expected
        answers = answer(answers, question_id, value)


def test_progress_for_under_18s(checklist: Checklist) -> None:
    answers = answer({}, "under18", YES)
    assert progress(checklist, answers) == (2, 33)  # no over50 gate, S2 or U14


def test_the_total_only_ever_shrinks(
    checklist: Checklist, profiles: list[tuple[dict[str, str], list[str]]]
) -> None:
    for profile, asked in profiles:
        answers: dict[str, Answer] = {}
        totals = []
        for question_id in asked:
            totals.append(progress(checklist, answers)[1])
            answers = answer(answers, question_id, profile.get(question_id, NO))
        assert totals == sorted(totals, reverse=True), profile
        assert totals[-1] == len(asked)


def test_progress_at_the_end(checklist: Checklist) -> None:
    answers = ALL_NO_GATES | {"E1": YES}
    assert progress(checklist, answers) == (4, 4)
    _, asked = run(checklist, OLDER)
    everything_no = dict.fromkeys(asked, NO) | OLDER
    assert progress(checklist, everything_no) == (len(asked), len(asked))


def test_path_lengths(
    checklist: Checklist, profiles: list[tuple[dict[str, str], list[str]]]
) -> None:
    lengths = {tuple(sorted(profile.items())): len(asked) for profile, asked in profiles}
    assert (min(lengths.values()), max(lengths.values())) == (31, 34)
    assert len(run(checklist, ALL_NO_GATES)[1]) == 31  # the common path: 3 gates, 28 items
    assert len(run(checklist, {"under18": YES, "pregnant": NO})[1]) == 31
    assert len(run(checklist, OLDER)[1]) == 34
    # The shortest of all: two gates, then a yes on the first emergency item.
    assert len(run(checklist, {"under18": YES, "pregnant": NO}, {"E1": YES})[1]) == 3


@pytest.mark.parametrize(
    "answers",
    [
        {"nope": YES},
        {"under18": "65+"},
        {"under18": NO, "E1": "maybe"},
        {"pregnant": "maybe"},
        {"over50": UNSURE},  # this gate offers only Yes and No
    ],
)
def test_bad_answers_raise(checklist: Checklist, answers: dict[str, Answer]) -> None:
    with pytest.raises(ValueError):
        next_step(checklist, answers)
    with pytest.raises(ValueError):
        questions_on_path(checklist, answers)
