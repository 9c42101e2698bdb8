"""The two-weekly pain check-in: one question with four buttons, at the user's reminder time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.db.activity import acted_since
from bot.db.models import User
from bot.db.reminders import ClaimedDelivery, DueRow
from bot.domain.checkin import IN_USE_WITHIN, decide_checkin
from bot.domain.reminders import DueDecision
from bot.reminders.kinds.base import ReminderKind
from bot.reminders.sender import OutgoingMessage
from bot.render.checkin import render_checkin_question
from bot.render.i18n import Catalogs
from bot.services import Services


@dataclass(frozen=True)
class DueCheckin:
    user_id: int
    chat_id: int
    due_at: datetime
    timezone: str
    reminder_time: time | None
    in_use: bool = True  # did something lately (set by ``prepare``)


class PainCheckin(ReminderKind[DueCheckin]):
    """Every two weeks, unless switched off in /settings; not while paused or on hold (the
    default audience: a hold already advises seeing a clinician), nor to someone who has not
    used Limber for four weeks (skipped, and asked again two weeks later)."""

    columns = (User.timezone, User.reminder_time)

    def __init__(self, catalogs: Catalogs | None = None) -> None:
        super().__init__("checkin", User.checkin_due_at)
        self._catalogs = catalogs or Catalogs()
        self._questions: dict[str, tuple[str, InlineKeyboardMarkup]] = {}

    def load(self, row: DueRow) -> DueCheckin:
        return DueCheckin(row[0], row[1], row[2], row[3], row[4])

    async def prepare(
        self, session: AsyncSession, due: Sequence[DueCheckin], now: datetime
    ) -> Sequence[DueCheckin]:
        in_use = await acted_since(session, [d.user_id for d in due], now - IN_USE_WITHIN)
        return [d if d.user_id in in_use else replace(d, in_use=False) for d in due]

    def decide(self, due: DueCheckin, now: datetime, grace: timedelta) -> DueDecision:
        return decide_checkin(due.due_at, now, grace, due.reminder_time, due.timezone, due.in_use)

    async def compose(
        self, deliveries: Sequence[ClaimedDelivery], services: Services
    ) -> list[OutgoingMessage]:
        messages = []
        for delivery in deliveries:
            t = self._catalogs.translator(delivery.language)
            question = self._questions.get(t.language)
            if question is None:
                question = self._questions[t.language] = render_checkin_question(t)
            messages.append(OutgoingMessage(delivery.chat_id, *question))
        return messages
