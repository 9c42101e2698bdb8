"""The pain check-in rules: where each answer leads, and when the next one is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkin import (
    Advice,
    PainAnswer,
    advice_for,
    decide_checkin,
    first_checkin,
    next_checkin,
)

STARTED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("answer", "weeks", "advice"),
    [
        (PainAnswer.BETTER, 2, Advice.KEEP_GOING),
        (PainAnswer.BETTER, 10, Advice.KEEP_GOING),
        (PainAnswer.SAME, 2, Advice.KEEP_GOING),
        (PainAnswer.SAME, 4, Advice.KEEP_GOING),
        (PainAnswer.SAME, 6, Advice.SEE_CLINICIAN),  # six weeks without improvement
        (PainAnswer.WORSE, 2, Advice.SEE_CLINICIAN),
        (PainAnswer.NEW_SYMPTOMS, 2, Advice.CHECK_SYMPTOMS),
        (PainAnswer.NEW_SYMPTOMS, 8, Advice.CHECK_SYMPTOMS),
    ],
)
def test_advice(answer: PainAnswer, weeks: int, advice: Advice) -> None:
    assert advice_for(answer, STARTED, STARTED + timedelta(weeks=weeks)) is advice


def test_same_just_before_six_weeks_is_not_yet_a_referral() -> None:
    almost = STARTED + timedelta(weeks=6) - timedelta(minutes=1)
    assert advice_for(PainAnswer.SAME, STARTED, almost) is Advice.KEEP_GOING


def test_first_checkin_is_two_weeks_after_first_contact() -> None:
    assert first_checkin(STARTED) == STARTED + timedelta(days=14)


def test_next_checkin_is_two_weeks_later_at_the_reminder_time() -> None:
    due = datetime(2026, 1, 19, 17, 0, tzinfo=BERLIN)
    following = next_checkin(due, due, time(7, 30), BERLIN)
    assert following.astimezone(BERLIN) == datetime(2026, 2, 2, 7, 30, tzinfo=BERLIN)


def test_next_checkin_keeps_the_local_time_across_a_dst_change() -> None:
    # Europe/Berlin springs forward on 29 Mar 2026: still 08:00 local two weeks on.
    due = datetime(2026, 3, 20, 8, 0, tzinfo=BERLIN)
    following = next_checkin(due, due, None, BERLIN).astimezone(BERLIN)
    assert (following.date(), following.hour, following.minute) == (date(2026, 4, 3), 8, 0)
    assert following.utcoffset() == timedelta(hours=2)


def test_a_time_in_the_spring_forward_gap_moves_forward() -> None:
    due = datetime(2026, 3, 15, 2, 30, tzinfo=BERLIN)
    following = next_checkin(due, due, time(2, 30), BERLIN).astimezone(BERLIN)
    assert (following.date(), following.hour, following.minute) == (date(2026, 3, 29), 3, 30)


def test_missed_by_downtime_is_skipped_and_moves_past_now_in_fortnights() -> None:
    due = datetime(2026, 1, 19, 8, 0, tzinfo=UTC)
    now = due + timedelta(days=40)
    decision = decide_checkin(due, now, timedelta(hours=2), None, "UTC")
    assert not decision.send
    assert decision.next_due == due + timedelta(days=42)


def test_late_within_grace_is_sent_once_and_the_next_is_two_weeks_on() -> None:
    due = datetime(2026, 1, 19, 8, 0, tzinfo=UTC)
    decision = decide_checkin(due, due + timedelta(minutes=5), timedelta(hours=2), None, "UTC")
    assert decision.send
    assert decision.next_due == due + timedelta(days=14)


def test_not_sent_to_someone_not_using_limber_but_still_scheduled() -> None:
    due = datetime(2026, 1, 19, 8, 0, tzinfo=UTC)
    decision = decide_checkin(due, due, timedelta(hours=2), None, "UTC", in_use=False)
    assert not decision.send
    assert decision.next_due == due + timedelta(days=14)
