"""/redflags end to end: every path a user can take through the check, over real HTTP."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.catalog import Catalog
from bot.catalog.redflags import Tier
from bot.clock import FakeClock
from bot.db.models import Check, User
from bot.sandbox.formatting import parse_html
from bot.sandbox.models import SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat, running_bot


def visible(html: str) -> str:
    return parse_html(html).text


def label_starting(message: SentMessage, prefix: str) -> str:
    return next(text for text in message.button_texts if text.startswith(prefix))


async def answer(chat: Chat, prefix: str) -> SentMessage:
    """Press the answer button starting with `prefix` on the open question; return the result."""
    question = chat.last
    [result] = await chat.press(label_starting(question, prefix), message_id=question.message_id)
    if is_question(result):
        assert result.message_id == question.message_id  # one message, edited question by question
    else:  # the outcome arrives as a new message, then the question goes
        assert result.message_id > question.message_id
        await question_deleted(chat, question)
    return result


async def question_deleted(chat: Chat, question: SentMessage) -> None:
    await chat.api.wait_for_call(
        "deleteMessage", where=lambda call: call.params.get("message_id") == question.message_id
    )
    assert question.message_id in chat.api.deleted_message_ids(chat.chat_id)


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
    assert asked == 21  # the common path: gated and unopened topics aside
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
    [outcome] = await chat.press(label_starting(question, "Yes"), message_id=question.message_id)
    assert outcome.message_id > question.message_id and outcome.buttons == []  # a new message
    await question_deleted(chat, question)
    assert outcome.text.startswith("📞 Call 112 now")  # Germany's number, from the timezone
    assert "drive" in outcome.text  # cauda equina: don't drive yourself
    assert "paused your daily stretch reminders" in outcome.text
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


# --- how answers arrive (issue 9 item 7) and what is stored (issue 8 items 4 and 11) -------


async def answer_all(chat: Chat, question: SentMessage, yes_to: str = "") -> SentMessage:
    """Answer "No" on `question` (and "Yes" where the text mentions `yes_to`) to the end."""
    message = question
    while is_question(message):
        prefix = "Yes" if yes_to and yes_to in message.text else "No"
        [message] = await chat.press(
            label_starting(message, prefix), message_id=question.message_id
        )
    return message


async def test_urgent_outcome_names_the_local_line_and_claims_no_paused_reminders(
    chat: Chat,
) -> None:
    await chat.say("/timezone Europe/London", replies=2)  # no reminder time set
    first = await start(chat)
    outcome = await answer_all(chat, first, yes_to="burn or sting")  # urinary infection: U2
    assert outcome.message_id > first.message_id  # a new message, the newest in the chat
    assert outcome.text.startswith("⚠️ Get checked today")
    assert "Call 111 (NHS 111" in outcome.text and "call 999" in outcome.text
    assert "hold back stretches" in outcome.text
    assert "paused your daily stretch reminders" not in outcome.text  # none were set
    assert "false alarm" not in outcome.text
    assert await checks(chat) == [Tier.URGENT.value]


def is_last_question(message: SentMessage) -> bool:
    """ "Question 11 of 11": nothing left unless an answer opens a topic."""
    return re.match(r"Question (\d+) of \1\b", message.text) is not None


async def test_replaying_the_final_answer_after_a_restart_stores_no_second_outcome(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    async with running_bot(api, sqlite_url, catalog, clock) as before:
        await before.finish_onboarding()
        await before.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
        await before.say("/time 07:30", replies=2)
        await start(before)
        await answer_no_until(before, "burn or sting")
        last = await answer(before, "Yes")  # a urine infection: urgent
        while not is_last_question(last):
            last = await answer(before, "No")
        final = last.button(label_starting(last, "No")).callback_data
        assert final is not None
        # The question cannot be deleted this time, so its data can be pressed again later.
        api.fail_next("deleteMessage", status=400, description="Bad Request: can't be deleted")
        outcome, closed = await before.press(
            label_starting(last, "No"), replies=2, message_id=last.message_id
        )
        assert outcome.text.startswith("⚠️ Get checked today") and closed.buttons == []
        assert "paused your daily stretch reminders" in outcome.text
        assert await checks(before) == [Tier.URGENT.value]
        [held] = await before.say("/stretch")
        assert "✅ I've been checked, resume" in held.button_texts
        await before.press("✅ I've been checked, resume", replies=4)
        assert (await before.user()).on_hold_since is None
    async with running_bot(api, sqlite_url, catalog, clock) as after:
        clock.advance(timedelta(minutes=2))
        assert await after.press_data(last.message_id, final) == ""  # not "ended"
        [again] = await api.wait_for_bot_messages(after.chat_id, 1)
        assert again.text.startswith("⚠️ Get checked today")  # the advice again, in full
        assert "paused" not in again.text  # nothing new was held
        assert await checks(after) == [Tier.URGENT.value]  # ...and one stored outcome
        assert (await after.user()).on_hold_since is None


async def test_a_check_finished_after_forget_stores_nothing(chat: Chat) -> None:
    _, card = await chat.say("/stretch", replies=2)
    await chat.say("/forget", replies=2)
    await chat.press("🗑 Yes, delete everything")
    intro, first = await chat.press(
        "🩺 New or worse symptoms?", replies=2, message_id=card.message_id
    )
    assert "not a diagnosis" in intro.text
    assert await user_rows(chat) == 0  # a button press never creates a user row
    outcome = await answer_all(chat, first)
    assert "deleted your data with /forget" in outcome.text and "/start" in outcome.text
    assert await user_rows(chat) == 0 and await checks(chat) == []


async def user_rows(chat: Chat) -> int:
    async with chat.services.sessions() as session:
        return len(list(await session.scalars(select(User.id).where(User.id == chat.chat_id))))


async def test_overflowing_and_future_stamped_buttons_say_the_check_ended(chat: Chat) -> None:
    question = await start(chat)
    data = question.button(label_starting(question, "No")).callback_data
    assert data is not None
    version, started, nonce, shown, code = data.split(":")[2:]
    future = int(shown, 36) + 90
    for forged in (
        "1:ra:1:zzzzzzzzzzzz:0",  # issue 8: used to raise OverflowError
        f"1:ra:{version}:zzzzzzzzzzzz:{nonce}:{shown}:{code}",
        f"1:ra:{version}:{started}:{nonce}:{future:x}:{code}",  # stamped in the future
        f"1:ra:{version}:{started}:{nonce}:²³⁴:{code}",
    ):
        assert "ended" in await chat.press_data(question.message_id, forged)
    assert await checks(chat) == []


async def test_typing_during_the_check_points_to_the_buttons(chat: Chat) -> None:
    question = await start(chat)
    [plain] = await chat.say("my back hurts a lot")
    assert "buttons" in plain.text and "/stretch" not in plain.text
    [urgent] = await chat.say("I can't feel my legs")
    assert urgent.text.startswith("🚨") and "buttons" in urgent.text
    [second] = await chat.press("No", message_id=question.message_id)  # the check goes on
    assert second.text.startswith("Question 2 of")


async def test_free_text_about_symptoms_offers_the_check_first(chat: Chat) -> None:
    await chat.say("/timezone Europe/London", replies=2)
    [pain] = await chat.say("my back hurts a lot")
    assert "/redflags" in pain.text and "/stretch" not in pain.text
    [numb] = await chat.say("numb down there")
    assert numb.text.startswith("🚨") and "call 999" in numb.text and "/redflags" in numb.text
    [hello] = await chat.say("hello")
    assert "/stretch" in hello.text  # nothing about symptoms: the usual pointer
