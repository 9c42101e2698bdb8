"""Reminder kinds through the real tick and the sandbox: a kind the bot does not have is sent
exactly once by registering it, and the kinds the bot has keep the queue's rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import Activity, Delivery, User
from bot.db.users import ensure_user
from bot.domain.reminders import DeliveryStatus
from bot.reminders.kinds import ReminderKinds
from bot.reminders.kinds.stretch import DailyStretch, picker_chooser
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import TICKER_LEASE, Chat, TickerFactory
from tests.toy_kind import EVERY, BrokenToy, ToyNudge

LEASE = TICKER_LEASE


async def set_queue(chat: Chat, **values: object) -> None:
    chat.api.register_chat(chat.chat_id)  # the user wrote to the bot before
    async with chat.services.transaction() as session:
        user = await ensure_user(session, chat.chat_id, chat.chat_id, chat.clock.now())
        for name, value in values.items():
            setattr(user, name, value)


async def stored(chat: Chat, *columns: Any) -> list[tuple[Any, ...]]:
    async with chat.services.sessions() as session:
        return [tuple(row) for row in await session.execute(select(*columns))]


async def test_a_new_kind_is_sent_exactly_once_by_registering_it(
    chat: Chat, api: FakeBotApi, ticker_with: TickerFactory
) -> None:
    now = chat.clock.now()
    # Paused: the daily card is held back, the toy (no audience rule) is not.
    await set_queue(chat, paused=True, next_due_at=now, snooze_due_at=now, level=2)
    toy = ToyNudge()
    ticker = ticker_with([DailyStretch(picker_chooser(chat.services)), toy])
    before = len(api.messages(chat.chat_id))

    assert (await ticker.tick()).statuses == {DeliveryStatus.SENT: 1}
    assert chat.last.text == "🧸 Toy nudge (toy-2)"
    assert (await ticker.tick()).claimed == 0
    chat.clock.advance(EVERY)
    assert (await ticker.tick()).statuses == {DeliveryStatus.SENT: 1}

    assert [m.text for m in api.messages(chat.chat_id)[before:]] == ["🧸 Toy nudge (toy-2)"] * 2
    assert await stored(chat, Delivery.kind, Delivery.status) == [("toy", "sent")] * 2
    assert await stored(chat, Activity.kind) == []  # the toy records no activity
    assert await stored(chat, User.snooze_due_at) == [(now + 2 * EVERY,)]


async def test_a_kind_that_cannot_compose_holds_back_only_its_own(
    chat: Chat, api: FakeBotApi, ticker_with: TickerFactory
) -> None:
    now = chat.clock.now()
    await set_queue(chat, reminder_time=now.time(), next_due_at=now, snooze_due_at=now)
    daily = DailyStretch(picker_chooser(chat.services))

    assert (await ticker_with([daily, BrokenToy()]).tick()).statuses == {DeliveryStatus.SENT: 1}
    assert chat.last.text.startswith("⏰ Time for your daily stretch!")
    assert sorted(await stored(chat, Delivery.kind, Delivery.status)) == [
        ("daily", "sent"),
        ("toy", "pending"),  # not lost: the lease hands it to another tick
    ]

    chat.clock.advance(LEASE + timedelta(seconds=1))
    assert (await ticker_with([daily, ToyNudge()]).tick()).statuses == {DeliveryStatus.SENT: 1}
    assert chat.last.text == "🧸 Toy nudge (toy-1)"


async def test_the_bots_kinds_are_due_by_indexed_columns(chat: Chat) -> None:
    """Every registered kind is claimed through a partial index on active users, in the send
    order (due, then who waited longer): its migration adds it with the column."""
    kinds = list(chat.ticker.kinds)
    assert [kind.name for kind in kinds] == ["daily", "snooze", "weekly", "checkin"]
    for kind in kinds:
        column = kind.due_column.property.columns[0]
        [index] = [i for i in column.table.indexes if next(iter(i.expressions)) is column]
        _, tie_break = index.expressions
        assert str(tie_break) == "users.last_lateness_seconds DESC"
        assert "active = 1" in str(index.dialect_options["sqlite"]["where"])
        assert "active" in str(index.dialect_options["postgresql"]["where"])


def test_the_registry_refuses_kinds_that_would_clash() -> None:
    with pytest.raises(ValueError, match="two reminder kinds are named 'toy'"):
        ReminderKinds([ToyNudge(), ToyNudge()])
    with pytest.raises(ValueError, match="another kind is due by snooze_due_at"):
        ReminderKinds([ToyNudge(), _renamed(ToyNudge(), "toy2")])
    with pytest.raises(ValueError, match="must be 1-10 characters"):
        ReminderKinds([_renamed(ToyNudge(), "a-long-name")])


def _renamed(kind: ToyNudge, name: str) -> ToyNudge:
    kind.name = name
    return kind
