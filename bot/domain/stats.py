"""Counts for operators: no user is ever named."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.forecast import Outlook


@dataclass(frozen=True)
class UserCounts:
    users: int
    active: int
    scheduled: int  # active, with a daily reminder in the queue


# Days after first contact whose activity the retention counts report.
RETENTION_DAYS = (1, 7, 30)


@dataclass(frozen=True)
class DayRetention:
    """Of the users whose day ``day`` after first contact is over (``eligible``), how many did
    something that day (``active``). Day N is the 24 hours from first contact + N days; doing
    something is any entry of ``activity.USER_ACTIONS`` in the log (not a reminder sent)."""

    day: int
    eligible: int
    active: int


@dataclass(frozen=True)
class Retention:
    """Counts over the last seven days (to the collection instant) and day-N retention."""

    days: tuple[DayRetention, ...]
    weekly_active: int  # users who did something in the last 7 days
    sessions_week: int  # guided sessions finished (or stopped with a step done), last 7 days
    stretches_done_week: int  # stretches marked Done in the last 7 days


@dataclass(frozen=True)
class Stats:
    users: UserCounts
    deliveries_today: dict[str, int]  # by delivery status
    checks_by_tier: dict[str, int]
    lateness: Outlook | None = None  # what the due queue implies at the send rates
    retention: Retention | None = None
    paid_broadcasts_today: int = 0  # sent with allow_paid_broadcast, every process (UTC day)
