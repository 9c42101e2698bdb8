"""The weekly summary through the real tick and the sandbox: on by a stretch in the first week,
sent exactly once a week across a DST change and a restart, with the picture, a suggestion
and a card; switched on, moved and off from /settings, and off from the summary itself."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.catalog import Catalog
from bot.clock import FakeClock
from bot.db.models import Delivery, User
from bot.domain.reminders import DeliveryStatus
from bot.reminders.kinds import standard_kinds
from bot.sandbox.models import SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat, TickerFactory, running_bot

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 14 October 2026, 12:00 in Berlin (CEST); clocks go back on Sunday 25 October.
START = datetime(2026, 10, 14, 10, 0, tzinfo=UTC)
STEP = timedelta(minutes=30)
SUMMARY_BUTTONS = ["📝 Text version", "🔕 Stop weekly summaries"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def line(text: str, prefix: str) -> str:
    return next(row for row in text.splitlines() if row.startswith(prefix))


def summaries(api: FakeBotApi, chat_id: int) -> list[SentMessage]:
    return [
        m for m in api.messages(chat_id) if m.kind == "photo" and m.text.startswith("📊 Your week")
    ]


async def weekly_deliveries(chat: Chat) -> list[tuple[datetime, str]]:
    async with chat.services.sessions() as session:
        rows = await session.execute(
            select(Delivery.due_at, Delivery.status)
            .where(Delivery.kind == "weekly")
            .order_by(Delivery.due_at)
        )
    return [(due_at, status) for due_at, status in rows]


async def tick_until(chat: Chat, end: datetime, step: timedelta = STEP) -> None:
    """Tick every ``step`` of fake time up to ``end``, as a running bot would."""
    while chat.clock.now() < end:
        chat.clock.advance(step)
        if (await chat.tick()).claimed:
            assert (await chat.tick()).claimed == 0  # the same instant again: nothing more


async def test_sent_exactly_once_a_week_across_dst_and_a_restart(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    first_sunday = datetime(2026, 10, 18, 5, 30, tzinfo=UTC)  # 07:30 CEST
    second_sunday = datetime(2026, 10, 25, 6, 30, tzinfo=UTC)  # 07:30 CET, after the change
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        await chat.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
        await chat.say("/timezone Europe/Berlin", replies=2)
        await chat.say("/time 07:30", replies=2)
        [screen] = await chat.say("/settings")
        assert line(screen.text, "Weekly summary:") == "Weekly summary: Off"
        _, card = await chat.say("/stretch", replies=2)
        await chat.press("✅ Done", replies=2, message_id=card.message_id)  # in the first week
        [screen] = await chat.say("/settings")
        assert line(screen.text, "Weekly summary:") == "Weekly summary: Sun at 07:30"
        assert (await chat.user()).weekly_due_at == first_sunday

        await tick_until(chat, first_sunday + timedelta(hours=5))
        [summary] = summaries(api, chat.chat_id)
        assert summary.file is not None and summary.file.mime_type == "image/png"
        assert "You stretched on 1 day of the last 7" in summary.text
        assert "Current streak: 0 days · best: 1 day" in summary.text  # Wednesday only
        assert "Next week:" in summary.text
        first_card = catalog.learn.cards[0]
        assert summary.button_texts == [f"📖 Read: {first_card.title}", *SUMMARY_BUTTONS]
        [read] = await chat.press(f"📖 Read: {first_card.title}", message_id=summary.message_id)
        assert read.text.startswith(f"📖 {first_card.title}")  # below the summary, not over it

    # A new process (a restart, or another replica) on the same database.
    async with running_bot(api, sqlite_url, catalog, clock) as restarted:
        await tick_until(restarted, first_sunday + timedelta(days=3))
        # Asking for a stretch midweek (not doing it): daily reminders are not all ignored,
        # so they do not pause themselves (tests/e2e/test_reengagement.py), and this week
        # still counts no day stretched.
        await restarted.say("/stretch", replies=2)
        await tick_until(restarted, second_sunday + timedelta(days=2))
        assert await weekly_deliveries(restarted) == [
            (first_sunday, DeliveryStatus.SENT.value),
            (second_sunday, DeliveryStatus.SENT.value),
        ]
        second = summaries(api, restarted.chat_id)[-1]
        assert len(summaries(api, restarted.chat_id)) == 2
        assert second.button_texts[0] == f"📖 Read: {catalog.learn.cards[1].title}"
        assert "You stretched on 0 days of the last 7 (the week before: 1)" in second.text
        sent_at = [
            call
            for call in api.calls_to("sendPhoto")
            if call.ok and "Your week" in str(call.params)
        ]
        assert len(sent_at) == 2


async def test_on_moved_and_off_from_settings_and_off_from_the_summary(chat: Chat) -> None:
    await chat.say("/timezone Europe/Berlin", replies=2)
    [screen] = await chat.say("/settings")
    [menu] = await chat.press("📊 Weekly summary", message_id=screen.message_id)
    assert line(menu.text, "Now:") == "Now: Off"
    [menu] = await chat.press("🔔 Turn on")
    assert line(menu.text, "Now:") == "Now: Sun at 18:00"  # no reminder time: 18:00
    await chat.press("Wed")
    [menu] = await chat.press("20:00")
    assert line(menu.text, "Now:") == "Now: Wed at 20:00"
    assert "✅ Wed" in menu.button_texts and "✅ 20:00" in menu.button_texts
    [screen] = await chat.press("⬅️ Back to settings")
    assert line(screen.text, "Weekly summary:") == "Weekly summary: Wed at 20:00"
    wednesday = datetime(2026, 10, 14, 18, 0, tzinfo=UTC)  # 20:00 CEST, today
    assert (await chat.user()).weekly_due_at == wednesday
    summary_of_data, document = await chat.say("/mydata", replies=2)
    assert "• Weekly summary: Wed at 20:00" in summary_of_data.text
    assert document.file is not None and document.file.content is not None
    [exported] = json.loads(document.file.content)["users"]
    assert (exported["weekly_summary"], exported["weekly_day"]) == (True, 2)
    assert (exported["weekly_time"], exported["weekly_due_at"]) == (
        "20:00:00",
        wednesday.isoformat(),
    )

    await tick_until(chat, wednesday + timedelta(hours=1))
    [summary] = summaries(chat.api, chat.chat_id)
    assert "You stretched on 0 days" in summary.text and "Pick two days" in summary.text
    *_, off = await chat.press("🔕 Stop weekly summaries", replies=2, message_id=summary.message_id)
    assert off.text == "Weekly summary off. You can turn it back on in /settings."
    user = await chat.user()
    assert user.weekly_summary is False and user.weekly_due_at is None

    # On again at once, and moved to Saturday: this week had its summary, so next week's.
    [screen] = await chat.say("/settings")
    await chat.press("📊 Weekly summary", message_id=screen.message_id)
    [menu] = await chat.press("🔔 Turn on")
    assert line(menu.text, "Now:") == "Now: Wed at 20:00"
    assert (await chat.user()).weekly_due_at == wednesday + timedelta(weeks=1)
    await chat.press("Sat")
    saturday = datetime(2026, 10, 24, 18, 0, tzinfo=UTC)  # not 17 October, this week
    assert (await chat.user()).weekly_due_at == saturday
    [menu] = await chat.press("🔕 Turn off")
    assert line(menu.text, "Now:") == "Now: Off"

    await tick_until(chat, wednesday + timedelta(days=8), timedelta(hours=3))
    assert len(summaries(chat.api, chat.chat_id)) == 1
    [screen] = await chat.say("/settings")
    [menu] = await chat.press("📊 Weekly summary", message_id=screen.message_id)
    assert line(menu.text, "Now:") == "Now: Off" and "🔔 Turn on" in menu.button_texts


async def test_a_stretch_after_the_first_week_leaves_it_off(chat: Chat) -> None:
    async with chat.services.transaction() as session:
        user = await session.get(User, chat.chat_id)
        assert user is not None
        user.created_at = START - timedelta(days=7, minutes=1)
    _, card = await chat.say("/stretch", replies=2)
    await chat.press("✅ Done", replies=2, message_id=card.message_id)
    user = await chat.user()
    assert user.weekly_summary is None and user.weekly_due_at is None


async def test_not_sent_while_paused(chat: Chat) -> None:
    _, card = await chat.say("/stretch", replies=2)
    await chat.press("✅ Done", replies=2, message_id=card.message_id)
    due = (await chat.user()).weekly_due_at
    assert due is not None
    await chat.say("/pause")
    await chat.press("Until I resume")
    await tick_until(chat, due + timedelta(hours=1))
    assert summaries(chat.api, chat.chat_id) == []
    assert await weekly_deliveries(chat) == []


async def test_two_processes_ticking_at_once_send_it_once(
    chat: Chat, ticker_with: TickerFactory
) -> None:
    _, card = await chat.say("/stretch", replies=2)
    await chat.press("✅ Done", replies=2, message_id=card.message_id)
    due = (await chat.user()).weekly_due_at
    assert due is not None
    chat.clock.set(due)
    replicas = [ticker_with(list(standard_kinds(chat.services))) for _ in range(3)]

    reports = await asyncio.gather(*(replica.tick() for replica in replicas))

    assert sum(report.claimed for report in reports) == 1
    assert len(summaries(chat.api, chat.chat_id)) == 1
    assert await weekly_deliveries(chat) == [(due, DeliveryStatus.SENT.value)]
