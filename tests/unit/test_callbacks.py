from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.callbacks import (
    ARG_SPECS,
    MAX_BYTES,
    Action,
    Callback,
    CallbackDataTooLong,
    decode,
    encode,
    pattern,
)

# One valid set of arguments per action: what the bot's own buttons carry.
SAMPLE_ARGS: dict[Action, tuple[str, ...]] = {
    Action.DONE: ("half-kneeling-hip-flexor",),
    Action.ANOTHER: ("pigeon-pose",),
    Action.EASIER: ("frog-stretch",),
    Action.HARDER: ("childs-pose",),
    Action.SNOOZE: ("60",),
    Action.SET_TIME: ("0730",),
    Action.TOGGLE_DAY: ("6",),
    Action.DAYS_PRESET: ("127",),
    Action.ZONE_REGION: ("Europe",),
    Action.SET_ZONE: ("America/Argentina/Buenos_Aires",),
    Action.TOGGLE_FOCUS: ("hip_flexors",),
    Action.ONBOARD_FOCUS: ("glutes",),
    Action.ONBOARD_LEVEL: ("2",),
    Action.ONBOARD_NEED: ("kneel",),
    Action.ONBOARD_NEXT: ("4",),
    Action.SET_LANGUAGE: ("pt_BR",),
    Action.PAUSE: ("7",),
    Action.REDFLAGS_ANSWER: ("2", "tk2x9q1", "a0z9", "s0b2xk", "1ny"),
    Action.REDFLAGS_BACK: ("2", "tk2x9q1", "a0z9", "s0b2xk", ""),
    Action.FORGET_CONFIRM: ("12345",),
    Action.SAFETY_QUESTION: ("hip",),
    Action.SAFETY_ANSWER: ("bone", "n", "f"),
    Action.FEEL: ("pigeon-pose", "tk2x9q1", "x"),
    Action.FEEL_SESSION: ("0f3a", "000a1b", "tk2x9q1", "g"),
    Action.PAIN_PLACE: ("pigeon-pose", "tk2x9q1", "l"),
    Action.PAIN_KIND: ("pigeon-pose", "tk2x9q1", "l", "n"),
    Action.BRING_BACK: ("pigeon-pose",),
    Action.TIMER_START: ("clamshell",),
    Action.SESSION_START: ("desk-break",),
    Action.SESSION_TIMER: ("999999", "4"),
    Action.SESSION_NEXT: ("1", "0"),
    Action.SESSION_SKIP: ("52", "15"),
    Action.SESSION_STOP: ("52",),
    Action.WEEKLY_SET: ("0", "m"),
    Action.CHECKIN_TOGGLE: ("1",),
    Action.WEEKLY_DAY: ("6",),
    Action.WEEKLY_TIME: ("r",),
    Action.LEARN_SHOW: ("when-to-see-someone",),
    Action.REENGAGE: ("keep",),
    Action.CHECKIN_ANSWER: ("new",),
}


@pytest.mark.parametrize("action", list(Action))
def test_every_action_round_trips(action: Action) -> None:
    args = SAMPLE_ARGS.get(action, ())
    assert decode(encode(action, *args)) == Callback(action, args)


def test_every_action_has_an_argument_spec() -> None:
    assert set(ARG_SPECS) == set(Action)


def test_longest_stretch_id_fits() -> None:
    data = encode(Action.ANOTHER, "x" * 40)
    assert len(data.encode()) <= MAX_BYTES


def test_the_longest_pain_answer_and_session_feedback_fit() -> None:
    # A seven-digit stamp reaches 2084; a session of twelve stretches.
    assert encode(Action.PAIN_KIND, "x" * 40, "zzzzzzz", "l", "n")
    assert encode(Action.FEEL_SESSION, "ffff", "zz" * 12, "zzzzzzz", "h")


def test_too_long_is_refused_at_encode_time() -> None:
    with pytest.raises(CallbackDataTooLong):
        encode(Action.DONE, "x" * 70)


def test_separator_in_argument_is_refused() -> None:
    with pytest.raises(ValueError):
        encode(Action.DONE, "a:b")


def test_arguments_outside_the_spec_are_refused_at_encode_time() -> None:
    with pytest.raises(ValueError):
        encode(Action.TOGGLE_DAY, "9")


@pytest.mark.parametrize(
    "data",
    [
        None, "", "1", "1:", "0:d:x", "2:d:x", "1:zz:x", "garbage", "d:x", "1:" + "a" * 80,
        "é" * 40,
        # Forged buttons that crashed handlers: superscript digits pass str.isdigit().
        "1:t:²³⁴⁵", "1:dp:²", "1:dt:³", "1:fc:¹",
        # Numbers out of range, wrong counts, unknown choices.
        "1:t:2460", "1:t:0760", "1:t:123", "1:dp:0", "1:dp:128", "1:dp:99999999999999999999",
        "1:dt:7", "1:z:30", "1:p:2", "1:d", "1:d:a:b", "1:sn:x", "1:k:1",
        "1:d:UPPER", "1:d:-leading-dash", "1:zs:../etc", "1:zs:Europe/Ber lin",
        "1:ra:1:zzzzzzzzzzzz:0", "1:ra:2:zzzzzzzzzzzz:abcd:zz:y", "1:ra:1:a:b:c:d:e:f",
        "1:ra:2:a:abc:b:y", "1:ra:2:A:abcd:b:y",
        "1:fc:0", "1:fc:99999999999",
    ],
)  # fmt: skip
def test_stale_malformed_or_forged_decodes_to_none(data: str | None) -> None:
    assert decode(data) is None


def test_callback_arg_access() -> None:
    callback = Callback(Action.DONE, ("a",))
    assert (callback.arg(), callback.arg(1)) == ("a", None)


def _valid_ascii_number(text: str) -> bool:
    return re.fullmatch(r"[0-9]+", text) is not None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80) | st.binary(max_size=80).map(lambda b: b.decode("latin-1")))
def test_decode_never_raises_and_returns_only_what_the_spec_allows(data: str) -> None:
    callback = decode(data)
    if callback is None:
        return
    assert data.isascii() and len(data.encode()) <= MAX_BYTES
    assert ARG_SPECS[callback.action].accepts(callback.args)
    # Whatever decodes also encodes back to the same bytes: one canonical form.
    assert encode(callback.action, *callback.args) == data


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(Action)),
    st.lists(st.text(alphabet="0123456789²³¹٣abczAZ/-_", max_size=14), max_size=6),
)
def test_numbers_that_decode_are_plain_ascii_digits(action: Action, args: list[str]) -> None:
    data = ":".join(["1", action.value, *args])
    callback = decode(data)
    if callback is not None and action in (Action.SET_TIME, Action.TOGGLE_DAY, Action.DAYS_PRESET):
        assert all(_valid_ascii_number(arg) for arg in callback.args)
        int(callback.args[0])  # cannot raise


@pytest.mark.parametrize(
    ("actions", "data", "routed"),
    [
        ((Action.DONE, Action.ANOTHER), "1:d:pigeon-pose", True),
        ((Action.DONE, Action.ANOTHER), "1:a:pigeon-pose", True),
        ((Action.DONE,), "1:dm", False),  # a longer code that starts with the same letter
        ((Action.DAYS_MENU,), "1:dm", True),
        ((Action.DONE,), "2:d:pigeon-pose", False),
    ],
)
def test_routing_pattern_is_built_from_the_codec(
    actions: tuple[Action, ...], data: str, routed: bool
) -> None:
    assert (re.match(pattern(*actions), data) is not None) is routed


@pytest.mark.parametrize(
    "data", ["1:gn:0:1", "1:gn:1000000:1", "1:gn:5:16", "1:gn:5", "1:gx:5:1", "1:gs:Desk", "1:tt:"]
)
def test_session_buttons_out_of_range_are_stale(data: str) -> None:
    assert decode(data) is None
