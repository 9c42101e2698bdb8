"""The weekly summary's settings: on or off, the day and the time (each moves its queue entry)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from bot.db.models import User
from bot.db.users import account_of, get_user, reschedule_weekly
from bot.db.weekly import last_summary_due
from bot.domain.account import Account
from bot.domain.schedule import MONDAY, SUNDAY
from bot.domain.weekly import KIND
from bot.services import Services


async def _change(svc: Services, user_id: int, change: Callable[[User], None]) -> Account | None:
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        change(user)
        # Switched off and on again (or a day moved) after this week's summary went out:
        # the next one is next week's, never a second one this week.
        last = await last_summary_due(session, user_id, KIND)
        not_before = last + timedelta(weeks=1) if last is not None else None
        reschedule_weekly(user, svc.clock.now(), not_before)
        return account_of(user)


async def set_weekly(svc: Services, user_id: int, on: bool) -> Account | None:
    """Switch the weekly summary on or off (the user's choice: the first-week default no longer
    applies)."""

    def change(user: User) -> None:
        user.weekly_summary = on

    return await _change(svc, user_id, change)


async def set_weekly_day(svc: Services, user_id: int, day: int) -> Account | None:
    if not MONDAY <= day <= SUNDAY:
        raise ValueError(f"weekday must be 0-6, got {day}")

    def change(user: User) -> None:
        user.weekly_day = day

    return await _change(svc, user_id, change)


async def set_weekly_time(svc: Services, user_id: int, value: time | None) -> Account | None:
    """The summary's local time; None follows the reminder time (else 18:00)."""

    def change(user: User) -> None:
        user.weekly_time = value

    return await _change(svc, user_id, change)
