"""The answer to the re-engagement offer: keep, change the time (the picker follows), pause a
week, or stop. Any answer is a reply, so the count of ignored reminders starts again."""

from __future__ import annotations

from bot.db import activity
from bot.db.users import account_of, get_user, reschedule
from bot.domain.account import Account
from bot.domain.activity import ActivityKind
from bot.domain.reengagement import OFFER_PAUSE_DAYS, OfferChoice
from bot.domain.reminders import pause_until
from bot.services import Services


async def answer_offer(svc: Services, user_id: int, choice: OfferChoice) -> Account | None:
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        await activity.log_activity(session, user_id, ActivityKind.REPLIED, now)
        if choice in (OfferChoice.PAUSE, OfferChoice.STOP):
            days = OFFER_PAUSE_DAYS if choice is OfferChoice.PAUSE else 0
            user.paused, user.paused_until = True, pause_until(now, days)
            user.snooze_due_at = None
            reschedule(user, now)
        return account_of(user)
