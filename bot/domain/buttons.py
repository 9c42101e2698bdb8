"""Rules about button presses that do not depend on what the button does."""

from __future__ import annotations

from datetime import datetime, timedelta

# Telegram stamps a message with its own clock and we stamp accounts with ours: allow for
# some disagreement before calling a button older than the account.
CLOCK_TOLERANCE = timedelta(minutes=1)


def predates_account(message_date: datetime | None, account_created_at: datetime) -> bool:
    """Whether a pressed button's message was sent before the account existed, i.e. it belongs
    to data the user deleted with /forget and must not recreate any.

    ``message_date`` is None when Telegram cannot tell (an inaccessible message is stamped with
    the epoch): such a press is judged by the account alone.
    """
    if message_date is None or message_date.timestamp() <= 0:
        return False
    return message_date < account_created_at - CLOCK_TOLERANCE


# A "delete everything?" confirmation stays valid this long after it was shown.
CONFIRMATION_LIFETIME = timedelta(minutes=10)


def confirmation_is_valid(
    bound_message_id: str | None, message_id: int, shown_at: datetime, now: datetime
) -> bool:
    """A destructive confirmation counts only on the message it was shown on, while fresh."""
    if bound_message_id != str(message_id):
        return False
    return now - CONFIRMATION_LIFETIME <= shown_at <= now + CLOCK_TOLERANCE
