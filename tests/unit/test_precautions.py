"""Stretch safety: what each answer rules out of the real library, the answers' codec, and
that no pick (any answers, focus, level, history) ever uses a ruled-out movement."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.catalog import load_catalog
from bot.catalog.stretches import Area, Movement
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.picking import StretchPicker
from bot.domain.precautions import (
    EVERY_PRECAUTION,
    RULED_OUT,
    Answer,
    Precaution,
    PrecautionAnswers,
    forbidden_for_stored,
    forbidden_movements,
)

LIBRARY = load_catalog(DEFAULT_CONTENT_DIR).stretches
M = Movement

# Every combination of answers, as a user can leave them (not asked, No, Yes, skipped).
EVERY_ANSWERS = [
    PrecautionAnswers().with_answer(Precaution.HIP_REPLACEMENT, hip)
    .with_answer(Precaution.PREGNANCY, pregnancy)
    .with_answer(Precaution.OSTEOPOROSIS, bones)
    for hip, pregnancy, bones in itertools.product(Answer, repeat=3)
]  # fmt: skip


def answers(**given: Answer) -> PrecautionAnswers:
    """Answers with every question No except those given (hip=..., preg=..., bone=...)."""
    result = PrecautionAnswers()
    for precaution in Precaution:
        result = result.with_answer(precaution, given.get(precaution.value, Answer.NO))
    return result


# --- what each question leaves out ----------------------------------------------------------


def excluded_by(given: PrecautionAnswers) -> set[str]:
    forbidden = forbidden_movements(given)
    return {s.id for s in LIBRARY.all() if s.movements & forbidden}


def test_a_hip_replacement_leaves_out_deep_flexion_crossing_and_inward_rotation() -> None:
    left_out = excluded_by(answers(hip=Answer.YES))
    assert {
        "pigeon-pose",
        "fire-log-pose",
        "seated-figure-four",
        "lying-figure-four",
        "knee-to-opposite-shoulder",
        "knees-to-chest",
        "childs-pose",
        "deep-squat-hold",
        "ninety-ninety-switches",
        "lying-knee-drop-twist",
        "hip-cars",
        "half-kneeling-hip-flexor-rotation",
        "seated-chair-hamstring",
    } <= left_out
    assert not {"standing-quad", "glute-bridge", "half-kneeling-hip-flexor", "sphinx-pose"} & (
        left_out
    )


def test_pregnancy_leaves_out_lying_on_the_back_or_front() -> None:
    left_out = excluded_by(answers(preg=Answer.YES))
    assert left_out == {s.id for s in LIBRARY.all() if s.position in ("lying_back", "lying_front")}
    assert {"glute-bridge", "knees-to-chest", "pelvic-tilts", "sphinx-pose"} <= left_out


def test_osteoporosis_leaves_out_loaded_forward_bends_and_end_range_twists() -> None:
    left_out = excluded_by(answers(bone=Answer.YES))
    assert {
        "childs-pose",
        "knees-to-chest",
        "fire-log-pose",
        "lying-knee-drop-twist",
        "open-book",
        "seated-chair-rotation",
        "thread-the-needle",
        "worlds-greatest-stretch",
    } == left_out


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (answers(), frozenset()),
        (answers(hip=Answer.YES), RULED_OUT[Precaution.HIP_REPLACEMENT]),
        (answers(hip=Answer.SKIPPED), RULED_OUT[Precaution.HIP_REPLACEMENT]),
        (answers(preg=Answer.YES), frozenset({M.LYING_ON_BACK, M.LYING_ON_FRONT})),
        (answers(bone=Answer.NOT_ASKED), frozenset({M.LOADED_FORWARD_BEND, M.END_RANGE_TWIST})),
        (PrecautionAnswers(), EVERY_PRECAUTION),
    ],
    ids=["all-no", "hip-yes", "hip-skipped", "pregnant", "bones-not-asked", "nothing-asked"],
)
def test_only_a_plain_no_clears_a_precaution(
    given: PrecautionAnswers, expected: frozenset[Movement]
) -> None:
    assert forbidden_movements(given) == expected


@pytest.mark.parametrize("given", EVERY_ANSWERS, ids=lambda a: f"code{a.code}")
def test_every_answer_but_no_rules_out_its_movements(given: PrecautionAnswers) -> None:
    forbidden = forbidden_movements(given)
    assert forbidden <= EVERY_PRECAUTION
    for precaution in Precaution:
        cleared = given.answer(precaution) is Answer.NO
        assert (RULED_OUT[precaution] <= forbidden) is not cleared
        assert bool(RULED_OUT[precaution] & forbidden) is not cleared


# --- the picker never returns a ruled-out stretch --------------------------------------------

FOCUSES: list[tuple[str, ...]] = [(), *((area.value,) for area in Area), ("piriformis", "quads")]


@pytest.mark.parametrize("given", EVERY_ANSWERS, ids=lambda a: f"code{a.code}")
def test_no_pick_ever_uses_a_forbidden_movement(given: PrecautionAnswers) -> None:
    picker = StretchPicker(LIBRARY.all())
    forbidden = forbidden_movements(given)
    ids = [s.id for s in LIBRARY.all()]
    rng = random.Random(given.code)
    for focus, level in itertools.product(FOCUSES, (1, 2, 3)):
        for _ in range(25):
            recent = rng.sample(ids, rng.randrange(0, 6))
            picked = picker.pick(
                forbidden=forbidden, focus_areas=focus, level=level, recent_ids=recent, rng=rng
            )
            assert not picked.movements & forbidden, (given.code, focus, level, picked.id)


def test_a_focus_with_every_stretch_ruled_out_falls_back_to_safe_ones_elsewhere() -> None:
    # Every piriformis stretch bends the hip far or crosses the legs.
    forbidden = forbidden_movements(answers(hip=Answer.YES))
    assert all(s.movements & forbidden for s in LIBRARY.all() if Area.PIRIFORMIS in s.areas)
    picker = StretchPicker(LIBRARY.all())
    rng = random.Random(5)
    picked = {
        picker.pick(forbidden=forbidden, focus_areas=["piriformis"], level=1, rng=rng)
        for _ in range(300)
    }
    assert len(picked) > 3  # a variety of safe stretches, not one fixed stand-in
    assert all(not s.movements & forbidden and s.level == 1 for s in picked)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_precaution_at_once_still_leaves_stretches_at_every_level(level: int) -> None:
    safe = [s for s in LIBRARY.all() if not s.movements & EVERY_PRECAUTION and s.level <= level]
    assert len(safe) >= 5


# --- the stored answers ----------------------------------------------------------------------


def test_the_code_keeps_each_answer_and_tells_not_asked_from_skipped() -> None:
    codes = {a.code for a in EVERY_ANSWERS}
    assert len(codes) == 4 ** len(Precaution) and max(codes) < 2**15  # fits a SMALLINT
    for given in EVERY_ANSWERS:
        for precaution, answer in itertools.product(Precaution, Answer):
            changed = given.with_answer(precaution, answer)
            assert changed.answer(precaution) is answer
            others = [p for p in Precaution if p is not precaution]
            assert all(changed.answer(p) is given.answer(p) for p in others)
    skipped = PrecautionAnswers().with_answer(Precaution.PREGNANCY, Answer.SKIPPED)
    assert skipped.answer(Precaution.PREGNANCY) is Answer.SKIPPED
    assert PrecautionAnswers().answer(Precaution.PREGNANCY) is Answer.NOT_ASKED


def test_questions_come_in_order_until_each_has_an_answer() -> None:
    given = PrecautionAnswers()
    asked = []
    while (question := given.next_unasked()) is not None:
        asked.append(question)
        given = given.with_answer(question, Answer.SKIPPED)
    assert asked == list(Precaution) and given.complete
    assert answers(hip=Answer.NOT_ASKED).next_unasked() is Precaution.HIP_REPLACEMENT


@pytest.mark.parametrize("code", [-1, 64, 9999])
def test_a_stored_code_no_version_wrote_counts_as_nothing_asked(code: int) -> None:
    assert PrecautionAnswers.stored(code) == PrecautionAnswers()
    assert forbidden_for_stored(code) == EVERY_PRECAUTION
    with pytest.raises(ValueError):
        PrecautionAnswers(code)


def test_the_ticks_lookup_by_stored_code_agrees_with_the_rule() -> None:
    for given in EVERY_ANSWERS:
        assert forbidden_for_stored(given.code) == forbidden_movements(given)
