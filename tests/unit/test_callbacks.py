from __future__ import annotations

import pytest

from bot.render.callbacks import (
    MAX_BYTES,
    Action,
    Callback,
    CallbackDataTooLong,
    decode,
    encode,
)


@pytest.mark.parametrize("action", list(Action))
def test_every_action_round_trips(action: Action) -> None:
    data = encode(action, "half-kneeling-hip-flexor")
    assert decode(data) == Callback(action, ("half-kneeling-hip-flexor",))


def test_round_trip_without_arguments() -> None:
    assert decode(encode(Action.STRETCH_NOW)) == Callback(Action.STRETCH_NOW, ())


def test_longest_stretch_id_fits() -> None:
    data = encode(Action.ANOTHER, "x" * 40)
    assert len(data.encode()) <= MAX_BYTES


def test_too_long_is_refused_at_encode_time() -> None:
    with pytest.raises(CallbackDataTooLong):
        encode(Action.DONE, "x" * 70)


def test_separator_in_argument_is_refused() -> None:
    with pytest.raises(ValueError):
        encode(Action.DONE, "a:b")


@pytest.mark.parametrize(
    "data",
    [None, "", "1", "1:", "0:d:x", "2:d:x", "1:zz:x", "garbage", "d:x", "1:" + "a" * 80, "é" * 40],
)
def test_stale_or_malformed_decodes_to_none(data: str | None) -> None:
    assert decode(data) is None


def test_callback_arg_access() -> None:
    callback = Callback(Action.DONE, ("a",))
    assert (callback.arg(), callback.arg(1)) == ("a", None)
