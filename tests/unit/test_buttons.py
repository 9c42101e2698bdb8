from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.buttons import CLOCK_TOLERANCE, confirmation_is_valid, predates_account

CREATED = datetime(2026, 5, 1, 12, 0, 30, 500000, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("message_date", "predates"),
    [
        (CREATED - timedelta(days=3), True),  # a card from before /forget
        (CREATED - CLOCK_TOLERANCE - timedelta(seconds=1), True),
        (CREATED - CLOCK_TOLERANCE, False),  # Telegram's clock may run behind ours
        (CREATED.replace(microsecond=0), False),  # sent in the same second (whole seconds)
        (CREATED + timedelta(hours=5), False),
        (None, False),  # no message to judge by
        (EPOCH, False),  # an inaccessible message: Telegram gives date 0
    ],
)
def test_a_button_predates_the_account_only_when_clearly_older(
    message_date: datetime | None, predates: bool
) -> None:
    assert predates_account(message_date, CREATED) is predates


NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("bound", "message_id", "shown_at", "valid"),
    [
        ("57", 57, NOW - timedelta(minutes=2), True),
        ("57", 58, NOW - timedelta(minutes=2), False),  # replayed on another message
        (None, 57, NOW - timedelta(minutes=2), False),
        ("57", 57, NOW - timedelta(minutes=11), False),  # expired
        ("57", 57, NOW + timedelta(minutes=5), False),  # stamped in the future
    ],
)
def test_a_confirmation_counts_only_on_its_own_fresh_message(
    bound: str | None, message_id: int, shown_at: datetime, valid: bool
) -> None:
    assert confirmation_is_valid(bound, message_id, shown_at, NOW) is valid
