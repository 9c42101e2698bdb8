"""What a tick records for each reminder it sends."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import Activity, Delivery
from bot.domain.activity import ActivityKind
from bot.domain.reminders import DeliveryStatus
from tests.e2e.conftest import Chat


async def test_a_sent_reminder_is_logged_as_activity_with_its_stretch(chat: Chat) -> None:
    await chat.say("/timezone Europe/Berlin", replies=2)
    local = (chat.clock.now() + timedelta(minutes=1)).astimezone(ZoneInfo("Europe/Berlin"))
    await chat.say(f"/time {local:%H:%M}", replies=2)
    chat.clock.advance(timedelta(minutes=1))

    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}

    async with chat.services.sessions() as session:
        delivery = (await session.scalars(select(Delivery))).one()
        logged = (
            await session.scalars(
                select(Activity).where(Activity.kind == ActivityKind.REMINDER_SENT.value)
            )
        ).all()
    assert [(a.user_id, a.stretch_id, a.at) for a in logged] == [
        (chat.chat_id, delivery.stretch_id, chat.clock.now())
    ]
    stretch = chat.services.stretches.get(delivery.stretch_id or "")
    assert stretch is not None and stretch.name in chat.last.text
