"""Guided sessions and the hold timer through the sandbox over real HTTP, on a fake clock: from
the reminder's Start session button to the end with every button, the countdown's edits and
buzzes as Telegram would receive them, a restart in the middle, and one timer per user."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from sqlalchemy import select

from bot.catalog import Catalog
from bot.clock import FakeClock
from bot.db.models import Activity, GuidedSession, Timer
from bot.domain.timer import timer_schedule
from bot.render.texts import STALE_BUTTON
from bot.sandbox.models import ApiCall, SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat, running_bot
from tests.e2e.test_groups import settle
from tests.e2e.test_reminders import set_reminder_in

START_SESSION = "🧘 Start session"
NEXT, SKIP, STOP = "➡️ Next", "⏭ Skip", "⏹ Stop session"


def start_label(message: SentMessage) -> str | None:
    return next((b for b in message.button_texts if b.startswith("▶️ Start")), None)


async def timer_row(chat: Chat) -> Timer | None:
    async with chat.services.sessions() as session:
        return await session.get(Timer, chat.chat_id)


async def run_timer_to_the_end(chat: Chat, limit: int = 400) -> list[ApiCall]:
    """Tick the timers at each of the user's timer's due instants (the fake clock jumps
    there) until it is over; the calls the ticks made to the chat (polling left out)."""
    first = len(chat.api.calls)
    for _ in range(limit):
        await next_due(chat)
        await chat.tick_timers()
        if await timer_row(chat) is None:
            return to_the_chat(chat.api.calls[first:])
    raise AssertionError("the timer never ended")


async def next_due(chat: Chat) -> None:
    """Move the fake clock to the user's timer's next event (at least a second on)."""
    timer = await timer_row(chat)
    step = timedelta(seconds=1)
    if timer is not None and timer.next_at - chat.clock.now() > step:
        step = timer.next_at - chat.clock.now()
    chat.clock.advance(step)


def to_the_chat(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if c.method in ("editMessageText", "sendMessage")]


def edits_of(calls: list[ApiCall], message_id: int) -> list[ApiCall]:
    return [
        c
        for c in calls
        if c.method == "editMessageText" and int(c.params["message_id"]) == message_id and c.ok
    ]


def buzzes(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if c.method == "sendMessage" and c.ok]


async def press_start(chat: Chat, card: SentMessage, replies: int = 1) -> SentMessage:
    """Press the card's Start button; the countdown message (after ``replies - 1`` others)."""
    label = start_label(card)
    assert label is not None, card.button_texts
    *_, countdown = await chat.press(label, replies=replies, message_id=card.message_id)
    assert countdown.text.endswith("Get into position… 5 s")
    return countdown


async def test_a_session_from_the_reminder_to_the_end_with_a_restart_in_the_middle(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        await chat.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
        await set_reminder_in(chat, 1)
        chat.clock.advance(timedelta(minutes=1))
        await chat.tick()
        reminder = chat.last
        assert START_SESSION in reminder.button_texts

        # Start: the reminder loses its buttons; an intro, a picture and the first step.
        _, intro, _picture, step = await chat.press(
            START_SESSION, replies=4, message_id=reminder.message_id
        )
        assert "Your session" in intro.text and "5 steps" in intro.text
        assert step.text.startswith("Step 1 of 5 · warm-up")
        assert {NEXT, SKIP, STOP} <= set(step.button_texts)

        # Skip the warm-up.
        *_, step = await chat.press(SKIP, replies=3, message_id=step.message_id)
        assert step.text.startswith("Step 2 of 5 · stretch")

        # Time step 2 to the end: edits every 5 s, a buzz per hold, then Next.
        countdown = await press_start(chat, step)
        timer = await timer_row(chat)
        assert timer is not None
        plan = timer_schedule(timer.hold_seconds, timer.holds)
        calls = await run_timer_to_the_end(chat)
        edits = edits_of(calls, countdown.message_id)
        assert len(edits) == sum(not e.cue.buzzes for e in plan)
        gaps = [b.at - a.at for a, b in pairwise(calls)]
        assert all(gap >= 1.0 for gap in gaps), gaps
        sent = [c.params["text"] for c in buzzes(calls)]
        name = step.text.split("\n")[1]
        assert len(sent) == timer.holds and sent[-1] == f"✅ Done: {name}. Well held!"
        done_buzz = chat.last
        assert done_buzz.button_texts == [NEXT, STOP]
        assert api.message(chat.chat_id, countdown.message_id).text.endswith("Time's up.")
        *_, step = await chat.press(NEXT, replies=3, message_id=done_buzz.message_id)
        assert step.text.startswith("Step 3 of 5 · stretch")

        # Step 3: start the timer and let a few edits through, then the bot stops.
        countdown = await press_start(chat, step)
        for _ in range(12):
            chat.clock.advance(timedelta(seconds=1))
            await chat.tick_timers()
        before_restart = edits_of(api.calls, countdown.message_id)
        assert before_restart[-1].params["text"].endswith("<b>25 s</b> left")

    # A new process on the same database file picks the timer up where it was.
    clock.advance(timedelta(seconds=3))
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        timer = await timer_row(chat)
        assert timer is not None
        calls = await run_timer_to_the_end(chat)
        resumed = edits_of(calls, countdown.message_id)
        assert resumed[0].params["text"].endswith("<b>20 s</b> left")  # missed ones collapsed
        assert len(buzzes(calls)) == timer.holds
        *_, step = await chat.press(NEXT, replies=3, message_id=chat.last.message_id)
        assert step.text.startswith("Step 4 of 5 · stretch")

        # Only one timer per user: a second Start stops the first one's countdown.
        first = await press_start(chat, step)
        second = await press_start(chat, step, replies=2)
        assert api.message(chat.chat_id, first.message_id).text.endswith("⏹ Timer stopped.")
        chat.clock.advance(timedelta(seconds=6))
        before = len(api.calls)
        await chat.tick_timers()
        assert not edits_of(api.calls[before:], first.message_id)
        assert edits_of(api.calls[before:], second.message_id)
        # Next while it runs: the countdown stops, the last step (hip strength, reps) shows.
        *_, step = await chat.press(NEXT, replies=4, message_id=step.message_id)
        assert api.message(chat.chat_id, second.message_id).text.endswith("⏹ Timer stopped.")
        assert await timer_row(chat) is None
        assert step.text.startswith("Step 5 of 5 · strength for the side of the hip")
        assert start_label(step) is None  # counted in reps: no timer

        *_, end = await chat.press(NEXT, replies=2, message_id=step.message_id)
        assert end.text.startswith("🎉 Session complete! 4 of 5 steps done. 1 skipped.")
        assert "How did that feel?" in end.text
        assert end.button_texts == [
            "👍 Good",
            "😌 Too easy",
            "😓 Too hard",
            "🤕 It hurt",
            "🧘 Another session",
        ]

        async with chat.services.sessions() as session:
            records = (
                await session.scalars(select(Activity).where(Activity.kind == "session"))
            ).all()
            assert await session.get(GuidedSession, chat.chat_id) is None
        (record,) = records
        assert record.detail is not None
        outcomes = [step["outcome"] for step in record.detail["steps"]]
        assert outcomes == ["skipped", "done", "done", "done", "done"]
        assert record.detail["routine"] is None and record.detail["stopped"] is False


async def test_session_menu_routines_stop_mydata_and_forget(chat: Chat, api: FakeBotApi) -> None:
    (menu,) = await chat.say("/session")
    assert menu.button_texts == [
        "✨ For me",
        "🧘 After a run",
        "🧘 Desk break",
        "🧘 Morning",
    ]
    assert "out of date" in await chat.press_data(menu.message_id, "1:gs:no-such-routine")
    _, intro, _picture, step = await chat.press("🧘 Desk break", replies=4)
    assert intro.text.startswith("🧘 Desk break: 5 steps, about")
    assert "Marching warm-up" in step.text
    # The warm-up is kept going for a time: its timer runs two minutes.
    assert start_label(step) == "▶️ Start 120 s"
    await press_start(chat, step)
    *_, step = await chat.press(NEXT, replies=4, message_id=step.message_id)
    assert "Seated figure-four" in step.text

    (mydata, _file) = await chat.say("/mydata", replies=2)
    assert "A guided session in progress" in mydata.text

    *_, stopped = await chat.press(STOP, replies=2, message_id=step.message_id)
    assert stopped.text.startswith("⏹ Session stopped after 1 step. That still counts.")
    # A stale press from the finished session is answered politely, nothing else happens.
    sent_before = len(api.messages(chat.chat_id))
    answer = await chat.press_data(step.message_id, step.keyboard_pairs[1][0][1] or "")
    assert answer == STALE_BUTTON
    await settle(api)
    assert len(api.messages(chat.chat_id)) == sent_before

    (mydata, _file) = await chat.say("/mydata", replies=2)
    assert "Guided sessions: 1 finished" in mydata.text

    # /forget takes the session and the timer with everything else.
    await chat.say("/session")
    _, _, _, step = await chat.press("🧘 After a run", replies=4)
    *_, step = await chat.press(NEXT, replies=3, message_id=step.message_id)  # to a held one
    await press_start(chat, step)
    await chat.say("/forget", replies=2)
    await chat.press("🗑 Yes, delete everything")
    async with chat.services.sessions() as session:
        assert await session.get(Timer, chat.chat_id) is None
        assert await session.get(GuidedSession, chat.chat_id) is None
