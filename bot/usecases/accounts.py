"""Accounts and settings: first contact, reminder time, days, zone, focus, pause, language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from bot.catalog.stretches import Need
from bot.db.models import User
from bot.db.users import account_of, ensure_user, get_user, record_precaution_answer, reschedule
from bot.domain.abilities import toggle_need
from bot.domain.account import Account
from bot.domain.onboarding import Step, current_step, step_after
from bot.domain.picking import toggle_area
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers
from bot.domain.reminders import pause_active, pause_until
from bot.domain.schedule import toggle_day
from bot.services import Services

Change = Callable[[User], None]


async def find(svc: Services, user_id: int) -> Account | None:
    """The user's account, if they have one; never creates it."""
    async with svc.sessions() as session:
        user = await get_user(session, user_id)
        return account_of(user) if user is not None else None


async def first_contact(svc: Services, user_id: int, language: str | None) -> Account:
    """The user's account, created on first contact (with Telegram's language for them)."""
    async with svc.transaction() as session:
        user = await ensure_user(session, user_id, user_id, svc.clock.now(), language=language)
        return account_of(user)


async def _change(
    svc: Services, user_id: int, change: Change, *, moves_reminder: bool = True
) -> Account | None:
    """Apply one settings change; one that affects the schedule moves the user's reminder in
    the due queue accordingly."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        change(user)
        if moves_reminder:
            reschedule(user, now)
        else:
            user.updated_at = now
        return account_of(user)


async def set_time(svc: Services, user_id: int, value: time) -> Account | None:
    def change(user: User) -> None:
        user.reminder_time = value
        user.awaiting_reply = None

    return await _change(svc, user_id, change)


async def toggle_weekday(svc: Services, user_id: int, weekday: int) -> Account | None:
    def change(user: User) -> None:
        user.reminder_days = toggle_day(user.reminder_days, weekday)

    return await _change(svc, user_id, change)


async def set_days(svc: Services, user_id: int, days: int) -> Account | None:
    def change(user: User) -> None:
        user.reminder_days = days

    return await _change(svc, user_id, change)


async def set_timezone(svc: Services, user_id: int, zone: str) -> Account | None:
    def change(user: User) -> None:
        user.timezone = zone
        user.zone_chosen = True
        user.awaiting_reply = None

    return await _change(svc, user_id, change)


async def toggle_focus(svc: Services, user_id: int, area: str) -> Account | None:
    def change(user: User) -> None:
        user.focus_areas = toggle_area(user.focus_areas, area)

    return await _change(svc, user_id, change, moves_reminder=False)


async def pause(svc: Services, user_id: int, days: int) -> Account | None:
    """Pause reminders for ``days`` days (0: until resumed); a snoozed reminder goes too."""
    until = pause_until(svc.clock.now(), days)

    def change(user: User) -> None:
        user.paused, user.paused_until = True, until
        user.snooze_due_at = None

    return await _change(svc, user_id, change)


async def resume(svc: Services, user_id: int) -> tuple[Account, bool] | None:
    """End a pause; the account, and whether a pause was in force."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        was_paused = pause_active(account_of(user).reminder_settings, now)
        user.paused, user.paused_until = False, None
        reschedule(user, now)
        return account_of(user), was_paused


async def set_language(svc: Services, user_id: int, language: str) -> Account | None:
    def change(user: User) -> None:
        user.language = language

    return await _change(svc, user_id, change, moves_reminder=False)


async def set_active(svc: Services, user_id: int, active: bool) -> None:
    """The user blocked the bot (no more reminders) or came back (scheduled from now, so
    reminders missed while blocked are not sent)."""
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None or user.active == active:
            return
        user.active = active
        reschedule(user, svc.clock.now())


async def answer_precaution(
    svc: Services, user_id: int, precaution: Precaution, answer: Answer
) -> tuple[Account, PrecautionAnswers] | None:
    """Store one stretch safety answer: the account and the answers before it."""
    async with svc.transaction() as session:
        recorded = await record_precaution_answer(
            session, user_id, precaution, answer, svc.clock.now()
        )
        if recorded is None:
            return None
        user, before = recorded
        return account_of(user), before


async def set_level(svc: Services, user_id: int, level: int) -> Account | None:
    def change(user: User) -> None:
        user.level = max(1, min(3, level))

    return await _change(svc, user_id, change, moves_reminder=False)


async def toggle_cannot(svc: Services, user_id: int, need: Need) -> Account | None:
    """Switch one thing between "I can / have it" and "I can't / haven't"."""

    def change(user: User) -> None:
        user.cannot = toggle_need(user.cannot, need)

    return await _change(svc, user_id, change, moves_reminder=False)


async def await_reply(svc: Services, user_id: int, awaiting: str | None) -> Account | None:
    """Note the plain reply a screen now waits for (None: none), so "7pm" is understood."""

    def change(user: User) -> None:
        user.awaiting_reply = awaiting

    return await _change(svc, user_id, change, moves_reminder=False)


async def set_time_and_zone(
    svc: Services, user_id: int, value: time | None, zone: str
) -> Account | None:
    """Save a zone, and the reminder time that waited for it (None: keep the time)."""

    def change(user: User) -> None:
        user.timezone = zone
        user.zone_chosen = True
        if value is not None:
            user.reminder_time = value
        user.awaiting_reply = None

    return await _change(svc, user_id, change)


async def leave_onboarding_step(
    svc: Services, user_id: int, step: Step, *, chose_time: bool = False
) -> Account | None:
    """Move past ``step`` (answered or skipped; ``chose_time``: a reminder time waits for
    its zone). A press on an older step's screen, after the user moved on, changes nothing,
    so a double press never skips a step."""

    def change(user: User) -> None:
        if current_step(user.onboarding_step) is step:
            has_time = chose_time or user.reminder_time is not None
            following = step_after(step, has_reminder_time=has_time)
            user.onboarding_step = following.value if following is not None else None

    return await _change(svc, user_id, change, moves_reminder=False)


async def finish_onboarding(svc: Services, user_id: int) -> Account | None:
    def change(user: User) -> None:
        user.onboarding_step = None

    return await _change(svc, user_id, change, moves_reminder=False)
