"""A user's account as the rest of the bot sees it: plain, immutable values, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time

from bot.domain.precautions import PrecautionAnswers
from bot.domain.reminders import ReminderSettings
from bot.domain.weekly import DEFAULT_DAY, WeeklySettings


@dataclass(frozen=True)
class Account:
    """Everything stored about one user that handlers and render may read."""

    user_id: int
    language: str | None  # Telegram's language_code at first contact, or the user's choice
    timezone: str
    reminder_time: time | None
    reminder_days: int
    focus_areas: tuple[str, ...]
    level: int
    paused: bool
    paused_until: datetime | None
    on_hold_since: datetime | None
    next_due_at: datetime | None
    snooze_due_at: datetime | None
    precautions: PrecautionAnswers
    active: bool
    created_at: datetime
    # The user's own level for some body areas; the others are at `level`.
    area_levels: Mapping[str, int] = field(default_factory=dict)
    onboarding_step: int | None = None  # domain.onboarding.Step; None: done (or before it)
    cannot: int = 0  # domain.abilities bits
    awaiting_reply: str | None = None
    zone_chosen: bool = True  # False: a reminder time waits for the zone to be asked
    weekly_summary: bool | None = None  # None: never chosen (off)
    weekly_day: int = DEFAULT_DAY
    weekly_time: time | None = None
    weekly_due_at: datetime | None = None
    checkin_due_at: datetime | None = None  # the next pain check-in; None when switched off

    @property
    def on_hold(self) -> bool:
        """A red-flag check advised care: no stretches or reminders until the user says so."""
        return self.on_hold_since is not None

    @property
    def checkins_on(self) -> bool:
        return self.checkin_due_at is not None

    @property
    def reminder_settings(self) -> ReminderSettings:
        return ReminderSettings(
            reminder_time=self.reminder_time,
            days=self.reminder_days,
            zone=self.timezone,
            paused=self.paused,
            paused_until=self.paused_until,
            on_hold=self.on_hold,
        )

    @property
    def has_daily_reminder(self) -> bool:
        """A reminder time is set and reminders are not switched off by a pause."""
        return self.reminder_time is not None and not self.paused

    @property
    def weekly_settings(self) -> WeeklySettings:
        return WeeklySettings(
            enabled=self.weekly_summary,
            day=self.weekly_day,
            local_time=self.weekly_time,
            reminder_time=self.reminder_time,
            zone=self.timezone,
        )
