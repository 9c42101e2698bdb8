"""The two-weekly pain check-in: when it is due, and where each answer leads.

"How is your pain compared with when you started?" Better, Same, Worse or New symptoms.
Worse, or Same once six weeks have passed since the user started, points to a clinician;
new symptoms point to the red-flag check. Only the answer and its date are stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.reminders import DueDecision
from bot.domain.schedule import EVERY_DAY, is_within_grace, next_due_at

CHECKIN_EVERY = timedelta(days=14)
# Asked only of people still using Limber: something done (not just received) this recently.
IN_USE_WITHIN = timedelta(days=28)
# No better after this long: worth having it looked at.
SAME_FOR_TOO_LONG = timedelta(weeks=6)


class PainAnswer(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    NEW_SYMPTOMS = "new"


class Advice(StrEnum):
    KEEP_GOING = "keep_going"  # better, or the same early on
    SEE_CLINICIAN = "see_clinician"  # worse, or the same after six weeks
    CHECK_SYMPTOMS = "check_symptoms"  # new symptoms: the red-flag check


def advice_for(answer: PainAnswer, started_at: datetime, now: datetime) -> Advice:
    """Where an answer leads; ``started_at`` is the user's first contact."""
    if answer is PainAnswer.NEW_SYMPTOMS:
        return Advice.CHECK_SYMPTOMS
    if answer is PainAnswer.WORSE:
        return Advice.SEE_CLINICIAN
    if answer is PainAnswer.SAME and now - started_at >= SAME_FOR_TOO_LONG:
        return Advice.SEE_CLINICIAN
    return Advice.KEEP_GOING


def first_checkin(now: datetime) -> datetime:
    """A new user's first check-in: two weeks after first contact (their zone is not known
    yet; later ones move to their local reminder time)."""
    return now.astimezone(UTC) + CHECKIN_EVERY


def next_checkin(
    due_at: datetime, now: datetime, local_time: time | None, zone: ZoneInfo
) -> datetime:
    """Two weeks after ``due_at`` on the user's calendar, at their reminder time (else at the
    same local time as before), strictly after ``now``. DST-safe: a local time in a
    spring-forward gap moves forward, an ambiguous one fires once (``schedule.next_due_at``)."""
    local_due = due_at.astimezone(zone)
    wall = local_time if local_time is not None else local_due.time().replace(tzinfo=None)
    day = local_due.date() + CHECKIN_EVERY
    while True:
        candidate = _on_day(day, wall, zone)
        if candidate > now:
            return candidate
        day += CHECKIN_EVERY


def _on_day(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant ``zone`` shows ``wall`` on ``day`` (or the day after, past a gap)."""
    start = datetime.combine(day, time(0), tzinfo=zone) - timedelta(seconds=1)
    found = next_due_at(start, wall, EVERY_DAY, zone)
    assert found is not None  # every day is chosen
    return found


def decide_checkin(
    due_at: datetime,
    now: datetime,
    grace: timedelta,
    local_time: time | None,
    zone: str,
    in_use: bool = True,
) -> DueDecision:
    """Send once if missed by less than ``grace`` (downtime: skipped, never flooded) and the
    user still uses Limber (``in_use``: did something within IN_USE_WITHIN; someone who never
    started, or stopped, is not asked about their progress); the next one always in the
    future."""
    return DueDecision(
        send=in_use and is_within_grace(due_at, now, grace),
        next_due=next_checkin(due_at, now, local_time, ZoneInfo(zone)),
    )
