"""The buttons under a reminder: snooze it, or skip today's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import activity
from bot.db.users import account_of, get_user
from bot.domain.activity import ActivityKind
from bot.domain.reminders import SnoozeRefusal, snooze_refusal
from bot.domain.schedule import snooze_until
from bot.services import Services


@dataclass(frozen=True)
class Snoozed:
    until: datetime
    timezone: str


async def snooze(svc: Services, user_id: int, minutes: int) -> Snoozed | SnoozeRefusal | None:
    """Bring the reminder back in ``minutes``; refused during a safety hold or a pause (an old
    card pressed after either must not get around them)."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        refusal = snooze_refusal(account_of(user).reminder_settings, now)
        if refusal is not None:
            return refusal
        user.snooze_due_at = snooze_until(now, minutes)
        user.updated_at = now
        await activity.log_activity(session, user.id, ActivityKind.SNOOZED, now)
        return Snoozed(user.snooze_due_at, user.timezone)


@dataclass(frozen=True)
class Skipped:
    next_due_at: datetime | None
    timezone: str


async def skip_today(svc: Services, user_id: int) -> Skipped | None:
    """Skip today's reminder (and any snooze of it); the daily schedule stays as it is."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        user.snooze_due_at = None
        user.updated_at = now
        await activity.log_activity(session, user.id, ActivityKind.SKIPPED, now)
        return Skipped(user.next_due_at, user.timezone)
