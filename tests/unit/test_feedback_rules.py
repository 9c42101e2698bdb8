"""The rules behind "How did that feel?": level moves per area, hold progression, pain triage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.feedback import (
    Answered,
    Feeling,
    PainKind,
    PainOutcome,
    PainPlace,
    hold_steps,
    levels_after,
    personal_hold,
    triage,
)

GOOD, EASY, HARD, HURT = Feeling.GOOD, Feeling.TOO_EASY, Feeling.TOO_HARD, Feeling.HURT


@pytest.mark.parametrize(
    ("levels", "default", "areas", "feeling", "expected"),
    [
        # An area without its own level starts from the user's overall level.
        ({}, 1, ["glutes"], EASY, {"glutes": 2}),
        ({}, 2, ["glutes"], HARD, {"glutes": 1}),
        # One step per answer, each area once even when two stretches work it.
        ({"glutes": 1}, 1, ["glutes", "glutes", "quads"], EASY, {"glutes": 2, "quads": 2}),
        # Bounded to 1..3.
        ({"glutes": 3}, 1, ["glutes"], EASY, {"glutes": 3}),
        ({"glutes": 1}, 3, ["glutes"], HARD, {"glutes": 1}),
        # Other areas keep their level; Good and It hurt move nothing.
        ({"quads": 3}, 1, ["glutes"], EASY, {"quads": 3, "glutes": 2}),
        ({"quads": 2}, 1, ["quads"], GOOD, {"quads": 2}),
        ({}, 1, ["quads"], HURT, {}),
    ],
)
def test_too_easy_and_too_hard_move_each_area_one_step(
    levels: dict[str, int],
    default: int,
    areas: list[str],
    feeling: Feeling,
    expected: dict[str, int],
) -> None:
    assert levels_after(levels, default, areas, feeling) == expected


DAY = date(2026, 1, 5)


def on(days: int, feeling: Feeling) -> Answered:
    return Answered(DAY + timedelta(days=days), feeling)


@pytest.mark.parametrize(
    ("history", "steps"),
    [
        ([], 0),
        # Three good days over a week: one step.
        ([on(0, GOOD), on(3, GOOD), on(7, GOOD)], 1),
        # Three good days, but all within a week: not yet.
        ([on(0, GOOD), on(2, GOOD), on(6, GOOD)], 0),
        # The same day twice counts once.
        ([on(0, GOOD), on(0, GOOD), on(8, GOOD)], 0),
        # Two steps after two such weeks, then capped.
        ([on(d, GOOD) for d in (0, 4, 8, 12, 16, 20)], 2),
        ([on(d, GOOD) for d in range(0, 80, 4)], 2),
        # Too hard takes a step back and restarts the count.
        ([on(0, GOOD), on(4, GOOD), on(8, GOOD), on(9, HARD)], 0),
        ([*[on(d, GOOD) for d in (0, 4, 8, 12, 16, 20)], on(21, HARD), on(22, GOOD)], 1),
        # Too easy neither earns nor costs a step.
        ([on(0, GOOD), on(4, EASY), on(8, GOOD)], 0),
        # Once it hurt, never above the card, before or after.
        ([on(0, GOOD), on(4, GOOD), on(8, GOOD), on(9, HURT)], 0),
        ([on(0, HURT), *[on(d, GOOD) for d in range(1, 60, 3)]], 0),
    ],
)
def test_holds_grow_after_good_weeks_never_after_it_hurt(
    history: list[Answered], steps: int
) -> None:
    assert hold_steps(history) == steps
    assert hold_steps(list(reversed(history))) == steps  # order of storage does not matter


@pytest.mark.parametrize(
    ("card", "steps", "hold"),
    [(20, 0, 20), (20, 1, 30), (20, 2, 45), (30, 1, 45), (30, 2, 60), (45, 2, 60), (60, 1, 60)],
)
def test_the_hold_climbs_the_ladder_and_stops_at_its_top(card: int, steps: int, hold: int) -> None:
    assert personal_hold(card, steps) == hold


def test_a_card_longer_than_the_ladder_keeps_its_own_hold() -> None:
    assert personal_hold(90, 2) == 90


REASSURE = PainOutcome(stop=False, offer_check=False)
STOP = PainOutcome(stop=True, offer_check=False)
STOP_AND_CHECK = PainOutcome(stop=True, offer_check=True)


# Every answer pair: where it hurt, then what it felt like (columns in PainKind's order:
# mild, strong, sharp, nerve signs, worse next morning, new). A mild pull where it stretches
# (or in the low back) is what a stretch feels like; even a mild feeling in a joint means the
# joint is loaded; more than 3 out of 10, sharp or worse the next morning: stop; down a leg,
# nerve signs or something new: stop and offer the red-flag check.
R, S, C = REASSURE, STOP, STOP_AND_CHECK
TRIAGE = {
    PainPlace.STRETCHED: (R, S, S, C, S, C),
    PainPlace.LOWER_BACK: (R, S, S, C, S, C),
    PainPlace.JOINT: (S, S, S, C, S, C),
    PainPlace.DOWN_LEG: (C, C, C, C, C, C),
}


@pytest.mark.parametrize(
    ("place", "kind"), [(place, kind) for place in PainPlace for kind in PainKind], ids=str
)
def test_pain_triage_of_every_answer_pair(place: PainPlace, kind: PainKind) -> None:
    assert set(TRIAGE) == set(PainPlace)
    assert triage(place, kind) == TRIAGE[place][list(PainKind).index(kind)]
