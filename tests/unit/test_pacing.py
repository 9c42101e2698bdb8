"""The send budget's rules: which reminders go paid, how much of a chunk goes at once, what
the Stars buy, and the lane a reply reserve leaves to reminders."""

from __future__ import annotations

import logging
import math
from contextlib import AbstractAsyncContextManager

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.pacing import (
    choose_paid,
    claim_shortfall,
    lane_burst,
    paid_lane_on,
    paid_messages_per_day,
    plan_paid,
    reminder_rate,
    stars_for,
    within_free_limit,
)
from bot.reminders.budget_setup import send_budget


@pytest.mark.parametrize(
    ("lateness", "free_wait", "available", "expected"),
    [
        # On time on the free lane: nothing paid.
        ([0, 0, 0], 0.0, 10, [False, False, False]),
        # Each one left on the free lane pushes the next 1 s back: the third would be 2.5 s late.
        ([0.5, 0.5, 0.5], 0.0, 10, [False, False, True]),
        ([1.5, 1.5, 1.5], 0.0, 10, [False, True, True]),
        # A backlog on the free lane (a wait of 5 s) makes them all late.
        ([0, 0], 5.0, 10, [True, True]),
        # Paid only while the day's budget lasts; the rest go free, later.
        ([9, 9, 9], 0.0, 1, [True, False, False]),
        # Not due yet: free.
        ([-60, -60], 5.0, 10, [False, False]),
    ],
)
def test_the_late_go_paid_while_the_budget_lasts(
    lateness: list[float], free_wait: float, available: int, expected: list[bool]
) -> None:
    assert (
        choose_paid(lateness, free_wait, free_interval=1.0, target=2.0, paid_available=available)
        == expected
    )


def test_planned_ones_go_paid_while_the_budget_lasts() -> None:
    planned = [False, True, False, True]
    assert choose_paid([0] * 4, 0.0, 1.0, 2.0, 10, planned) == planned
    assert choose_paid([0] * 4, 0.0, 1.0, 2.0, 1, planned) == [False, True, False, False]


def test_a_burst_plans_the_free_lanes_excess_paid_spread_through_the_batch() -> None:
    # 100 due now, 25 a second free, a 2 s target: the free lane sends 51 in time (the 51st
    # at exactly 2 s); the other 49 go paid, spread so the paid lane starts with the first.
    plan = plan_paid([0.0] * 100, free_wait=0.0, free_interval=1 / 25, target=2.0)
    assert sum(plan) == 49
    assert any(plan[:3]) and any(plan[-3:])
    for start in range(0, 100, 10):  # every tenth of the batch has its share
        assert 4 <= sum(plan[start : start + 10]) <= 5
    # On time without paying: nothing planned.
    assert not any(plan_paid([0.0] * 40, 0.0, 1 / 25, 2.0))
    # Already late: every one.
    assert all(plan_paid([5.0] * 10, 0.0, 1 / 25, 2.0))
    assert plan_paid([], 0.0, 1 / 25, 2.0) == []


def test_a_chunk_sends_at_most_a_bursts_worth_free() -> None:
    assert within_free_limit([False] * 10, 4) == 4
    assert within_free_limit([True, False, True, False, False, True], 2) == 4
    assert within_free_limit([True] * 50, 1) == 50  # paid ones have their own lane
    assert within_free_limit([], 3) == 0


def test_stars() -> None:
    assert paid_messages_per_day(0) == 0
    assert paid_messages_per_day(15) == 150
    assert paid_messages_per_day(0.35) == 3
    assert stars_for(150) == 15.0
    assert stars_for(3) == 0.3


def test_the_reply_reserve_comes_out_of_the_reminders_rate() -> None:
    assert reminder_rate(28, 3) == 25
    assert reminder_rate(4, 3) == 2  # never below half the total
    assert reminder_rate(150, 0) == 150
    assert lane_burst(25) == 7 and lane_burst(10) == 5 and lane_burst(1000) == 250
    assert math.isclose(reminder_rate(30, 0.5), 29.5)


def test_claims_that_fall_short_of_the_budget_name_the_batch_needed() -> None:
    assert claim_shortfall(500, 5.0, 25.0) is None  # 100 a second: keeps up
    assert claim_shortfall(500, 5.0, 1025.0) == 5125  # paid broadcast needs a bigger batch
    assert claim_shortfall(1000, 1.0, 1000.0) is None
    assert claim_shortfall(10, 1.0, math.inf) is None  # no limit: nothing to keep up with


def test_a_deployment_whose_claims_fall_short_is_warned_at_start(
    caplog: pytest.LogCaptureFixture,
) -> None:
    paid = Settings(LIMBER_PAID_BROADCAST_RATE=1000, LIMBER_PAID_BROADCAST_DAILY_STARS=100)
    with caplog.at_level(logging.WARNING, logger="bot.reminders.budget_setup"):
        send_budget(Settings(), _no_database, shared=False)
        assert not caplog.records
        send_budget(paid, _no_database, shared=False)
    [warning] = caplog.records
    assert "LIMBER_CLAIM_BATCH_SIZE=500" in warning.getMessage()
    assert "at least 5125" in warning.getMessage()


def _no_database() -> AbstractAsyncContextManager[AsyncSession]:
    raise AssertionError("no database is needed to set the budget up")


def test_the_paid_lane_needs_a_rate_and_stars_for_one_message() -> None:
    assert paid_lane_on(1000, 100)
    assert not paid_lane_on(0, 100)
    assert not paid_lane_on(1000, 0)  # the forecast counted this lane; the budget had none
    assert not paid_lane_on(1000, 0.05)  # not enough for one message
