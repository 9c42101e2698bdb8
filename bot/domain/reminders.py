"""Rules of the reminder due queue: delivery states, and what a claim decides for each kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.schedule import catch_up_due, is_within_grace, next_due_at


class DeliveryKind(StrEnum):
    """Names of the stretch-card kinds, as ``deliveries.kind`` stores them. Every kind has such
    a name (``bot.reminders.kinds``); a new kind declares its own and need not be listed here."""

    DAILY = "daily"
    SNOOZE = "snooze"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # claimed, not yet handed to Telegram: safe to send (again)
    SENDING = "sending"  # the request may have been written: never resent
    SENT = "sent"
    SKIPPED = "skipped"  # missed by more than the grace period (downtime): never flooded
    BLOCKED = "blocked"  # the user blocked the bot (403)
    FAILED = "failed"  # Telegram refused it for good (400)
    UNKNOWN = "unknown"  # timed out after sending: Telegram may have it, so never resent
    CANCELLED = "cancelled"  # the user paused or was put on hold after it was claimed


@dataclass(frozen=True)
class DueDecision:
    """What to do with a claimed reminder of any kind: send it or not, and the next due to
    store in its queue column (None clears it: nothing more of that kind is scheduled)."""

    send: bool
    next_due: datetime | None


def decide_daily(
    due_at: datetime,
    now: datetime,
    grace: timedelta,
    local_time: time | None,
    days: int,
    zone: str,
) -> DueDecision:
    """Send once if missed by less than ``grace``; always move the queue into the future."""
    if local_time is None:
        return DueDecision(send=False, next_due=None)
    catch_up = catch_up_due(due_at, now, grace, local_time, days, ZoneInfo(zone))
    return DueDecision(send=catch_up.send, next_due=catch_up.next_due)


def decide_once(due_at: datetime, now: datetime, grace: timedelta) -> DueDecision:
    """A one-off reminder (a snooze) is sent once when due, unless it is older than the grace
    period; either way its queue entry is cleared."""
    return DueDecision(send=is_within_grace(due_at, now, grace), next_due=None)


def schedule_from(now: datetime, local_time: time | None, days: int, zone: str) -> datetime | None:
    """The first daily due strictly after ``now``, or None when no reminder time is set."""
    if local_time is None:
        return None
    return next_due_at(now, local_time, days, ZoneInfo(zone))


@dataclass(frozen=True)
class ReminderSettings:
    """Everything that decides when a user's daily reminder is next due."""

    reminder_time: time | None
    days: int
    zone: str
    paused: bool = False
    paused_until: datetime | None = None
    on_hold: bool = False  # a red-flag check advised seeing a clinician first


def pause_active(settings: ReminderSettings, now: datetime) -> bool:
    """Paused indefinitely, or for a while that has not ended yet."""
    return settings.paused and (settings.paused_until is None or settings.paused_until > now)


def may_receive_reminders(settings: ReminderSettings, now: datetime) -> bool:
    """Neither on hold after a red-flag check nor paused: the one rule every reminder obeys
    (``db.reminders`` states it again in SQL, so no claim can get around it)."""
    return not settings.on_hold and not pause_active(settings, now)


class SnoozeRefusal(StrEnum):
    ON_HOLD = "on_hold"
    PAUSED = "paused"


def snooze_refusal(settings: ReminderSettings, now: datetime) -> SnoozeRefusal | None:
    """Why a snooze may not be set now (an old card pressed after a hold or a pause), if so."""
    if settings.on_hold:
        return SnoozeRefusal.ON_HOLD
    if pause_active(settings, now):
        return SnoozeRefusal.PAUSED
    return None


def next_daily_due(settings: ReminderSettings, now: datetime) -> datetime | None:
    """The queue entry to store after any settings change: None means no reminder is scheduled."""
    if settings.on_hold:
        return None
    if pause_active(settings, now):
        if settings.paused_until is None:
            return None
        return schedule_from(
            settings.paused_until, settings.reminder_time, settings.days, settings.zone
        )
    return schedule_from(now, settings.reminder_time, settings.days, settings.zone)


def pause_until(now: datetime, days: int) -> datetime | None:
    """End of a pause of ``days`` days; 0 means until the user resumes."""
    return now + timedelta(days=days) if days > 0 else None
