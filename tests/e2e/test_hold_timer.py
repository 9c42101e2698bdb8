"""The hold timer on a stretch card through the sandbox, on a fake clock: its edits and buzzes,
Telegram refusing edits, a timer that ran out while the bot was down, and two replicas."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from itertools import pairwise

from bot.catalog import Catalog
from bot.clock import FakeClock
from bot.db.engine import create_engine, create_session_factory
from bot.domain.timer import timer_schedule
from bot.sandbox.server import FakeBotApi
from bot.services import Services
from bot.timers import TimerTicker
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat, running_bot
from tests.e2e.test_guided_sessions import (
    buzzes,
    edits_of,
    next_due,
    press_start,
    run_timer_to_the_end,
    start_label,
    timer_row,
    to_the_chat,
)

DONE_ANOTHER = ["✅ Done", "🔄 Another"]


async def card_with_a_timer(chat: Chat) -> tuple[int, int]:
    """/stretch (again while it is a drill counted in reps), then Start on its card: the
    countdown's message id and the hold count."""
    for _ in range(10):
        _picture, card = await chat.say("/stretch", replies=2)
        if start_label(card) is not None:
            break
    countdown = await press_start(chat, card)
    timer = await timer_row(chat)
    assert timer is not None and timer.hold_seconds == 30
    return countdown.message_id, timer.holds


async def test_a_card_timer_counts_down_silently_and_buzzes_at_each_hold_end(
    chat: Chat, api: FakeBotApi
) -> None:
    countdown, holds = await card_with_a_timer(chat)
    calls = await run_timer_to_the_end(chat)

    plan = timer_schedule(30, holds)
    edits = edits_of(calls, countdown)
    assert len(edits) == sum(not event.cue.buzzes for event in plan)
    assert len(calls) == len(plan)  # nothing else was sent, nothing twice
    gaps = [b.at - a.at for a, b in pairwise(calls)]
    assert min(gaps) >= 1.0 and max(gaps) <= 5.0
    texts = [call.params["text"] for call in buzzes(calls)]
    assert texts[:-1] == ["🔄 Switch sides"] * (holds - 1)
    assert texts[-1].startswith("✅ Done: ")
    assert chat.last.button_texts == DONE_ANOTHER
    assert api.message(chat.chat_id, countdown).text.endswith("✅ Time's up.")

    [logged] = await chat.press("✅ Done", replies=1, message_id=chat.last.message_id)
    assert logged.action == "edited"  # the buttons go; the streak message follows


async def test_refused_edits_neither_crash_nor_spam(chat: Chat, api: FakeBotApi) -> None:
    countdown, _holds = await card_with_a_timer(chat)
    chat.clock.advance(timedelta(seconds=2))
    api.fail_next("editMessageText", status=429, retry_after=5)
    report = await chat.tick_timers()
    assert report.failed == 1  # skipped, not retried: the next edit is a second away
    before = len(api.calls)
    chat.clock.advance(timedelta(seconds=4))
    assert (await chat.tick_timers()).edits == 0  # Telegram's wait holds every timer back
    assert to_the_chat(api.calls[before:]) == []
    chat.clock.advance(timedelta(seconds=1))
    assert (await chat.tick_timers()).edits == 1  # the missed ones collapsed into one

    api.fail_next(
        "editMessageText",
        status=400,
        description="Bad Request: message is not modified: specified new message content",
    )
    await next_due(chat)
    assert (await chat.tick_timers()).edits == 1

    # The user deleted the countdown: the timer stops, quietly.
    api.fail_next(
        "editMessageText", status=400, description="Bad Request: message to edit not found"
    )
    await next_due(chat)
    assert (await chat.tick_timers()).failed == 1
    assert await timer_row(chat) is None
    before = len(api.calls)
    chat.clock.advance(timedelta(minutes=5))
    await chat.tick_timers()
    assert to_the_chat(api.calls[before:]) == []

    # Blocked at the buzz: the timer is dropped too.
    countdown, _holds = await card_with_a_timer(chat)
    chat.clock.advance(timedelta(seconds=34))
    await chat.tick_timers()
    api.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    chat.clock.advance(timedelta(seconds=1))
    assert (await chat.tick_timers()).failed == 1
    assert await timer_row(chat) is None
    assert edits_of(api.calls, countdown)  # it did count down until then


async def test_a_timer_that_ran_out_while_the_bot_was_down_is_closed_with_one_message(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        await chat.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
        countdown, _holds = await card_with_a_timer(chat)

    clock.advance(timedelta(minutes=10))
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        before = len(api.calls)
        report = await chat.tick_timers()
        assert report.closed_late == 1
        (closed,) = to_the_chat(api.calls[before:])
        assert closed.method == "sendMessage"
        assert "ran out while I was restarting" in closed.params["text"]
        assert chat.last.button_texts == DONE_ANOTHER
        assert await timer_row(chat) is None
        clock.advance(timedelta(minutes=1))
        await chat.tick_timers()
        assert len(to_the_chat(api.calls[before:])) == 1
        assert not edits_of(api.calls[before:], countdown)


async def test_two_replicas_ticking_together_send_each_event_once(
    chat: Chat, api: FakeBotApi, sqlite_url: str
) -> None:
    other = Services(
        settings=chat.services.settings,
        clock=chat.clock,
        sessions=create_session_factory(create_engine(sqlite_url)),
        catalog=chat.services.catalog,
    )
    replica = TimerTicker(other, chat.timers.bot, chat.timers.catalogs)
    countdown, holds = await card_with_a_timer(chat)
    first = len(api.calls)
    while await timer_row(chat) is not None:
        await next_due(chat)
        await asyncio.gather(chat.tick_timers(), replica.tick())
    calls = to_the_chat(api.calls[first:])
    assert len(calls) == len(timer_schedule(30, holds))
    # Each (instant, text) once: no event went out from both replicas.
    assert len({(call.at, call.params["text"]) for call in calls}) == len(calls)
    assert edits_of(calls, countdown)
