"""Daily reminders end to end: set a time, receive the card, snooze, skip, and Telegram errors."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.db.models import User
from bot.domain.reminders import DeliveryStatus
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat

REMINDER_BUTTONS = [
    "▶️ Start 30 s",  # the card's stretch is held: its hold timer
    "✅ Done",
    "🔄 Another",
    "🧘 Start session",
    "⏰ Snooze 15 min",
    "⏰ Snooze 1 h",
    "⏭ Skip today",
    "🩺 New or worse symptoms?",
]


async def set_reminder_in(chat: Chat, minutes: int, zone: str = "Europe/Berlin") -> None:
    """Set the reminder time to `minutes` from the (fake) now, in local time."""
    await chat.say(f"/timezone {zone}", replies=2)
    local = (chat.clock.now() + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
    await chat.say(f"/time {local:%H:%M}", replies=2)


async def test_reminder_arrives_once_then_snooze_skip_and_done(chat: Chat, api: FakeBotApi) -> None:
    # Far from midnight in Berlin, so that a snooze does not carry "today" into tomorrow.
    local = chat.clock.now().astimezone(ZoneInfo("Europe/Berlin"))
    chat.clock.advance((local + timedelta(days=1)).replace(hour=9, minute=0) - local)
    await set_reminder_in(chat, 2)
    assert (await chat.tick()).claimed == 0  # not due yet

    chat.clock.advance(timedelta(minutes=2))
    report = await chat.tick()
    assert report.statuses == {DeliveryStatus.SENT: 1}
    card = chat.last
    assert card.text.startswith("⏰ Time for your daily stretch!")
    assert card.button_texts == REMINDER_BUTTONS
    assert (await chat.tick()).claimed == 0  # never doubled

    *_, snoozed = await chat.press("⏰ Snooze 15 min", replies=2, message_id=card.message_id)
    back_at = (chat.clock.now() + timedelta(minutes=15)).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"again in 15 minutes, at {back_at:%H:%M}" in snoozed.text
    chat.clock.advance(timedelta(minutes=15))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    again = chat.last
    assert again.text.startswith("⏰ Snoozed reminder")

    *_, skipped = await chat.press("⏭ Skip today", replies=2, message_id=again.message_id)
    assert "Skipped for today" in skipped.text and "Next reminder: tomorrow" in skipped.text

    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    *_, done = await chat.press("✅ Done", replies=2, message_id=chat.last.message_id)
    assert done.text.startswith("Nice work!")


async def test_rate_limited_send_goes_back_in_the_queue_and_is_delivered_once(
    chat: Chat, api: FakeBotApi
) -> None:
    await set_reminder_in(chat, 1)
    chat.clock.advance(timedelta(minutes=1))
    before = len(api.messages(chat.chat_id))
    api.fail_next("sendMessage", status=429, retry_after=1, chat_id=chat.chat_id)

    # Refused: pending again at once, not before Telegram's retry_after.
    assert (await chat.tick()).statuses == {DeliveryStatus.PENDING: 1}
    assert (await chat.tick()).claimed == 0
    chat.clock.advance(timedelta(seconds=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    assert (await chat.tick()).claimed == 0

    assert len(api.messages(chat.chat_id)) == before + 1
    refused = [c for c in api.calls_to("sendMessage") if c.status == 429]
    assert len(refused) == 1


async def test_blocked_at_send_time_marks_the_user_inactive(chat: Chat, api: FakeBotApi) -> None:
    await set_reminder_in(chat, 1)
    chat.clock.advance(timedelta(minutes=1))
    api.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    assert (await chat.tick()).statuses == {DeliveryStatus.BLOCKED: 1}
    assert not (await chat.user()).active
    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).claimed == 0  # no more sends to someone who blocked us


async def test_block_and_unblock_updates_switch_reminders_off_and_on(
    chat: Chat, api: FakeBotApi
) -> None:
    await set_reminder_in(chat, 1)
    await api.block_bot(chat.chat_id)
    await wait_until_inactive(chat, active=False)
    chat.clock.advance(timedelta(minutes=1))
    assert (await chat.tick()).claimed == 0

    await api.unblock_bot(chat.chat_id)
    await wait_until_inactive(chat, active=True)
    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}


async def wait_until_inactive(chat: Chat, *, active: bool) -> None:
    for _ in range(100):
        if (await chat.user()).active is active:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"user never became active={active}")


async def test_forget_while_the_reminder_is_on_its_way(chat: Chat, api: FakeBotApi) -> None:
    await set_reminder_in(chat, 1)
    chat.clock.advance(timedelta(minutes=1))
    api.delay_next("sendMessage", 1.0, chat_id=chat.chat_id)
    tick = asyncio.create_task(chat.tick())
    await api.wait_for_bot_messages(chat.chat_id, after=api.mark())  # reached Telegram
    await chat.say("/forget", replies=2)
    await chat.press("🗑 Yes, delete everything")
    report = await tick  # recording the result must not fail for a user who is gone
    assert report.statuses == {DeliveryStatus.SENT: 1}
    async with chat.services.sessions() as session:
        assert await session.get(User, chat.chat_id) is None


async def test_pausing_cancels_a_snoozed_reminder(chat: Chat) -> None:
    await set_reminder_in(chat, 1)
    chat.clock.advance(timedelta(minutes=1))
    await chat.tick()
    await chat.press("⏰ Snooze 15 min", replies=2, message_id=chat.last.message_id)
    await chat.say("/pause")
    await chat.press("Until I resume")
    chat.clock.advance(timedelta(minutes=20))
    assert (await chat.tick()).claimed == 0
