"""The re-engagement rule: seven ignored daily reminders, one offer, then a silent pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.reengagement import SentReminder, Step, reengagement_step

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def daily(count: int, *, offer_last: bool = False) -> list[SentReminder]:
    """``count`` reminders on consecutive days from START, newest first."""
    sent = [SentReminder(START + timedelta(days=day)) for day in range(count)]
    if offer_last and sent:
        sent[-1] = SentReminder(sent[-1].due_at, offer=True)
    return sent[::-1]


def at_day(day: float) -> datetime:
    return START + timedelta(days=day)


@pytest.mark.parametrize(
    ("sent", "engaged", "step"),
    [
        ([], None, Step.REMIND),  # a new user
        (daily(6), None, Step.REMIND),  # six ignored: not yet
        (daily(7), None, Step.OFFER),  # seven ignored in a row
        (daily(12), None, Step.OFFER),  # more than seven (the offer could not be sent before)
        (daily(7), at_day(0.5), Step.REMIND),  # replied after the first: six ignored since
        (daily(8), at_day(0.5), Step.OFFER),  # ...and seven once another goes by
        (daily(7), at_day(6.5), Step.REMIND),  # replied to the last one
        (daily(8, offer_last=True), None, Step.LAPSE),  # the offer went unanswered
        (daily(8, offer_last=True), at_day(7.5), Step.REMIND),  # answered the offer
        # after an answered offer, a new run of seven ignored earns a new offer
        ([*daily(15)[:7], SentReminder(at_day(7), offer=True)], at_day(7.5),
         Step.OFFER),
    ],
)  # fmt: skip
def test_step(sent: list[SentReminder], engaged: datetime | None, step: Step) -> None:
    assert reengagement_step(sent, engaged) is step


def test_an_offer_followed_by_reminders_counts_only_what_followed() -> None:
    # An offer whose lapse never happened (the user engaged, then ignored again): only the
    # plain reminders after the offer count towards the next one.
    offer = SentReminder(at_day(0), offer=True)
    after = [SentReminder(at_day(day)) for day in range(1, 7)]
    assert reengagement_step([*after[::-1], offer], None) is Step.REMIND
    more = [*after, SentReminder(at_day(7))]
    assert reengagement_step([*more[::-1], offer], None) is Step.OFFER


def test_order_of_the_history_does_not_matter() -> None:
    sent = daily(8, offer_last=True)
    assert reengagement_step(sent[::-1], None) is Step.LAPSE
