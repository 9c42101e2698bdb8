"""Stretch cards: the daily reminder, and the one-off snoozed reminder it can be put off to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute
from telegram import InlineKeyboardMarkup

from bot.db.activity import recent_stretches
from bot.db.feedback import stopped_stretches
from bot.db.models import User
from bot.db.reengagement import OFFER_MARK, pause_lapsed, reengagement_steps
from bot.db.reminders import Chooser, ClaimedDelivery, DueRow
from bot.domain.abilities import cannot_of
from bot.domain.activity import ActivityKind
from bot.domain.picking import EVERY_NEED, NothingToPick, PickFor
from bot.domain.precautions import EVERY_PRECAUTION, forbidden_for_stored
from bot.domain.reengagement import Step
from bot.domain.reminders import DeliveryKind, DueDecision, decide_daily, decide_once
from bot.reminders.kinds.base import ReminderKind
from bot.reminders.sender import OutgoingMessage
from bot.render.feedback import NOTHING_LEFT
from bot.render.i18n import Catalogs, text
from bot.render.reengagement import render_offer
from bot.render.stretch_card import render_reminder_card
from bot.services import Services


@dataclass(frozen=True)
class DueUser:
    """A user whose stretch reminder fell due, as the claim read them."""

    user_id: int
    chat_id: int
    due_at: datetime
    timezone: str
    reminder_time: time | None
    reminder_days: int
    focus_areas: list[str]
    level: int
    precaution_answers: int
    area_levels: dict[str, int] = field(default_factory=dict)
    # Stretches that hurt them (loaded for the batch by the chooser): never sent.
    stopped: frozenset[str] = frozenset()
    cannot: int = 0
    # Daily reminders only (``domain.reengagement``): a stretch card, or the offer instead.
    step: Step = Step.REMIND


# (due user, stretch ids shown to them lately, newest first) -> the stretch id to send.
StretchChooser = Callable[[DueUser, list[str]], str]

# In place of a stretch id: every stretch safe for the user is one they stopped (it hurt), so
# the reminder says so instead of showing one of them.
NOTHING_LEFT_MARK = "~none"
# Reminders that showed no stretch (they never count as recently shown).
NO_STRETCH = frozenset({OFFER_MARK, NOTHING_LEFT_MARK})


def picker_chooser(services: Services) -> StretchChooser:
    """The library's picker, for the user's focus, level and safety answers, avoiding what they
    saw lately and never a stretch they stopped."""

    def choose(user: DueUser, recent_ids: list[str]) -> str:
        for_user = PickFor(
            forbidden=forbidden_for_stored(user.precaution_answers),
            cannot=cannot_of(user.cannot),
            focus_areas=user.focus_areas,
            level=user.level,
            area_levels=user.area_levels,
            recent_ids=recent_ids,
            stopped_ids=user.stopped,
        )
        try:
            return services.picker.pick_for(for_user, rng=services.rng).id
        except NothingToPick:  # they stopped every stretch safe for them: say so, as /stretch
            return NOTHING_LEFT_MARK

    return choose


class StretchReminder(ReminderKind[DueUser]):
    """A stretch card, chosen at the claim: the daily reminder and the snoozed one differ only
    in their queue column, their rule and their heading."""

    columns = (
        User.timezone,
        User.reminder_time,
        User.reminder_days,
        User.focus_areas,
        User.level,
        User.precaution_answers,
        User.area_levels,
        User.cannot,
    )
    activity = ActivityKind.REMINDER_SENT

    def __init__(
        self,
        kind: DeliveryKind,
        due_column: QueryableAttribute[datetime | None],
        choose: StretchChooser,
        catalogs: Catalogs,
    ) -> None:
        super().__init__(kind.value, due_column)
        self.kind = kind
        self.choose = choose
        self._catalogs = catalogs
        # The card for each stretch and language, rendered once: the library does not change
        # while the bot runs, and the (immutable) keyboard can be shared.
        self._cards: dict[tuple[str | None, str], tuple[str, InlineKeyboardMarkup]] = {}

    def load(self, row: DueRow) -> DueUser:
        return DueUser(
            user_id=row[0],
            chat_id=row[1],
            due_at=row[2],
            timezone=row[3],
            reminder_time=row[4],
            reminder_days=row[5],
            focus_areas=list(row[6] or []),
            level=row[7],
            precaution_answers=row[8],
            area_levels=dict(row[9] or {}),
            cannot=row[10],
        )

    async def chooser(
        self, session: AsyncSession, due: Sequence[DueUser], now: datetime
    ) -> Chooser[DueUser]:
        ids = [user.user_id for user in due]
        recent = await recent_stretches(session, ids, now)
        stopped = await stopped_stretches(session, ids)
        choose = self.choose

        def chosen(user: DueUser) -> str:
            if user.step is Step.OFFER:
                return OFFER_MARK
            if user.user_id in stopped:
                user = replace(user, stopped=frozenset(stopped[user.user_id]))
            # The offer is logged like a reminder sent, but it showed no stretch.
            shown = [sid for sid in recent.get(user.user_id, []) if sid not in NO_STRETCH]
            return choose(user, shown)

        return chosen

    async def compose(
        self, deliveries: Sequence[ClaimedDelivery], services: Services
    ) -> list[OutgoingMessage]:
        messages = []
        for delivery in deliveries:
            keyboard: InlineKeyboardMarkup | None
            if delivery.stretch_id == OFFER_MARK:
                body, keyboard = self._offer(delivery.language)
            elif delivery.stretch_id == NOTHING_LEFT_MARK:
                body, keyboard = (
                    text(self._catalogs.translator(delivery.language), NOTHING_LEFT),
                    None,
                )
            else:
                body, keyboard = self._card(delivery.stretch_id, delivery.language, services)
            messages.append(OutgoingMessage(delivery.chat_id, body, keyboard))
        return messages

    def _offer(self, language: str | None) -> tuple[str, InlineKeyboardMarkup]:
        t = self._catalogs.translator(language)
        key = (OFFER_MARK, t.language)
        offer = self._cards.get(key)
        if offer is None:
            offer = self._cards[key] = render_offer(t)
        return offer

    def _card(
        self, stretch_id: str | None, language: str | None, services: Services
    ) -> tuple[str, InlineKeyboardMarkup]:
        t = self._catalogs.translator(language)
        key = (stretch_id, t.language)
        card = self._cards.get(key)
        if card is None:
            # A stretch the library no longer has: one safe under every precaution instead.
            chosen = services.stretches.get(stretch_id or "") or services.picker.pick(
                forbidden=EVERY_PRECAUTION, cannot=EVERY_NEED, rng=services.rng
            )
            stretch = services.catalog.in_language(t.language).stretches.get(chosen.id) or chosen
            card = self._cards[key] = render_reminder_card(t, stretch, self.kind)
        return card


class DailyStretch(StretchReminder):
    """The daily reminder at the user's time on their chosen days, in their timezone."""

    def __init__(self, choose: StretchChooser, catalogs: Catalogs | None = None) -> None:
        super().__init__(DeliveryKind.DAILY, User.next_due_at, choose, catalogs or Catalogs())

    async def prepare(
        self, session: AsyncSession, due: Sequence[DueUser], now: datetime
    ) -> Sequence[DueUser]:
        """Who has ignored their reminders (``domain.reengagement``): the eighth in a row
        becomes the offer; after an unanswered offer, reminders pause and nothing is sent."""
        steps = await reengagement_steps(session, [user.user_id for user in due])
        if not steps:
            return due
        await pause_lapsed(session, [uid for uid, step in steps.items() if step is Step.LAPSE])
        return [
            replace(user, step=step) if (step := steps.get(user.user_id)) is not None else user
            for user in due
            if steps.get(user.user_id) is not Step.LAPSE
        ]

    def decide(self, due: DueUser, now: datetime, grace: timedelta) -> DueDecision:
        return decide_daily(
            due.due_at, now, grace, due.reminder_time, due.reminder_days, due.timezone
        )


class SnoozedStretch(StretchReminder):
    """A reminder put off with Snooze: sent once, without moving the daily schedule."""

    def __init__(self, choose: StretchChooser, catalogs: Catalogs | None = None) -> None:
        super().__init__(DeliveryKind.SNOOZE, User.snooze_due_at, choose, catalogs or Catalogs())

    def decide(self, due: DueUser, now: datetime, grace: timedelta) -> DueDecision:
        return decide_once(due.due_at, now, grace)


def stretch_kinds(
    choose: StretchChooser, catalogs: Catalogs | None = None
) -> list[StretchReminder]:
    return [DailyStretch(choose, catalogs), SnoozedStretch(choose, catalogs)]
