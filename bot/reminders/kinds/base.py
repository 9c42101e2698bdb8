"""What a reminder kind is: described once, so the claim and the tick need no ``if`` per kind."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from bot.db.reminders import Chooser, ClaimedDelivery, DueRow, DueT, may_receive
from bot.domain.activity import ActivityKind
from bot.domain.reminders import DueDecision
from bot.reminders.sender import OutgoingMessage
from bot.services import Services


def _nothing(_due: object) -> None:
    return None


class ReminderKind(ABC, Generic[DueT]):
    """One kind of reminder: where its queue entry lives, when it is due next, who may get it,
    what it sends. Register an instance in ``bot.reminders.kinds.standard_kinds``.

    ``DueT`` is what the claim loads for each due user (``load``), read by ``decide`` and the
    ``chooser``; it has ``user_id``, ``chat_id`` and ``due_at`` (``db.reminders.DueEntry``).
    """

    # Further users columns ``load`` reads (after id, chat_id and the due instant).
    columns: tuple[QueryableAttribute[Any], ...] = ()
    # Recorded in the activity log for each one sent (with the chosen stretch id), if any.
    activity: ClassVar[ActivityKind | None] = None

    def __init__(self, name: str, due_column: QueryableAttribute[datetime | None]) -> None:
        # Stored in deliveries.kind: unique, at most db.reminders.KIND_NAME_LENGTH characters.
        self.name = name
        # The users column of the queue entry (UTC instant, None when nothing is scheduled),
        # with a partial index on active users: the kind's migration adds both.
        self.due_column = due_column

    def audience(self, now: datetime) -> ColumnElement[bool] | None:
        """Who may receive it now besides being active: nobody on hold after a red-flag check
        or paused. The claim and the last check before sending both apply it. Override with
        None only for a message that must reach held and paused users too."""
        return may_receive(now)

    @abstractmethod
    def load(self, row: DueRow) -> DueT:
        """The due user from the claim's row: users.id, users.chat_id, the due instant (never
        None here), then ``columns`` in order."""

    @abstractmethod
    def decide(self, due: DueT, now: datetime, grace: timedelta) -> DueDecision:
        """Whether to send this one (late within ``grace`` at most) and the next due instant to
        store: the kind's domain rule (``domain.reminders``)."""

    async def prepare(
        self, session: AsyncSession, due: Sequence[DueT], now: datetime
    ) -> Sequence[DueT]:
        """Before deciding: load what ``decide`` and ``chooser`` need for the whole batch (one
        query), and settle the users the kind deals with itself, in the claim's transaction
        (the rows are locked). Those left out of the result get no delivery and keep the due
        entry the kind gave them. By default the batch, unchanged."""
        return due

    async def chooser(
        self, session: AsyncSession, due: Sequence[DueT], now: datetime
    ) -> Chooser[DueT]:
        """What each delivery shows, chosen at the claim and stored (deliveries.stretch_id) so
        that a delivery recovered after a crash shows the same. Load what the choice needs for
        the whole batch here, in one query. By default nothing is stored."""
        return _nothing

    @abstractmethod
    async def compose(
        self, deliveries: Sequence[ClaimedDelivery], services: Services
    ) -> list[OutgoingMessage]:
        """The message for each delivery, in order, just before the send. Render through
        ``render/``; cache what many users share (a card per stretch and language)."""
