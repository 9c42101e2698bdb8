"""At most one admin notice per kind of error per admin in 10 minutes; the next one says how
many were held back."""

from __future__ import annotations

from bot.domain.notices import NoticeThrottle
from bot.render.i18n import ENGLISH
from bot.render.notices import render_error_notice


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_notice_per_kind_per_admin_per_window_then_the_count() -> None:
    clock = Clock()
    throttle = NoticeThrottle(window=600, clock=clock)
    assert throttle.admit(1, "OperationalError") == 0  # the first is sent
    for _ in range(119):  # a failing tick every 5 s for 10 minutes
        clock.now += 5
        assert throttle.admit(1, "OperationalError") is None
    assert throttle.admit(2, "OperationalError") == 0  # each admin is told once
    assert throttle.admit(1, "ValueError") == 0  # another kind is news
    clock.now += 5  # 600 s after the first notice
    assert throttle.admit(1, "OperationalError") == 119
    clock.now += 1
    assert throttle.admit(1, "OperationalError") is None
    clock.now += 600
    assert throttle.admit(1, "OperationalError") == 1


def test_the_notice_names_the_kind_and_what_was_held_back() -> None:
    assert render_error_notice(ENGLISH, 5, "ValueError", 0) == (
        "⚠️ Limber error while handling update 5: ValueError"
    )
    text = render_error_notice(ENGLISH, None, "OperationalError", 119)
    assert text.startswith("⚠️ Limber error in a background job: OperationalError")
    assert "119 more OperationalError errors" in text and "10 minutes" in text
