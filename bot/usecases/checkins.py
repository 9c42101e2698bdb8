"""Pain check-ins: answer one, read them back (for /progress and /mydata), switch them off."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.db.checkins import checkin_answers, record_checkin
from bot.db.users import account_of, get_user
from bot.domain.account import Account
from bot.domain.checkin import Advice, PainAnswer, advice_for, first_checkin
from bot.services import Services


async def answer_checkin(svc: Services, user_id: int, answer: PainAnswer) -> Advice | None:
    """Store the answer with the user's local date; where it leads (None: no account)."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        today = now.astimezone(ZoneInfo(user.timezone)).date()
        await record_checkin(session, user_id, answer.value, today)
        return advice_for(answer, user.created_at, now)


async def checkin_history(svc: Services, user_id: int) -> list[tuple[date, PainAnswer]]:
    """The user's answers, oldest first, as (local date, answer)."""
    async with svc.sessions() as session:
        answers = await checkin_answers(session, user_id)
    known = {answer.value for answer in PainAnswer}
    return [(on, PainAnswer(answer)) for on, answer in answers if answer in known]


async def set_checkins(svc: Services, user_id: int, on: bool) -> Account | None:
    """Switch the two-weekly check-in on (the next one two weeks from now, unless one is
    already due) or off."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        if not on:
            user.checkin_due_at = None
        elif user.checkin_due_at is None:
            user.checkin_due_at = first_checkin(now)
        user.updated_at = now
        return account_of(user)
