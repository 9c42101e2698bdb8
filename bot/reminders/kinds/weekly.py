"""The weekly summary: the progress picture, a look back at the week, one suggestion for the
next, and one education card offered, on the user's day and time."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.db.activity import done_log
from bot.db.models import User
from bot.db.reminders import Chooser, ClaimedDelivery, DueRow
from bot.domain.progress import LOG_LOOKBACK, progress_from_log, suggest
from bot.domain.reminders import DueDecision
from bot.domain.weekly import KIND, WeeklySettings, decide_weekly
from bot.reminders.kinds.base import ReminderKind
from bot.reminders.sender import OutgoingMessage
from bot.render.i18n import Catalogs
from bot.render.progress_picture import render_progress_picture
from bot.render.weekly import render_weekly_caption, weekly_keyboard
from bot.services import Services

NAME = KIND


@dataclass(frozen=True)
class WeeklyDue:
    user_id: int
    chat_id: int
    due_at: datetime
    settings: WeeklySettings
    created_at: datetime


def card_for_week(catalog: Catalog, created_at: datetime, due_at: datetime) -> str | None:
    """The card offered: the next one each week from first contact, so a new user starts with
    the first card and meets them all in turn."""
    cards = catalog.learn
    if not len(cards):
        return None
    return cards.at((due_at - created_at).days // 7).id


class WeeklySummary(ReminderKind[WeeklyDue]):
    columns = (
        User.timezone,
        User.reminder_time,
        User.weekly_summary,
        User.weekly_day,
        User.weekly_time,
        User.created_at,
    )

    def __init__(self, catalog: Catalog, catalogs: Catalogs | None = None) -> None:
        super().__init__(NAME, User.weekly_due_at)
        self._catalog = catalog
        self._catalogs = catalogs or Catalogs()

    def load(self, row: DueRow) -> WeeklyDue:
        zone, reminder_time, enabled, day, weekly_time, created_at = row[3:9]
        settings = WeeklySettings(enabled, day, weekly_time, reminder_time, zone)
        return WeeklyDue(row[0], row[1], row[2], settings, created_at)

    def decide(self, due: WeeklyDue, now: datetime, grace: timedelta) -> DueDecision:
        return decide_weekly(due.due_at, now, grace, due.settings)

    async def chooser(
        self, session: AsyncSession, due: Sequence[WeeklyDue], now: datetime
    ) -> Chooser[WeeklyDue]:
        catalog = self._catalog
        return lambda entry: card_for_week(catalog, entry.created_at, entry.due_at)

    async def compose(
        self, deliveries: Sequence[ClaimedDelivery], services: Services
    ) -> list[OutgoingMessage]:
        now = services.clock.now()
        ids = [delivery.user_id for delivery in deliveries]
        async with services.sessions() as session:
            users = {
                user_id: (zone, list(focus or []))
                for user_id, zone, focus in await session.execute(
                    select(User.id, User.timezone, User.focus_areas).where(User.id.in_(ids))
                )
            }
            logs = await done_log(session, ids, now - LOG_LOOKBACK)
        messages = []
        for delivery in deliveries:
            zone, focus = users.get(delivery.user_id, ("UTC", []))
            messages.append(
                await self._message(
                    delivery, services, now, zone, focus, logs.get(delivery.user_id, [])
                )
            )
        return messages

    async def _message(
        self,
        delivery: ClaimedDelivery,
        services: Services,
        now: datetime,
        zone: str,
        focus: list[str],
        log: list[tuple[datetime, str | None]],
    ) -> OutgoingMessage:
        t = self._catalogs.translator(delivery.language)
        content = services.catalog.in_language(t.language)
        progress = progress_from_log(log, now, zone, content.stretches.get)
        card = content.learn.get(delivery.stretch_id or "")
        caption = render_weekly_caption(t, progress, suggest(progress, focus), card)
        # Drawing takes tens of milliseconds of CPU: off the event loop.
        picture = await asyncio.to_thread(render_progress_picture, t, progress)
        return OutgoingMessage(delivery.chat_id, caption, weekly_keyboard(t, card), photo=picture)
