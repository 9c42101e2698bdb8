"""Gentle re-engagement: when reminders go unanswered, ask once, then stop asking.

A daily reminder is *ignored* when nothing from the user is recorded after it and before the
next one: nothing they did in the activity log (``activity.USER_ACTIONS``: a stretch asked
for, Done, Skip, Snooze, Easier, Harder, an answer to this very offer) and no change to their
settings (``users.updated_at``: time, days, zone, pause, resume, coming back after a block).
Commands that change nothing (/help, /settings opened and left) leave no record, and a pain
check-in answer is stored with its date only, so neither counts: someone who only answers
check-ins is still ignoring their reminders.
After seven ignored daily reminders in a row, the eighth is replaced by ONE offer to change the
time, pause or stop. If that offer is ignored in turn, the next reminder is not sent: reminders
pause themselves, silently (the offer says so). Any reply starts the count again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

IGNORED_IN_A_ROW = 7
# How long the offer's "Pause" pauses for, in days (the pause menu offers the same).
OFFER_PAUSE_DAYS = 7


class Step(StrEnum):
    REMIND = "remind"  # the usual stretch card
    OFFER = "offer"  # ask once: change the time, pause, or stop?
    LAPSE = "lapse"  # the offer went unanswered: pause reminders, send nothing


class OfferChoice(StrEnum):
    """The offer's buttons."""

    KEEP = "keep"
    TIME = "time"
    PAUSE = "pause"
    STOP = "stop"


@dataclass(frozen=True)
class SentReminder:
    """A daily reminder that reached the user: when it fell due, and whether it was the offer."""

    due_at: datetime
    offer: bool = False


def reengagement_step(sent: Sequence[SentReminder], last_engaged_at: datetime | None) -> Step:
    """What the user's next daily reminder should be.

    ``sent``: their daily reminders that were delivered, newest first (the last eight are
    enough); ``last_engaged_at``: the last time anything of theirs was recorded, if ever.
    """
    ignored = [r for r in sent if last_engaged_at is None or r.due_at > last_engaged_at]
    ignored.sort(key=lambda reminder: reminder.due_at, reverse=True)
    if ignored and ignored[0].offer:
        return Step.LAPSE
    plain_run = 0
    for reminder in ignored:
        if reminder.offer:
            break  # asked before, and a reminder came after it: count only what followed
        plain_run += 1
    return Step.OFFER if plain_run >= IGNORED_IN_A_ROW else Step.REMIND
