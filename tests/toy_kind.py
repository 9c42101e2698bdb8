"""A reminder kind that exists only in the tests: it shows that a new kind is one class and a
due column, with no change to the claim or the tick.

The toy is an hourly nudge that reaches paused and held users too (no audience rule), keyed on
the snooze column (a real kind would add its own column in a migration; one kind per column,
so the toy replaces the snoozed stretch in the registries the tests build).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.db.reminders import Chooser, ClaimedDelivery, DueRow
from bot.domain.reminders import DueDecision
from bot.domain.schedule import is_within_grace
from bot.reminders.kinds import ReminderKind
from bot.reminders.sender import OutgoingMessage
from bot.services import Services

EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class ToyDue:
    user_id: int
    chat_id: int
    due_at: datetime
    level: int


class ToyNudge(ReminderKind[ToyDue]):
    columns = (User.level,)

    def __init__(self) -> None:
        super().__init__("toy", User.snooze_due_at)
        self.composed = 0

    def audience(self, now: datetime) -> ColumnElement[bool] | None:
        return None

    def load(self, row: DueRow) -> ToyDue:
        return ToyDue(row[0], row[1], row[2], row[3])

    def decide(self, due: ToyDue, now: datetime, grace: timedelta) -> DueDecision:
        following = due.due_at + EVERY
        while following <= now:
            following += EVERY
        return DueDecision(send=is_within_grace(due.due_at, now, grace), next_due=following)

    async def chooser(
        self, session: AsyncSession, due: Sequence[ToyDue], now: datetime
    ) -> Chooser[ToyDue]:
        return lambda due: f"toy-{due.level}"

    async def compose(
        self, deliveries: Sequence[ClaimedDelivery], services: Services
    ) -> list[OutgoingMessage]:
        self.composed += len(deliveries)
        return [
            OutgoingMessage(d.chat_id, f"🧸 Toy nudge ({d.stretch_id})", None) for d in deliveries
        ]


class BrokenToy(ToyNudge):
    """A toy whose messages cannot be composed (a failing picture, say)."""

    async def compose(
        self, deliveries: Sequence[ClaimedDelivery], services: Services
    ) -> list[OutgoingMessage]:
        raise RuntimeError("cannot draw the toy")
