"""The red-flag check's outcome: stored once per check, and the safety hold it places."""

from __future__ import annotations

from bot.db.checks import record_check
from bot.db.users import get_user, reschedule
from bot.domain.redflags import CheckRecorded, Outcome
from bot.services import Services


async def finish_check(
    svc: Services, user_id: int, outcome: Outcome, check_key: str
) -> CheckRecorded | None:
    """Store only the outcome tier, time and check identity, once per check; hold stretches
    and reminders (and drop a snooze) when care is advised. None when the user has no account
    (deleted with /forget since the check began): nothing is stored."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        stored = await record_check(session, user_id, outcome.tier.value, check_key, now)
        if stored and outcome.places_hold:
            user.on_hold_since = now
            user.snooze_due_at = None
            reschedule(user, now)
        return CheckRecorded(
            stored=stored,
            on_hold=user.on_hold_since is not None,
            has_daily_reminder=user.reminder_time is not None and not user.paused,
        )
