"""/redflags end to end: every path a user can take through the check, over real HTTP."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.catalog import Catalog
from bot.catalog.redflags import Tier
from bot.clock import FakeClock
from bot.db.models import Check
from bot.sandbox.formatting import parse_html
from bot.sandbox.models import SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat, running_bot


def visible(html: str) -> str:
    return parse_html(html).text


def label_starting(message: SentMessage, prefix: str) -> str:
    return next(text for text in message.button_texts if text.startswith(prefix))


async def answer(chat: Chat, prefix: str) -> SentMessage:
    """Press the answer button starting with `prefix` on the open question; return the result."""
    question = chat.last
    [edited] = await chat.press(label_starting(question, prefix), message_id=question.message_id)
    assert edited.message_id == question.message_id  # one message, edited question by question
    return edited


def is_question(message: SentMessage) -> bool:
    return any(text.startswith("No") for text in message.button_texts)


async def start(chat: Chat) -> SentMessage:
    intro, first = await chat.say("/redflags", replies=2)
    assert "not a diagnosis" in intro.text
    assert first.text.startswith("Question 1 of")
    return first


async def checks(chat: Chat) -> list[str]:
    async with chat.services.sessions() as session:
        return list(await session.scalars(select(Check.tier)))


async def answer_no_until(chat: Chat, words: str) -> SentMessage:
    """Answer No until the open question mentions `words`."""
    message = chat.last
    while words not in message.text:
        assert is_question(message), f"never asked about {words!r}"
        message = await answer(chat, "No")
    return message


async def test_no_throughout_ends_with_the_safety_net(chat: Chat, catalog: Catalog) -> None:
    message = await start(chat)
    asked = 0
    while is_question(message):
        asked += 1
        assert message.text.startswith(f"Question {asked} of")
        message = await answer(chat, "No")
    checklist = catalog.redflags
    assert message.text.startswith("✅ " + checklist.outcomes[Tier.NONE].title)
    assert visible(checklist.safety_net) in message.text  # a "no" rules nothing out; re-run
    assert 28 <= asked <= 36  # every item was asked, gated ones aside
    assert await checks(chat) == [Tier.NONE.value]
    assert (await chat.user()).on_hold_since is None
    _, card = await chat.say("/stretch", replies=2)  # no hold: stretches as usual
    assert "✅ Done" in card.button_texts


async def test_saddle_numbness_yes_is_an_emergency_at_once(chat: Chat) -> None:
    await chat.say("/timezone Europe/Berlin", replies=2)
    await chat.say("/time 07:30", replies=2)
    await start(chat)
    await answer_no_until(chat, "wip")  # "numb ... when you wipe"
    question = chat.last
    outcome, hold = await chat.press(
        label_starting(question, "Yes"), replies=2, message_id=question.message_id
    )
    assert outcome.message_id == question.message_id and outcome.buttons == []
    assert "112" in outcome.text  # Germany's emergency number, from the timezone
    assert "drive" in outcome.text  # cauda equina: don't drive yourself
    assert "paused your daily stretch reminders" in hold.text
    assert await checks(chat) == [Tier.EMERGENCY.value]

    user = await chat.user()
    assert user.on_hold_since is not None and user.next_due_at is None  # reminders held
    [held] = await chat.say("/stretch")
    assert "✅ I've been checked, resume" in held.button_texts
    *_, card = await chat.press("✅ I've been checked, resume", replies=4)
    assert "✅ Done" in card.button_texts
    assert (await chat.user()).next_due_at is not None


async def test_not_sure_on_an_urgent_item_gives_urgent_advice_and_says_why(chat: Chat) -> None:
    await start(chat)
    await answer_no_until(chat, "temperature")  # fever with back pain (URGENT)
    message = await answer(chat, "Not sure")
    while is_question(message):
        message = await answer(chat, "No")
    assert "today" in message.text.lower()  # be seen today
    assert "not sure" in message.text.lower()
    assert await checks(chat) == [Tier.URGENT.value]
    assert (await chat.user()).on_hold_since is not None


async def test_back_returns_to_the_previous_question(chat: Chat) -> None:
    first = await start(chat)
    second = await answer(chat, "No")
    assert second.text.startswith("Question 2 of")
    [back] = await chat.press("⬅️ Back", message_id=second.message_id)
    assert back.text.split("\n")[0] == first.text.split("\n")[0]
    assert back.text == first.text


async def test_cancel_and_stop_leave_without_saving(chat: Chat, api: FakeBotApi) -> None:
    question = await start(chat)
    await answer(chat, "No")
    replies = await chat.say("/cancel", replies=2)
    assert any("Check stopped" in m.text for m in replies)
    assert api.message(chat.chat_id, question.message_id).buttons == []  # closed
    [nothing] = await chat.say("/cancel")
    assert "nothing to cancel" in nothing.text

    await start(chat)
    [stopped] = await chat.press("✖ Stop")
    assert "Check stopped" in stopped.text
    assert await checks(chat) == []


@pytest.mark.parametrize("settings_overrides", [{"LIMBER_REDFLAGS_IDLE_SECONDS": 1}])
async def test_idle_check_ends_politely_and_its_buttons_expire(chat: Chat, api: FakeBotApi) -> None:
    question = await start(chat)
    data = question.button(label_starting(question, "No")).callback_data
    assert data is not None
    for _ in range(60):
        if any("closed the red-flag check" in m.text for m in api.messages(chat.chat_id)):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the idle check was never closed")
    chat.clock.advance(timedelta(minutes=5))
    answer_text = await chat.press_data(question.message_id, data)
    assert "ended" in answer_text


async def test_stale_and_forged_check_buttons_get_a_polite_answer(chat: Chat) -> None:
    question = await start(chat)
    for data in ("1:ra:999:zz:nnn", "1:ra:1:!!:n", "1:ra:1:zz:q", "1:rb:1", "1:ra"):
        assert "ended" in await chat.press_data(question.message_id, data)


async def test_a_restart_mid_check_continues_from_the_button(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    async with running_bot(api, sqlite_url, catalog, clock) as before:
        await start(before)
        await answer(before, "No")
        third = await answer(before, "No")
        assert third.text.startswith("Question 3 of")
    async with running_bot(api, sqlite_url, catalog, clock) as after:
        fourth = await answer(after, "No")  # a new process, nothing in memory
        assert fourth.text.startswith("Question 4 of")
