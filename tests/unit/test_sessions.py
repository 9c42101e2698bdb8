"""Guided sessions: the composition rule (time, order, safety, level, focus, variety)."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.catalog import Catalog, load_catalog
from bot.catalog.stretches import Movement, Role
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.picking import PickFor
from bot.domain.precautions import RULED_OUT, is_allowed
from bot.domain.sessions import (
    MAX_SECONDS,
    MIN_SECONDS,
    POSITION_ORDER,
    SessionComposer,
    SessionStep,
    fit_to_time,
    session_seconds,
)

CATALOG: Catalog = load_catalog(DEFAULT_CONTENT_DIR)
COMPOSER = SessionComposer(CATALOG.stretches)
AREAS = [None, *sorted({area.value for s in CATALOG.stretches.all() for area in s.areas})]
# Every combination of the three precautions' ruled-out movements.
FORBIDDEN = [
    frozenset[Movement]().union(*combo)
    for n in range(len(RULED_OUT) + 1)
    for combo in itertools.combinations(RULED_OUT.values(), n)
]


@pytest.mark.parametrize("forbidden", FORBIDDEN, ids=lambda f: "+".join(sorted(f)) or "none")
@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_session_is_a_safe_warm_up_three_stretches_and_a_hip_strength_move_in_6_to_8_minutes(
    forbidden: frozenset[Movement], level: int
) -> None:
    for area, seed in itertools.product(AREAS, range(6)):
        steps = COMPOSER.compose(
            PickFor(forbidden, focus_areas=[area] if area else [], level=level),
            rng=random.Random(seed),
        )
        roles = [step.stretch.role for step in steps]
        assert roles == [Role.WARM_UP, Role.STRETCH, Role.STRETCH, Role.STRETCH, Role.HIP_STRENGTH]
        assert MIN_SECONDS <= session_seconds(steps) <= MAX_SECONDS, [s.stretch.id for s in steps]
        assert all(is_allowed(step.stretch.movements, forbidden) for step in steps)
        assert len({step.stretch.id for step in steps}) == len(steps)
        assert all(1 <= step.rounds <= step.stretch.rounds for step in steps)
        middle = [POSITION_ORDER.index(step.stretch.position) for step in steps[1:4]]
        assert middle == sorted(middle)  # standing, then chair, then down to the floor


def test_stretches_follow_the_focus_and_stay_at_the_level() -> None:
    for seed in range(20):
        steps = COMPOSER.compose(
            PickFor(frozenset(), focus_areas=["hamstrings"], level=1), rng=random.Random(seed)
        )
        middle = [step.stretch for step in steps[1:4]]
        assert all(stretch.level == 1 for stretch in (s.stretch for s in steps))
        assert sum("hamstrings" in stretch.areas for stretch in middle) >= 2


def test_what_was_done_lately_is_left_for_another_day() -> None:
    first = COMPOSER.compose(PickFor(frozenset(), level=2), rng=random.Random(1))
    recent = [step.stretch.id for step in first[1:4]]
    second = COMPOSER.compose(
        PickFor(frozenset(), level=2, recent_ids=recent), rng=random.Random(1)
    )
    assert not {step.stretch.id for step in second[1:4]} & set(recent)


def test_a_short_session_gets_more_rounds_and_a_long_one_none() -> None:
    library = CATALOG.stretches
    short = [library.get(i) for i in ("standing-hip-circles", "seated-chair-rotation")]
    stretches = [s for s in short if s is not None]
    fitted = fit_to_time([stretches[0], stretches[1], stretches[1], stretches[1], stretches[0]])
    assert any(step.rounds > 1 for step in fitted)
    one_each = [SessionStep(step.stretch, 1) for step in fitted]
    assert session_seconds(one_each) < session_seconds(fitted) <= MAX_SECONDS


def test_step_lengths() -> None:
    library = CATALOG.stretches
    quad = library.get("standing-quad")  # 30 s hold, each side
    clamshell = library.get("clamshell")  # 12 reps, each side
    assert quad is not None and clamshell is not None
    # 15 s to read and get ready, 5 s count-in, 30 s, 5 s to switch, 30 s.
    assert SessionStep(quad, 1).seconds() == 15 + 5 + 30 + 5 + 30
    assert SessionStep(quad, 1).timed and not SessionStep(clamshell, 1).timed
    assert SessionStep(clamshell, 1).seconds() == 15 + 2 * 12 * 3 + 5


@pytest.mark.parametrize("forbidden", FORBIDDEN, ids=lambda f: "+".join(sorted(f)) or "none")
def test_named_routines_replace_what_the_safety_answers_rule_out(
    forbidden: frozenset[Movement],
) -> None:
    assert len(CATALOG.routines) >= 3
    for routine in CATALOG.routines:
        steps, replaced = COMPOSER.routine(routine, forbidden, random.Random(3))
        ids = [step.stretch.id for step in steps]
        assert all(is_allowed(step.stretch.movements, forbidden) for step in steps)
        assert len(ids) == len(routine.steps) and len(set(ids)) == len(ids)
        assert replaced == sum(a != b for a, b in zip(ids, routine.steps, strict=True))
        assert MIN_SECONDS <= session_seconds(steps) <= MAX_SECONDS
        if not forbidden:
            assert ids == list(routine.steps) and replaced == 0
