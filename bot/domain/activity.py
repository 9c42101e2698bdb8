"""Kinds of activity we log, and what we derive from the log (streaks)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum


class ActivityKind(StrEnum):
    SHOWN = "shown"  # a stretch card sent on request
    REMINDER_SENT = "reminder_sent"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"
    EASIER = "easier"
    HARDER = "harder"
    SESSION = "session"  # a guided session finished (or stopped after a step was done)
    REPLIED = "replied"  # answered the re-engagement offer


# What the user did, as opposed to what was sent to them: the log's signs of someone using
# the bot (re-engagement and the operators' retention counts read them).
USER_ACTIONS: tuple[ActivityKind, ...] = tuple(
    kind for kind in ActivityKind if kind is not ActivityKind.REMINDER_SENT
)


def current_streak(done_dates: Iterable[date], today: date) -> int:
    """Consecutive local days with at least one stretch done, ending today or yesterday."""
    days = set(done_dates)
    cursor = today if today in days else today - timedelta(days=1)
    streak = 0
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


# Streaks worth a celebration effect: the first few days build the habit, then round numbers.
STREAK_MILESTONES = frozenset({2, 3, 5, 7, 10, 14, 21, 30, 50, 100, 365})


def celebrates(streak: int) -> bool:
    """Whether a Done that makes ``streak`` days in a row deserves a celebration."""
    return streak in STREAK_MILESTONES or (streak > 0 and streak % 30 == 0)
