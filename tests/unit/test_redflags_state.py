"""The red-flag check's state in its buttons: what they carry, and a strict decoder that never
crashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog.redflags import Checklist, load_redflags
from bot.domain.redflags import NO, Answer, next_step
from bot.domain.redflags_state import (
    ARG_LIMITS,
    DIGITS,
    CheckId,
    CheckState,
    base36,
    decode_answers,
    decode_state,
    encode_answers,
    new_check,
)
from bot.render.callbacks import MAX_BYTES, Action, decode
from bot.render.i18n import ENGLISH
from bot.render.redflags_buttons import question_keyboard
from tests.unit.redflags_paths import CONTENT, no_to_everything, walk_with

NOW = datetime(2026, 11, 28, 9, 30, 15, tzinfo=UTC)
IDLE = timedelta(minutes=15)
CHECK = CheckId(int(NOW.timestamp()) - 120, "k3z9")


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_redflags(CONTENT)


def press(
    checklist: Checklist,
    code: str,
    *,
    started: str | None = None,
    shown: str | None = None,
    nonce: str = CHECK.nonce,
    version: str | None = None,
) -> CheckState | None:
    args = (
        version if version is not None else str(checklist.version),
        started if started is not None else base36(CHECK.started),
        nonce,
        shown if shown is not None else base36(int(NOW.timestamp()) // 60 - 1),
        code,
    )
    return decode_state(checklist, args, NOW, IDLE)


def every_no_code(checklist: Checklist) -> str:
    walk = walk_with(checklist, no_to_everything())
    return encode_answers(checklist, {key: walk.given[key] for key in walk.asked})


# --- what a button carries -----------------------------------------------------------------


def test_answers_round_trip_through_the_code(checklist: Checklist) -> None:
    code = every_no_code(checklist)
    answers = decode_answers(checklist, code)
    assert answers is not None and len(code) == len(answers) == 21
    assert encode_answers(checklist, answers) == code
    assert code[0] == DIGITS[4]  # the age gate's "No" is its fifth option


def test_every_button_fits_telegram_and_carries_the_check(checklist: Checklist) -> None:
    walk = walk_with(checklist, no_to_everything({"legs": "both", "injury": "unsure"}))
    answers = {key: walk.given[key] for key in walk.asked}
    longest = encode_answers(checklist, answers)
    partial = decode_answers(checklist, longest[:-1])
    assert partial is not None
    step = next_step(checklist, partial)
    keyboard = question_keyboard(ENGLISH, checklist, step, partial, CHECK, NOW)  # type: ignore[arg-type]
    for row in keyboard.inline_keyboard:
        for button in row:
            data = str(button.callback_data)
            assert len(data.encode()) <= MAX_BYTES
            callback = decode(data)
            assert callback is not None
            if callback.action in (Action.REDFLAGS_ANSWER, Action.REDFLAGS_BACK):
                state = decode_state(checklist, callback.args, NOW, IDLE)
                assert state is not None and state.check == CHECK


def test_a_new_check_gets_a_fresh_identity() -> None:
    first, second = new_check(NOW), new_check(NOW)
    assert first.started == second.started == int(NOW.timestamp())
    assert len(first.nonce) == 4 and set(first.nonce) <= set(DIGITS)
    assert len({new_check(NOW).key for _ in range(50)}) > 45  # random, not a counter
    assert CHECK.key == f"{base36(CHECK.started)}-k3z9"


def test_a_good_press_decodes(checklist: Checklist) -> None:
    assert press(checklist, "41") is not None  # the control for every bad case below
    state = press(checklist, "41n")
    assert state is not None
    assert state.answers == {"age": "18-49", "pregnant": NO, "E8": NO}
    assert state.check == CHECK


# --- stale, expired, forged ------------------------------------------------------------------

BAD_ARGS = [
    # (what is wrong, keyword arguments for press)
    ("old content version", {"code": "41", "version": "1"}),
    ("overflowing start stamp", {"code": "41", "started": "zzzzzzzzzzzz"}),
    ("overflowing shown stamp", {"code": "41", "shown": "zzzzzzzzzzzz"}),
    ("start stamp in the future", {"code": "41", "started": base36(int(NOW.timestamp()) + 3600)}),
    ("shown in the future", {"code": "41", "shown": base36(int(NOW.timestamp()) // 60 + 60)}),
    ("shown before the start", {"code": "41", "shown": base36(CHECK.started // 60 - 5)}),
    ("expired", {"code": "41", "shown": base36(int(NOW.timestamp()) // 60 - 20)}),
    ("superscript digits", {"code": "41", "started": "²³⁴⁵"}),
    ("arabic-indic digits", {"code": "41", "shown": "٣٤٥"}),
    ("upper case", {"code": "41N"}),
    ("empty stamp", {"code": "41", "started": ""}),
    ("short nonce", {"code": "41", "nonce": "k3z"}),
    ("nonce with a symbol", {"code": "41", "nonce": "k3-9"}),
    ("option out of range", {"code": "9"}),
    ("not an answer", {"code": "41q"}),
    ("answers after the end", {"code": "41" + "n" * 38}),
]


@pytest.mark.parametrize(("what", "kwargs"), BAD_ARGS, ids=[case[0] for case in BAD_ARGS])
def test_bad_presses_are_stale_not_errors(
    checklist: Checklist, what: str, kwargs: dict[str, str]
) -> None:
    assert press(checklist, **kwargs) is None


def test_the_whole_path_then_one_more_is_refused(checklist: Checklist) -> None:
    code = every_no_code(checklist)
    assert press(checklist, code) is not None
    assert press(checklist, code + "n") is None


@pytest.mark.parametrize(
    "data",
    ["1:ra:1:zzzzzzzzzzzz:0", "1:ra", "1:rb:2", "1:ra:2:a:b:c:d:e:f", "1:rx:2:a:bcde:f:4"],
)
def test_forged_callback_data_is_stale(checklist: Checklist, data: str) -> None:
    callback = decode(data)
    assert callback is None or decode_state(checklist, callback.args, NOW, IDLE) is None


# --- property: anything at all decodes to a state or to None, never an exception -----------

_ALPHABET = st.sampled_from([*DIGITS, *"YN:²٣-_ \x00é"])
_ARG = st.text(_ALPHABET, max_size=14) | st.text(max_size=14)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80) | st.binary(max_size=80).map(lambda b: b.decode("utf-8", "replace")))
def test_any_callback_data_never_crashes_the_decoder(checklist: Checklist, data: str) -> None:
    callback = decode(data)
    if callback is not None:
        decode_state(checklist, callback.args, NOW, IDLE)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ARG, min_size=0, max_size=7))
def test_any_arguments_decode_to_a_valid_state_or_none(
    checklist: Checklist, args: list[str]
) -> None:
    state = decode_state(checklist, tuple(args), NOW, IDLE)
    if state is not None:
        assert NOW - IDLE - timedelta(minutes=2) <= state.shown_at <= NOW + timedelta(minutes=1)
        assert state.check.started <= NOW.timestamp() + 60
        assert all(len(arg) <= limit for arg, limit in zip(args, ARG_LIMITS, strict=True))
        answers: dict[str, Answer] = state.answers
        assert encode_answers(checklist, answers) == args[4]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(DIGITS), max_size=30))
def test_any_answer_code_replays_or_is_refused(checklist: Checklist, code: str) -> None:
    answers = decode_answers(checklist, code)
    if answers is not None:
        assert encode_answers(checklist, answers) == code
        next_step(checklist, answers)  # the engine accepts what the decoder let through
