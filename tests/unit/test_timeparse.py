"""Table-driven tests for bot.domain.timeparse."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.timeparse import MAX_INPUT_LENGTH, format_time, parse_time

ACCEPTED = [
    # 24-hour with separators
    ("07:30", time(7, 30)),
    ("7:30", time(7, 30)),
    ("7.30", time(7, 30)),
    ("00:00", time(0, 0)),
    ("0:00", time(0, 0)),
    ("23:59", time(23, 59)),
    ("12:00", time(12, 0)),
    ("7 : 30", time(7, 30)),
    # compact digits
    ("0730", time(7, 30)),
    ("730", time(7, 30)),
    ("1930", time(19, 30)),
    ("0000", time(0, 0)),
    ("2359", time(23, 59)),
    ("005", time(0, 5)),
    # hour only
    ("7", time(7, 0)),
    ("07", time(7, 0)),
    ("19", time(19, 0)),
    ("0", time(0, 0)),
    ("23", time(23, 0)),
    # am / pm
    ("7pm", time(19, 0)),
    ("7 pm", time(19, 0)),
    ("7PM", time(19, 0)),
    ("7am", time(7, 0)),
    ("7:30 am", time(7, 30)),
    ("7:30am", time(7, 30)),
    ("7.30PM", time(19, 30)),
    ("7.30 p.m.", time(19, 30)),
    ("7 a.m.", time(7, 0)),
    ("7:30p.m", time(19, 30)),
    ("7p", time(19, 0)),
    ("12am", time(0, 0)),
    ("12:30am", time(0, 30)),
    ("12pm", time(12, 0)),
    ("12:45 pm", time(12, 45)),
    ("1am", time(1, 0)),
    ("11:59pm", time(23, 59)),
    ("730pm", time(19, 30)),
    # French / German "h"
    ("19h", time(19, 0)),
    ("19h30", time(19, 30)),
    ("19:30h", time(19, 30)),
    ("7h05", time(7, 5)),
    ("19H30", time(19, 30)),
    # whitespace and odd characters
    ("  07:30  ", time(7, 30)),
    ("\t7:30\n", time(7, 30)),
    ("０７：３０", time(7, 30)),  # full-width digits and colon
    ("7：30", time(7, 30)),
    ("7∶30", time(7, 30)),  # U+2236 RATIO
    ("7꞉30", time(7, 30)),  # U+A789 MODIFIER LETTER COLON
    ("７ｐｍ", time(19, 0)),
    # words
    ("noon", time(12, 0)),
    ("Midnight", time(0, 0)),
    ("midday", time(12, 0)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


REJECTED = [
    "",
    "   ",
    "25:99",
    "24:00",
    "2400",
    "24",
    "25",
    "13pm",
    "0am",
    "0pm",
    "13:30pm",
    "banana",
    "7:60",
    "760",
    "-1",
    "-7:30",
    "7:3",
    "7:300",
    "7:30:00",
    "12345",
    "7.",
    ":30",
    "7m",
    "7 o'clock",
    "seven",
    "7:30 xm",
    "7pm pm",
    "1.5",
    "७:३०x",
    "7_30",
    "\x00",
    "1" * 5000,
    "7:30" + " " * 40 + "pm",  # too long once the inner padding is counted
]


@pytest.mark.parametrize("text", REJECTED)
def test_rejects(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "1" * 5000,
        "7:" * 2500,
        " " * 5000 + "banana",
        "a" * 5000,
        "7" + " " * 4998 + "7",
        "9" * 10**6,
    ],
)
def test_huge_input_is_rejected(text: str) -> None:
    assert parse_time(text) is None


def test_longest_accepted_input_still_parses() -> None:
    text = "07:30 pm".center(MAX_INPUT_LENGTH)
    assert parse_time(text) == time(19, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(7, 30), "07:30"),
        (time(0, 0), "00:00"),
        (time(23, 59), "23:59"),
        (time(12, 5, 59), "12:05"),  # seconds are not shown
    ],
)
def test_format_time(value: time, expected: str) -> None:
    assert format_time(value) == expected


def test_every_minute_round_trips() -> None:
    for hour in range(24):
        for minute in range(60):
            value = time(hour, minute)
            assert parse_time(format_time(value)) == value
            assert parse_time(f"{hour}:{minute:02d}") == value
            assert parse_time(f"{hour}{minute:02d}") == value
            twelve = hour % 12 or 12
            meridiem = "am" if hour < 12 else "pm"
            assert parse_time(f"{twelve}:{minute:02d} {meridiem}") == value
