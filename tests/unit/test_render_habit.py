"""The re-engagement offer and the pain check-in screens: valid HTML within Telegram's limits,
in English and in the pseudo-locale, buttons within 64 bytes."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.checkin import Advice, PainAnswer
from bot.domain.emergency_numbers import NUMBERS
from bot.domain.reengagement import OfferChoice
from bot.domain.stats import DayRetention, Retention, Stats, UserCounts
from bot.render.checkin import (
    checkins_toggle_button,
    describe_checkins,
    render_checkin_advice,
    render_checkin_history,
    render_checkin_question,
)
from bot.render.i18n import ENGLISH, Translator
from bot.render.reengagement import render_offer, render_offer_answer
from bot.render.stats import render_stats
from tests.unit.test_render import assert_buttons_fit, assert_fits, visible


def test_offer_and_its_answers(t: Translator) -> None:
    text, keyboard = render_offer(t)
    assert_fits(text)
    assert_buttons_fit(keyboard)
    for choice in OfferChoice:
        assert_fits(render_offer_answer(t, choice))


@pytest.mark.parametrize("country", [None, "GB", "DE", "US"])
def test_checkin_question_and_every_outcome(t: Translator, country: str | None) -> None:
    text, keyboard = render_checkin_question(t)
    assert_fits(text)
    assert_buttons_fit(keyboard)
    emergency = NUMBERS[country] if country else None
    for answer in PainAnswer:
        for advice in Advice:
            reply, buttons = render_checkin_advice(t, advice, answer, emergency)
            assert_fits(reply)
            if buttons is not None:
                assert_buttons_fit(buttons)
    for on in (True, False):
        assert_fits(describe_checkins(t, on))
        assert checkins_toggle_button(t, on).text


def test_history_block_newest_first_in_words(t: Translator) -> None:
    assert_fits(render_checkin_history(t, []))
    history = [(date(2026, 3, 2), PainAnswer.SAME), (date(2026, 3, 16), PainAnswer.WORSE)]
    block = render_checkin_history(t, history)
    assert_fits(block)
    if t is ENGLISH:
        assert visible(block).splitlines()[1:] == [
            "• 16 Mar 2026: worse",
            "• 2 Mar 2026: about the same",
        ]


def test_the_helpline_is_named_only_where_the_country_has_one() -> None:
    gb, _ = render_checkin_advice(ENGLISH, Advice.SEE_CLINICIAN, PainAnswer.WORSE, NUMBERS["GB"])
    us, _ = render_checkin_advice(ENGLISH, Advice.SEE_CLINICIAN, PainAnswer.WORSE, NUMBERS["US"])
    assert "<b>111</b> (NHS 111" in gb
    assert "advice by phone" not in us


def test_stats_with_retention(t: Translator) -> None:
    retention = Retention(
        (DayRetention(1, 40, 12), DayRetention(7, 30, 9), DayRetention(30, 0, 0)), 25, 60, 88
    )
    shown = render_stats(t, Stats(UserCounts(3, 2, 1), {"sent": 4}, {}, retention=retention))
    assert_fits(shown)
    if t is ENGLISH:
        assert visible(shown).splitlines()[-2:] == [
            "Active after first contact: day 1: 12 of 40 (30%), day 7: 9 of 30 (30%), "
            "day 30: 0 of 0 (-)",
            "Last 7 days: 25 active users, 60 sessions, 88 stretches done",
        ]
