"""Gentle re-engagement through the sandbox: seven ignored reminders bring one offer; no reply
pauses reminders silently; a reply keeps them; nothing reaches someone who blocked the bot."""

from __future__ import annotations

from datetime import time, timedelta

from bot.domain.reminders import DeliveryStatus
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat
from tests.e2e.test_reminders import set_reminder_in, wait_until_inactive

OFFER_HEADING = "👋 Are these reminders still working for you?"
OFFER_BUTTONS = [
    "🕐 Change the time",
    "⏸ Pause for a week",
    "🛑 Stop reminders",
    "👍 Keep them coming",
]


async def ignore_reminders(chat: Chat, days: int) -> None:
    """Let ``days`` daily reminders arrive, one a day, and press nothing."""
    for _ in range(days):
        chat.clock.advance(timedelta(days=1))
        newest = chat.api.last_message(chat.chat_id)
        sent = (await chat.tick()).statuses
        # A daily card; after a stretch done in the first week, a weekly summary may come too.
        assert set(sent) == {DeliveryStatus.SENT} and sent[DeliveryStatus.SENT] in (1, 2)
        assert newest is None or chat.last_reminder().message_id > newest.message_id


async def seven_ignored(chat: Chat) -> None:
    # In UTC a day is always 24 hours: in Berlin the week before a clock change is not.
    await set_reminder_in(chat, 1, zone="UTC")
    chat.clock.advance(timedelta(minutes=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    await ignore_reminders(chat, 6)


async def test_offer_once_then_silent_self_pause(chat: Chat, api: FakeBotApi) -> None:
    await seven_ignored(chat)

    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    offer = chat.last
    assert offer.text.startswith(OFFER_HEADING)
    assert "before your next reminder, I'll pause them" in offer.text
    assert offer.button_texts == OFFER_BUTTONS
    assert (await chat.tick()).claimed == 0  # exactly once

    sent_before = len(api.messages(chat.chat_id))
    chat.clock.advance(timedelta(days=1))  # the next reminder's time, with no reply
    assert (await chat.tick()).claimed == 0
    user = await chat.user()
    assert user.paused and user.paused_until is None and user.next_due_at is None
    for _ in range(3):  # and nothing more, ever (the check-in is still two days off)
        chat.clock.advance(timedelta(days=1))
        assert (await chat.tick()).claimed == 0
    assert len(api.messages(chat.chat_id)) == sent_before

    (settings,) = await chat.say("/settings")
    assert "Status: Paused until you resume" in settings.text
    resumed, _settings = await chat.say("/resume", replies=2)
    assert resumed.text.startswith("Reminders are back on")
    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    assert chat.last.text.startswith("⏰ Time for your daily stretch!")  # a fresh start


async def test_keep_them_coming_keeps_the_reminders(chat: Chat) -> None:
    await seven_ignored(chat)
    chat.clock.advance(timedelta(days=1))
    await chat.tick()
    edited, kept = await chat.press("👍 Keep them coming", replies=2)
    assert kept.text.startswith("Great, your reminders carry on")
    assert edited.text.startswith(OFFER_HEADING) and edited.button_texts == []  # pressed once

    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    assert chat.last.text.startswith("⏰ Time for your daily stretch!")
    assert not (await chat.user()).paused


async def test_change_the_time_shows_the_time_picker_which_takes_a_typed_time(
    chat: Chat,
) -> None:
    await seven_ignored(chat)
    chat.clock.advance(timedelta(days=1))
    await chat.tick()
    _edited, answer, picker = await chat.press("🕐 Change the time", replies=3)
    assert answer.text.startswith("Sure. Pick a time")
    assert "When should I remind you?" in picker.text
    assert "07:30" in picker.button_texts
    # The screen says a time may be typed: a plain "7pm" is understood.
    await chat.say("7pm")
    assert (await chat.user()).reminder_time == time(19, 0)


async def test_pause_for_a_week(chat: Chat) -> None:
    await seven_ignored(chat)
    chat.clock.advance(timedelta(days=1))
    await chat.tick()
    _edited, paused = await chat.press("⏸ Pause for a week", replies=2)
    assert "paused for 7 days" in paused.text
    user = await chat.user()
    assert user.paused and user.paused_until == chat.clock.now() + timedelta(days=7)


async def test_stop_reminders(chat: Chat) -> None:
    await seven_ignored(chat)
    chat.clock.advance(timedelta(days=1))
    await chat.tick()
    _edited, stopped = await chat.press("🛑 Stop reminders", replies=2)
    assert stopped.text.startswith("Reminders are off. /resume")
    user = await chat.user()
    assert user.paused and user.paused_until is None and user.next_due_at is None


async def test_any_reply_between_reminders_starts_the_count_again(chat: Chat) -> None:
    await set_reminder_in(chat, 1, zone="UTC")
    chat.clock.advance(timedelta(minutes=1))
    await chat.tick()
    await ignore_reminders(chat, 3)
    chat.clock.advance(timedelta(minutes=1))  # a person answers after the card arrives
    await chat.press("✅ Done", replies=2)  # on the fourth
    await ignore_reminders(chat, 6)  # six ignored since
    await ignore_reminders(chat, 1)  # the seventh: still a stretch card
    chat.clock.advance(timedelta(days=1))
    await chat.tick()
    assert chat.last.text.startswith(OFFER_HEADING)


async def test_nothing_reaches_a_user_who_blocked_the_bot(chat: Chat, api: FakeBotApi) -> None:
    await seven_ignored(chat)
    await api.block_bot(chat.chat_id)
    await wait_until_inactive(chat, active=False)
    sent_before = len(api.messages(chat.chat_id))
    for _ in range(3):
        chat.clock.advance(timedelta(days=1))
        assert (await chat.tick()).claimed == 0
    assert len(api.messages(chat.chat_id)) == sent_before
    assert not [c for c in api.calls_to("sendMessage") if c.status == 403]


async def test_an_offer_refused_with_403_marks_the_user_inactive(
    chat: Chat, api: FakeBotApi
) -> None:
    await seven_ignored(chat)
    chat.clock.advance(timedelta(days=1))
    api.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    assert (await chat.tick()).statuses == {DeliveryStatus.BLOCKED: 1}
    assert not (await chat.user()).active
    chat.clock.advance(timedelta(days=1))
    assert (await chat.tick()).claimed == 0
