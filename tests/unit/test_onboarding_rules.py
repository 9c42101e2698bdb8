"""The pure rules under onboarding: its steps, the "cannot" bits, the reply a screen waits for,
and guessing the zone from the language or from the time it is for the user now."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.catalog.stretches import Need
from bot.domain.abilities import cannot_of, code_of, toggle_need
from bot.domain.activity import celebrates
from bot.domain.awaiting import awaiting_zone_for, awaits_zone, pending_now, pending_time
from bot.domain.onboarding import Step, current_step, step_after, step_number
from bot.domain.zone_guess import (
    likely_zones,
    local_minute,
    offset_from_clock,
    zones_at_offset,
    zones_near,
)
from bot.render.i18n import ENGLISH
from bot.render.settings import COMMON_TIMES, time_menu_keyboard


def test_steps_run_in_order_and_the_zone_only_follows_a_reminder_time() -> None:
    assert step_after(Step.FOCUS, has_reminder_time=False) is Step.LEVEL
    assert step_after(Step.SAFETY, has_reminder_time=False) is Step.TIME
    assert step_after(Step.TIME, has_reminder_time=False) is None
    assert step_after(Step.TIME, has_reminder_time=True) is Step.ZONE
    assert step_after(Step.ZONE, has_reminder_time=True) is None
    assert [step_number(s) for s in Step] == [1, 2, 3, 4, 5, 5]  # the zone is the time's step


@pytest.mark.parametrize(
    ("stored", "step"), [(None, None), (1, Step.FOCUS), (6, Step.ZONE), (99, None)]
)
def test_a_stored_step_reads_back_and_an_unknown_one_means_done(
    stored: int | None, step: Step | None
) -> None:
    assert current_step(stored) is step


def test_cannot_bits_toggle_and_round_trip() -> None:
    code = toggle_need(toggle_need(0, Need.KNEEL), Need.BAND)
    assert cannot_of(code) == {Need.KNEEL, Need.BAND}
    assert cannot_of(toggle_need(code, Need.KNEEL)) == {Need.BAND}
    assert code_of(frozenset(Need)) == (1 << len(Need)) - 1
    assert cannot_of(1 << 15) == frozenset()  # bits no version wrote mean nothing


def test_the_zone_question_holds_its_time() -> None:
    assert pending_time(awaiting_zone_for(time(7, 30))) == time(7, 30)
    assert pending_now(awaiting_zone_for(None)) and pending_time("zone:now") is None
    assert awaits_zone("zone") and not awaits_zone("time") and not awaits_zone(None)
    assert pending_time("zone:2599") is None and pending_time("time") is None


NOW = datetime(2026, 11, 30, 21, 40, tzinfo=UTC)  # winter in the north
JULY = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "local", "offset"),
    [
        (NOW, time(16, 40), -300),  # New York in winter
        (JULY, time(8, 0), -240),  # New York in summer (DST)
        (NOW, time(22, 41), 60),  # a minute off still reads as Berlin
        (NOW, time(3, 10), 330),  # India, past midnight
        (NOW, time(11, 40), 840),  # Kiribati, the day ahead
        (NOW, time(9, 40), 720),  # Fiji, not the uninhabited UTC-12 with the same clock
    ],
)
def test_the_offset_follows_from_the_time_it_is_now(
    now: datetime, local: time, offset: int
) -> None:
    assert offset_from_clock(now, local) == offset


def test_zones_at_an_offset_put_the_languages_likely_ones_first() -> None:
    assert zones_at_offset(-300, NOW, "en")[0] == "America/New_York"
    assert zones_at_offset(60, NOW, "de")[:3] == ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich")
    assert "Europe/Berlin" not in zones_at_offset(60, JULY, "de")  # summer time: +2
    assert zones_at_offset(840, NOW, "en") == ("Etc/GMT-14",)  # no named zone on the list


def test_likely_zones_by_language() -> None:
    assert likely_zones("de")[0] == "Europe/Berlin"
    assert likely_zones("en-US")[0] == "America/New_York"
    assert likely_zones("pt-br")[0] == "America/Sao_Paulo"
    assert likely_zones(None) and likely_zones("zz")  # something to offer anyway


def test_remind_me_at_this_time_is_the_local_minute() -> None:
    assert local_minute(NOW, "Asia/Kolkata") == time(3, 10)


def test_the_time_grid_covers_every_hour_of_the_waking_day() -> None:
    # Before: nothing between 08:00 and 12:00 or between 12:30 and 17:30.
    labels = [b.text for row in time_menu_keyboard(ENGLISH).inline_keyboard for b in row]
    for hour in range(6, 23):
        assert f"{hour:02d}:00" in labels
    assert len(COMMON_TIMES) <= 24  # still one screen


def test_a_location_narrows_the_zones_by_its_longitude() -> None:
    assert "Europe/Berlin" in zones_near(13.4, NOW, "de")
    assert "Europe/Madrid" in zones_near(-3.7, NOW, "es")  # an hour off the sun
    assert "America/New_York" in zones_near(-74.0, NOW, "en")
    assert "Asia/Kolkata" not in zones_near(-74.0, NOW, "en")


@pytest.mark.parametrize(
    ("streak", "party"),
    [(0, False), (1, False), (2, True), (4, False), (7, True), (60, True), (61, False)],
)
def test_a_streak_is_celebrated_on_its_milestones(streak: int, party: bool) -> None:
    assert celebrates(streak) is party
