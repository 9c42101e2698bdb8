from __future__ import annotations

from collections import defaultdict

import pytest

from bot.catalog.redflags import Checklist, Gate, Item, Tier, load_redflags
from bot.domain.redflags import (
    NO,
    UNSURE,
    YES,
    Answer,
    Outcome,
    Walk,
    answer,
    common_length,
    give,
    next_step,
    outcome,
    outcome_of,
    progress,
    replay,
)
from tests.unit.redflags_paths import (
    CONTENT,
    explore,
    first_emergency_position,
    no_to_everything,
    profile,
    walk_with,
)

REFERENCE = {
    **{f"E{n}": Tier.EMERGENCY for n in range(1, 15)},
    **{f"U{n}": Tier.URGENT for n in range(1, 15)},
    **{f"S{n}": Tier.SOON for n in range(1, 6)},
}
ADULT_BANDS = ("18-49", "50-64", "65+")
MAX_ADULT_ALL_NO = 22
MAX_PATH = 26


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_redflags(CONTENT)


@pytest.fixture(scope="module")
def states(checklist: Checklist) -> list[Walk]:
    """Every distinct state of the check (see ``explore``)."""
    return list(explore(checklist))


@pytest.fixture(scope="module")
def paths(checklist: Checklist, states: list[Walk]) -> list[Walk]:
    return [walk for walk in states if walk.current(checklist) is None]


def run(
    checklist: Checklist,
    gates: dict[str, str] | None = None,
    items: dict[str, Answer] | None = None,
) -> tuple[Outcome, list[str]]:
    walk = walk_with(checklist, no_to_everything(gates, items))
    return outcome_of(checklist, walk), list(walk.asked)


def gate_profiles(checklist: Checklist) -> list[dict[str, str]]:
    """Every reachable combination of the answers about the person (age band, pregnancy)."""
    age = checklist.question("age")
    pregnant = checklist.question("pregnant")
    assert isinstance(age, Gate) and isinstance(pregnant, Gate)
    found = {}
    for band in age.options:
        for state in pregnant.options:
            _, asked = run(checklist, {"age": band.id, "pregnant": state.id})
            chosen = {"age": band.id} | ({"pregnant": state.id} if "pregnant" in asked else {})
            found[tuple(chosen.items())] = chosen
    return list(found.values())


# --- the targets, over every path --------------------------------------------------------


def test_every_gate_combination_is_walked(checklist: Checklist, paths: list[Walk]) -> None:
    walked = {profile(walk) for walk in paths}
    assert walked == {tuple(p.items()) for p in gate_profiles(checklist)}
    assert len(walked) == 3 * 3 + 3  # under-50 bands and "prefer not to say" ask about pregnancy


def test_an_adult_with_no_flags_answers_at_most_22_questions(checklist: Checklist) -> None:
    for gates in gate_profiles(checklist):
        result, asked = run(checklist, gates)
        assert result.tier is Tier.NONE, gates
        if gates["age"] in ADULT_BANDS:
            assert len(asked) <= MAX_ADULT_ALL_NO, (gates, asked)
    assert len(run(checklist, {"age": "skip"})[1]) <= MAX_ADULT_ALL_NO  # age not given


def test_no_path_is_longer_than_26(paths: list[Walk]) -> None:
    longest = max(paths, key=lambda walk: len(walk.asked))
    assert len(longest.asked) <= MAX_PATH, longest.asked


def test_the_first_emergency_item_is_among_the_first_4_questions(
    checklist: Checklist, paths: list[Walk]
) -> None:
    assert max(first_emergency_position(checklist, walk) for walk in paths) <= 4


def test_path_lengths_per_gate_combination(checklist: Checklist, paths: list[Walk]) -> None:
    """The numbers quoted in the closing note: (shortest, all answers No, longest)."""
    lengths: dict[tuple[tuple[str, str], ...], list[int]] = defaultdict(list)
    for walk in paths:
        lengths[profile(walk)].append(len(walk.asked))
    table = {
        key: (min(found), len(run(checklist, dict(key))[1]), max(found))
        for key, found in lengths.items()
    }
    assert table[(("age", "18-49"), ("pregnant", "no"))] == (3, 21, 26)
    assert table[(("age", "65+"),)] == (2, 21, 24)
    assert table[(("age", "u10"),)] == (2, 18, 23)
    assert all(
        typical <= MAX_ADULT_ALL_NO and top <= MAX_PATH for _, typical, top in table.values()
    )


def test_every_reference_item_is_reachable(checklist: Checklist, paths: list[Walk]) -> None:
    reached: set[str] = set()
    for walk in paths:
        for question_id in walk.asked:
            question = checklist.question(question_id)
            if isinstance(question, Item):
                reached.add(question.flag)
        reached |= {tick.item.flag for tick in walk.ticks}
    assert reached == set(REFERENCE)
    assert {item.flag: item.tier for item in checklist.items} == REFERENCE


def test_every_emergency_item_ends_the_check_at_once_wherever_it_is_asked(
    checklist: Checklist, states: list[Walk]
) -> None:
    checked = set()
    for walk in states:
        question = walk.current(checklist)
        if not isinstance(question, Item) or question.tier is not Tier.EMERGENCY:
            continue
        for value in (YES, UNSURE):
            after = give(checklist, walk, value)
            # A "Not sure" with a lower tier ("get checked today") goes on; anything else stops.
            assert after.stopped is (value == YES or question.unsure_tier is None), question.id
            assert after.current(checklist) is None or not after.stopped
            if after.stopped:
                result = outcome_of(checklist, after)
                assert result.tier is Tier.EMERGENCY and result.stopped_early
                assert result.ticked[-1].item is question
        checked.add(question.id)
    assert checked == {i.id for i in checklist.items if i.tier is Tier.EMERGENCY and not i.implied}


def test_a_serious_accident_is_an_emergency_at_once(checklist: Checklist) -> None:
    result, asked = run(checklist, {"injury": "accident"})
    assert asked[-1] == "injury"
    assert result.tier is Tier.EMERGENCY and result.stopped_early
    assert [tick.item.flag for tick in result.ticked] == ["E6"]
    assert result.extras == ("fracture",)


def test_all_no_is_none_on_every_gate_combination(checklist: Checklist) -> None:
    for gates in gate_profiles(checklist):
        result, _ = run(checklist, gates)
        assert (result.tier, result.ticked, result.extras) == (Tier.NONE, (), ())
        assert not result.stopped_early


def test_every_item_alone_gives_its_tier(checklist: Checklist) -> None:
    for item in (item for item in checklist.items if not item.implied):
        gates, opener = _answers_that_ask(checklist, item)
        result, _ = run(checklist, gates, opener | {item.id: YES})
        assert result.tier is item.tier, item.id
        assert [tick.item.id for tick in result.ticked][-1] == item.id
        assert result.stopped_early is (item.tier is Tier.EMERGENCY)


def _answers_that_ask(checklist: Checklist, item: Item) -> tuple[dict[str, str], dict[str, Answer]]:
    """Gate answers, and any topic opener answered Yes, under which ``item`` is asked."""
    candidates = [
        {"age": "18-49"},
        {"age": "18-49", "pregnant": "yes"},
        {"age": "65+"},
        {"age": "10-17"},
        {"age": "18-49", "legs": "both"},
        {"age": "18-49", "legs": "one"},
        {"age": "18-49", "injury": "fall"},
        {"age": "10-17", "injury": "strain"},
        {"age": "18-49", "cancer": "yes"},
    ]
    openers: list[dict[str, Answer]] = [{}, {"U1": YES}, {"S4": YES}]  # items opening a topic
    for opener in openers:
        for gates in candidates:
            if item.id in run(checklist, gates, opener)[1]:
                return gates, opener
    raise AssertionError(f"{item.id} is never asked")


# --- the buttons (the project contract) ----------------------------------------------------


def test_every_question_has_one_no_and_labels_start_with_yes_or_no(checklist: Checklist) -> None:
    labels = checklist.answer_labels
    assert (labels.yes, labels.no, labels.unsure) == ("Yes", "No", "Not sure")
    for gate in checklist.gates:
        shown = [option.label for option in gate.options]
        assert shown.count("No") == 1, gate.id
        for label in shown:
            assert label.startswith(("Yes", "No")) or label in ("Not sure", "Prefer not to say")


def test_pressing_no_on_every_question_reaches_the_safety_net(checklist: Checklist) -> None:
    """Like the acceptance check: press the first button labelled "No..." on every question."""
    answers: dict[str, Answer] = {}
    while not isinstance(step := next_step(checklist, answers), Outcome):
        if isinstance(step, Gate):
            pressed = next(option.id for option in step.options if option.label.startswith("No"))
        else:
            pressed = NO
        answers = answer(answers, step.id, pressed)
    assert (step.tier, step.ticked, step.extras) == (Tier.NONE, (), ())
    assert len(answers) == common_length(checklist) == 21
    assert [option.summary for option in step.about] == ["Age 18 to 49"]
    assert progress(checklist, answers) == (21, 21)


# --- order and gating ----------------------------------------------------------------------


def test_triage_order(checklist: Checklist) -> None:
    _, asked = run(checklist)
    assert asked[:4] == ["age", "pregnant", "E8", "E9"]
    assert asked.index("cancer") < asked.index("E1") < asked.index("legs")
    _, with_cancer = run(checklist, {"cancer": "yes", "legs": "both"})
    assert with_cancer.index("E14") < with_cancer.index("E5")  # cancer advice first


GATING = [
    # (answers that open or close things, asked, not asked)
    ({"age": "u10"}, {"E8", "E9", "E1", "S4"}, {"pregnant", "E4", "U11", "U14", "S5", "E10"}),
    ({"age": "10-17"}, {"pregnant", "U11", "S5"}, {"E4", "U14", "S1"}),
    ({"age": "10-17", "injury": "strain"}, {"U12"}, {"E7", "U9"}),
    ({"age": "u10", "injury": "strain"}, {"U12"}, {"E7", "U9"}),  # avulsion from age 8
    ({"age": "18-49", "injury": "fall"}, {"E7", "U9"}, {"U12"}),
    ({"age": "65+", "injury": "fall"}, {"E7"}, {"U9"}),  # at 65+ the fall itself is the flag
    ({"age": "50-64"}, {"U14", "E4"}, {"pregnant", "S1", "U11"}),
    ({"age": "skip"}, {"pregnant", "U14", "E4"}, {"U11", "U12"}),
    ({"pregnant": "yes"}, {"E10", "U3"}, {"E9", "E11", "S5"}),
    ({"pregnant": "unsure"}, {"E10", "U3"}, {"E9", "E11", "S5"}),
    ({"legs": "both"}, {"E5", "S3"}, {"U13"}),
    ({"legs": "one"}, {"U13", "S3"}, {"E5"}),
    ({"legs": "unsure"}, {"E5", "S3"}, {"U13"}),
    ({"legs": "no"}, set(), {"E5", "U13", "S3"}),
    ({"cancer": "unsure"}, {"E14"}, set()),
]


@pytest.mark.parametrize(("gates", "present", "absent"), GATING)
def test_gating(
    checklist: Checklist, gates: dict[str, str], present: set[str], absent: set[str]
) -> None:
    _, asked = run(checklist, gates)
    assert present <= set(asked)
    assert not absent & set(asked)


def test_topics_open_on_yes_or_not_sure(checklist: Checklist) -> None:
    for value in (YES, UNSURE):
        assert {"E12", "E13"} <= set(run(checklist, None, {"U1": value})[1])
        assert "S1" in run(checklist, None, {"S4": value})[1]
    assert not {"E12", "E13", "S1"} & set(run(checklist)[1])


# --- tiers, "not sure", and what is ticked --------------------------------------------------

COMBINATIONS = [
    # (gates, items, tier, flags ticked, stopped early)
    ({}, {"U1": YES, "S3": YES}, Tier.URGENT, ["U1"], False),  # S3 not asked: legs closed
    ({"legs": "both"}, {"S3": YES, "U1": YES}, Tier.URGENT, ["S3", "U1"], False),
    ({}, {"U7": UNSURE}, Tier.URGENT, ["U7"], False),
    ({}, {"S4": YES, "S1": UNSURE}, Tier.SOON, ["S4", "S1"], False),
    ({"age": "65+"}, {"S4": YES}, Tier.SOON, ["S4", "S2"], False),
    ({"cancer": "yes"}, {}, Tier.URGENT, ["U5"], False),
    ({"cancer": "yes"}, {"E14": YES}, Tier.EMERGENCY, ["E14"], True),
    ({"age": "65+", "injury": "fall"}, {}, Tier.URGENT, ["U9"], False),
    ({"age": "65+", "injury": "unsure"}, {"E7": UNSURE}, Tier.URGENT, ["E7", "U9"], False),
    ({"age": "18-49", "injury": "fall"}, {"U9": YES}, Tier.URGENT, ["U9"], False),
    ({}, {"E4": UNSURE}, Tier.URGENT, ["E4"], False),  # doubt: get checked today
    ({}, {"E4": YES}, Tier.EMERGENCY, ["E4"], True),  # a real yes stays an emergency
    ({}, {"E1": UNSURE}, Tier.EMERGENCY, ["E1"], True),
    ({}, {"U1": YES, "E12": UNSURE}, Tier.URGENT, ["U1", "E12"], False),
    ({"pregnant": "yes"}, {"U3": YES}, Tier.URGENT, ["U3"], False),
]


@pytest.mark.parametrize(("gates", "items", "tier", "flags", "stopped"), COMBINATIONS)
def test_combinations(
    checklist: Checklist,
    gates: dict[str, str],
    items: dict[str, Answer],
    tier: Tier,
    flags: list[str],
    stopped: bool,
) -> None:
    result, _ = run(checklist, gates, items)
    assert result.tier is tier
    assert [tick.item.flag for tick in result.ticked] == flags
    assert result.stopped_early is stopped


def test_routine_questions_are_skipped_once_something_urgent_is_ticked(
    checklist: Checklist,
) -> None:
    _, asked = run(checklist, None, {"U2": YES})
    assert not {"S4", "S5"} & set(asked)
    _, asked = run(checklist, None, {"U10": YES, "S4": YES})
    assert "S4" not in asked


def test_a_downgraded_not_sure_brings_no_emergency_steps(checklist: Checklist) -> None:
    unsure, _ = run(checklist, None, {"E4": UNSURE})
    sure, _ = run(checklist, None, {"E4": YES})
    assert (unsure.extras, sure.extras) == ((), ("ces",))


EXTRAS = [
    ({}, {"E1": YES}, ("ces",)),
    ({}, {"E8": YES}, ("ambulance",)),
    ({"injury": "fall"}, {"E7": YES}, ("hip_fracture",)),
    ({"cancer": "yes"}, {"E14": YES}, ("cord",)),
    ({"pregnant": "yes"}, {"U3": YES}, ("pregnancy",)),
    ({"age": "10-17"}, {"U11": YES}, ("young_hip",)),
    ({"age": "10-17", "injury": "strain"}, {"U12": YES, "U11": YES}, ("young_hip",)),
    ({"legs": "one"}, {"U13": YES}, ("weakness",)),
    ({}, {"U1": YES, "E13": YES}, ("ambulance",)),
]


@pytest.mark.parametrize(("gates", "items", "extras"), EXTRAS)
def test_condition_specific_extras(
    checklist: Checklist, gates: dict[str, str], items: dict[str, Answer], extras: tuple[str, ...]
) -> None:
    assert run(checklist, gates, items)[0].extras == extras


def test_about_lists_answers_with_a_summary(checklist: Checklist) -> None:
    result, _ = run(checklist, {"age": "50-64", "legs": "one"}, {"U1": YES})
    assert [option.summary for option in result.about] == ["Age 50 to 64", "Symptoms in one leg"]
    result, _ = run(checklist, {"age": "skip", "pregnant": "unsure"}, {"U1": YES})
    assert [option.summary for option in result.about] == ["Might be pregnant"]


# --- progress ------------------------------------------------------------------------------


def test_progress_counts_what_is_certain(checklist: Checklist) -> None:
    steps: list[tuple[str, Answer, tuple[int, int]]] = [
        ("age", "18-49", (1, 18)),  # before the age: the shortest band (under 10)
        ("pregnant", NO, (2, 20)),  # pregnancy swaps questions: 20 if it applies
        ("E8", NO, (3, 21)),
        ("E9", NO, (4, 21)),
        ("cancer", "yes", (5, 21)),
        ("E14", NO, (6, 20)),  # a past cancer: E14 opens (+1), the routine questions go (-2)
    ]
    answers: dict[str, Answer] = {}
    for question_id, value, expected in steps:
        assert progress(checklist, answers) == expected, question_id
        answers = answer(answers, question_id, value)


def test_the_total_is_never_more_than_the_questions_met_unless_a_flag_cuts_it_short(
    checklist: Checklist, paths: list[Walk]
) -> None:
    longest = {profile(walk): walk for walk in sorted(paths, key=lambda walk: len(walk.asked))}
    sample = [*paths[::150], *longest.values()]  # a spread of paths, the longest of each kind
    for walk in sample:
        answers: dict[str, Answer] = {}
        for question_id in walk.asked:
            total = progress(checklist, answers)[1]
            flagged_later = any(
                tick.item.id not in answers and tick.tier.rank >= Tier.URGENT.rank
                for tick in walk.ticks
            )
            if not flagged_later:
                assert total <= len(walk.asked), (walk.asked, question_id)
            answers = answer(answers, question_id, walk.given[question_id])
        assert progress(checklist, answers) == (len(walk.asked), len(walk.asked))


def test_the_total_grows_when_a_topic_opens(checklist: Checklist) -> None:
    before = {"age": "18-49", "pregnant": NO, "E8": NO, "E9": NO, "cancer": NO}
    before |= {"E1": NO, "E2": NO, "U2": NO, "E3": NO, "E4": NO}
    closed = progress(checklist, before | {"legs": "no"})[1]
    opened = progress(checklist, before | {"legs": "both"})[1]
    assert opened == closed + 2


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"nope": YES},
        {"age": "70"},
        {"age": "18-49", "E8": "maybe"},
        {"pregnant": "skip"},  # this gate offers no "Prefer not to say"
        {"U5": YES},  # implied items are never answered
    ],
)
def test_bad_answers_raise(checklist: Checklist, answers: dict[str, Answer]) -> None:
    with pytest.raises(ValueError):
        next_step(checklist, answers)
    with pytest.raises(ValueError):
        replay(checklist, answers)


def test_answers_off_the_path_are_ignored(checklist: Checklist) -> None:
    answers = {"age": "18-49", "E10": YES, "U11": YES, "S2": NO}
    with pytest.raises(ValueError):
        outcome(checklist, answers)  # S2 is implied: never an answer
    answers = {"age": "18-49", "E10": YES, "U11": YES}
    assert outcome(checklist, answers).tier is Tier.NONE
    assert next_step(checklist, answers) == checklist.question("pregnant")


def test_answering_again_moves_the_answer_last() -> None:
    answers = answer({"age": NO, "pregnant": YES}, "age", YES)
    assert list(answers) == ["pregnant", "age"]
