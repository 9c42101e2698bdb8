"""The stretch safety questions as the user sees them: valid HTML, plain wording, buttons that
fit and decode back to exactly what they mean, and nothing else decoding as an answer."""

from __future__ import annotations

import itertools

import pytest

from bot.catalog import load_catalog
from bot.catalog.stretches import Movement
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.precautions import (
    RULED_OUT,
    Answer,
    Precaution,
    PrecautionAnswers,
    forbidden_movements,
)
from bot.render.callbacks import Action, Callback, decode, encode
from bot.render.i18n import ENGLISH
from bot.render.precautions import (
    MOVEMENT_WORDS,
    QUESTIONS,
    AnswerPress,
    Origin,
    describe_movements,
    parse_answer,
    parse_question,
    render_first_run_done,
    render_question,
    render_safety_screen,
    render_variant_withheld,
    summarize_answers,
)
from tests.unit.test_render import assert_buttons_fit, assert_fits, visible

LIBRARY = load_catalog(DEFAULT_CONTENT_DIR).stretches
EVERY_ANSWERS = [PrecautionAnswers(code) for code in range(4 ** len(Precaution))]
NO_TO_ALL = PrecautionAnswers(0b010101)  # No, two bits a question


@pytest.mark.parametrize(
    ("precaution", "origin"), list(itertools.product(Precaution, Origin)), ids=str
)
def test_each_question_is_plain_valid_and_its_buttons_mean_what_they_say(
    precaution: Precaution, origin: Origin
) -> None:
    text, keyboard = render_question(ENGLISH, precaution, PrecautionAnswers(), origin)
    assert_fits(text)
    assert_buttons_fit(keyboard)
    shown = visible(text)
    wording = QUESTIONS[precaution]
    assert wording.question in shown and f"Why I ask: {wording.why}" in shown
    assert wording.question.count("?") == 1 and "?" not in wording.why  # one idea each
    labels = [button.text for button in keyboard.inline_keyboard[0]]
    assert labels == ["Yes", "No", "Skip"]
    presses = [decode(b.callback_data) for b in keyboard.inline_keyboard[0]]  # type: ignore[arg-type]
    assert [parse_answer(p) for p in presses if p is not None] == [
        AnswerPress(precaution, answer, origin)
        for answer in (Answer.YES, Answer.NO, Answer.SKIPPED)
    ]
    # Before a first stretch the skip is explained; in settings the current answer is shown.
    assert ("Skip" in shown and "to be safe" in shown) is (origin is not Origin.SETTINGS)
    assert ("Your answer now: Not answered yet" in shown) is (origin is Origin.SETTINGS)


@pytest.mark.parametrize(
    "data",
    [
        "1:sa",
        "1:sa:hip:y",
        "1:sa:hip:y:f:extra",
        "1:sa:knee:y:f",
        "1:sa:hip:maybe:f",
        "1:sa:hip:y:x",
        "1:sa:HIP:Y:F",
        "1:sa:hip:0:f",  # the stored number for "not asked" is no answer
        "1:sq:hip",  # a question, not an answer
    ],
)
def test_anything_but_an_answer_we_make_decodes_to_no_answer(data: str) -> None:
    callback = decode(data)  # the codec refuses most of these outright
    assert callback is None or parse_answer(callback) is None


def test_only_the_three_questions_open_from_settings() -> None:
    for precaution in Precaution:
        assert parse_question(Callback(Action.SAFETY_QUESTION, (precaution.value,))) is precaution
    for args in [(), ("knee",), ("hip", "x")]:
        assert parse_question(Callback(Action.SAFETY_QUESTION, args)) is None
    assert parse_question(Callback(Action.SAFETY_ANSWER, ("hip",))) is None


@pytest.mark.parametrize("answers", EVERY_ANSWERS, ids=lambda a: f"code{a.code}")
def test_the_settings_screen_shows_every_answer_in_words(answers: PrecautionAnswers) -> None:
    text, keyboard = render_safety_screen(ENGLISH, answers)
    assert_fits(text)
    assert_buttons_fit(keyboard)
    shown = visible(text)
    words = {Answer.NOT_ASKED: "Not answered yet", Answer.NO: "No", Answer.YES: "Yes"}
    words[Answer.SKIPPED] = "Skipped"
    for precaution, wording in QUESTIONS.items():
        assert f"{wording.short}: {words[answers.answer(precaution)]}" in shown
    forbidden = forbidden_movements(answers)
    assert ("Nothing is left out." in shown) is (not forbidden)
    for movement, phrase in MOVEMENT_WORDS.items():
        assert (phrase in shown) is (movement in forbidden)
    targets = [decode(b.callback_data) for row in keyboard.inline_keyboard for b in row]  # type: ignore[arg-type]
    assert [parse_question(t) for t in targets[:3] if t is not None] == list(Precaution)
    assert targets[-1] == Callback(Action.SETTINGS)
    assert_fits(render_first_run_done(ENGLISH, answers))
    assert_fits(summarize_answers(ENGLISH, answers))


def test_the_short_summaries() -> None:
    assert all(NO_TO_ALL.answer(p) is Answer.NO for p in Precaution)
    assert summarize_answers(ENGLISH, PrecautionAnswers()) == "not answered yet"
    assert summarize_answers(ENGLISH, NO_TO_ALL) == "nothing left out"
    hip = NO_TO_ALL.with_answer(Precaution.HIP_REPLACEMENT, Answer.YES)
    assert summarize_answers(ENGLISH, hip) == "Hip replacement (yes)"
    assert "Nothing you told me rules out" in render_first_run_done(ENGLISH, NO_TO_ALL)
    done = visible(render_first_run_done(ENGLISH, hip))
    assert "bending the hip past a right angle" in done and "lying" not in done


def test_movements_read_as_a_list() -> None:
    assert describe_movements(ENGLISH, frozenset({Movement.LYING_ON_BACK})) == "lying on your back"
    assert describe_movements(ENGLISH, RULED_OUT[Precaution.PREGNANCY]) == (
        "lying on your back or lying on your front"
    )
    assert describe_movements(ENGLISH, RULED_OUT[Precaution.HIP_REPLACEMENT]) == (
        "bending the hip past a right angle, crossing a leg over the middle of the body "
        "or turning the hip inward"
    )


def test_every_ruled_out_movement_has_words() -> None:
    ruled_out = frozenset().union(*RULED_OUT.values())
    assert ruled_out == set(MOVEMENT_WORDS)


def test_a_withheld_variant_names_its_movement_and_the_way_on() -> None:
    pigeon = LIBRARY.get("pigeon-pose")
    assert pigeon is not None
    hip = NO_TO_ALL.with_answer(Precaution.HIP_REPLACEMENT, Answer.YES)
    text = visible(render_variant_withheld(ENGLISH, pigeon, easier=False, answers=hip))
    assert text.startswith("Harder: Pigeon pose")
    assert "bending the hip past a right angle" in text and "rounding the spine" not in text
    assert "safety answers rule out" in text and "Another" in text
    nothing = PrecautionAnswers()
    unasked = visible(render_variant_withheld(ENGLISH, pigeon, easier=True, answers=nothing))
    assert unasked.startswith("Easier: Pigeon pose") and "/stretch" in unasked
    for stretch, easier in itertools.product(LIBRARY.all(), (True, False)):
        if stretch.variant_movements(easier=easier) & forbidden_movements(PrecautionAnswers()):
            assert_fits(
                render_variant_withheld(
                    ENGLISH, stretch, easier=easier, answers=PrecautionAnswers()
                )
            )


def test_the_answer_buttons_stay_within_telegrams_limit() -> None:
    longest = max(Precaution, key=lambda p: len(p.value))
    assert len(encode(Action.SAFETY_ANSWER, longest.value, "s", "f").encode()) <= 64
