"""Trust end to end: the safety hold and pause hold for every button, forged and old buttons are
answered politely and change nothing, /forget cannot be undone by an old button."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import metrics
from bot.db.models import Activity, Check, User
from bot.db.privacy import USER_KEY_COLUMNS
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat
from tests.e2e.test_reminders import set_reminder_in

ADMIN_ID = 777001


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"LIMBER_ADMIN_IDS": str(ADMIN_ID)}


@pytest.fixture(autouse=True)
async def no_handler_errors(api: FakeBotApi) -> AsyncIterator[None]:
    """Nothing in this file may reach the error handler: no apology, no admin notice."""
    api.register_chat(ADMIN_ID)
    errors_before = metrics.UPDATE_ERRORS._value.get()
    yield
    assert metrics.UPDATE_ERRORS._value.get() == errors_before
    assert api.messages(ADMIN_ID) == []


async def place_hold(chat: Chat) -> None:
    """What an EMERGENCY or URGENT red-flag outcome stores (see handlers.redflags)."""
    async with chat.services.transaction() as session:
        user = await session.get(User, chat.chat_id)
        assert user is not None
        user.on_hold_since = chat.clock.now()
        user.snooze_due_at = None
        user.next_due_at = None


async def stored_user(chat: Chat) -> User | None:
    async with chat.services.sessions() as session:
        return await session.get(User, chat.chat_id)


async def rows_about_user(chat: Chat) -> int:
    total = 0
    async with chat.services.sessions() as session:
        for key in USER_KEY_COLUMNS.values():
            query = select(func.count()).select_from(key.table).where(key == chat.chat_id)
            total += await session.scalar(query) or 0
    return total


async def reminder_card(chat: Chat) -> int:
    await set_reminder_in(chat, 1)
    chat.clock.advance(timedelta(minutes=1))
    assert (await chat.tick()).claimed == 1
    return chat.last.message_id


async def test_snooze_on_an_old_card_is_refused_during_a_safety_hold(chat: Chat) -> None:
    card = await reminder_card(chat)
    await place_hold(chat)
    *_, refusal = await chat.press("⏰ Snooze 15 min", replies=2, message_id=card)
    assert "on hold" in refusal.text
    user = await stored_user(chat)
    assert user is not None and user.snooze_due_at is None
    chat.clock.advance(timedelta(minutes=20))
    assert (await chat.tick()).claimed == 0


async def test_snooze_on_an_old_card_is_refused_while_paused(chat: Chat) -> None:
    card = await reminder_card(chat)
    await chat.say("/pause")
    await chat.press("Until I resume")
    *_, refusal = await chat.press("⏰ Snooze 1 h", replies=2, message_id=card)
    assert "paused" in refusal.text and "/resume" in refusal.text
    chat.clock.advance(timedelta(hours=2))
    assert (await chat.tick()).claimed == 0


async def test_no_stretch_leaves_an_old_card_during_a_safety_hold(chat: Chat) -> None:
    _, card = await chat.say("/stretch", replies=2)
    await place_hold(chat)
    for label in ("🐢 Easier", "🔥 Harder", "🔄 Another"):
        [reply] = await chat.press(label, message_id=card.message_id)
        assert "held back" in reply.text, label
        assert reply.button_texts == ["✅ I've been checked, resume"]


@pytest.mark.parametrize(
    "data",
    [
        "1:t:²³⁴⁵",  # superscript digits: str.isdigit() is true for them
        "1:dp:²",
        "1:dt:٣",  # an Arabic-Indic digit
        "1:ra:1:zzzzzzzzzzzz:0",  # a stamp far beyond any date
        "1:fc",  # a confirm without the message it belongs to
        "1:d:" + "x" * 60,
        "1:z:30",
    ],
)
async def test_forged_buttons_are_answered_politely_and_change_nothing(
    chat: Chat, data: str
) -> None:
    await chat.say("/time 07:30", replies=2)
    _, card = await chat.say("/stretch", replies=2)
    before = await rows_about_user(chat)
    answer = await chat.press_data(card.message_id, data)
    assert "out of date" in answer or "ended" in answer
    assert await rows_about_user(chat) == before
    assert "went wrong" not in chat.last.text


async def test_old_buttons_create_nothing_after_forget(chat: Chat) -> None:
    card = await reminder_card(chat)
    _, stretch_card = await chat.say("/stretch", replies=2)
    await chat.say("/forget", replies=2)
    await chat.press("🗑 Yes, delete everything")
    assert await stored_user(chat) is None

    presses = [
        (card, "✅ Done"),
        (card, "⏰ Snooze 15 min"),
        (card, "⏭ Skip today"),
        (stretch_card.message_id, "🐢 Easier"),
        (stretch_card.message_id, "🔄 Another"),
    ]  # fmt: skip (the red-flag check always runs, storing nothing: see test_redflags)
    for message_id, label in presses:
        query = await chat.api.press_button_labeled(chat.chat_id, label, message_id=message_id)
        answer = await chat.api.wait_for_callback_answer(query)
        assert "deleted" in (answer.text or ""), label
    assert await stored_user(chat) is None
    assert await rows_about_user(chat) == 0

    # Starting again is a new account: the old card still cannot add to it.
    chat.clock.advance(timedelta(minutes=5))
    await chat.say("/start")
    query = await chat.api.press_button_labeled(chat.chat_id, "✅ Done", message_id=card)
    assert "deleted" in ((await chat.api.wait_for_callback_answer(query)).text or "")
    async with chat.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Activity)) == 0
        assert await session.scalar(select(func.count()).select_from(Check)) == 0


async def test_the_forget_confirmation_works_only_on_its_own_message(chat: Chat) -> None:
    _, card = await chat.say("/stretch", replies=2)
    question, _ = await chat.say("/forget", replies=2)
    forged = f"1:fc:{question.message_id}"
    answer = await chat.press_data(card.message_id, forged)  # the right id, another message
    assert "expired" in answer
    assert await stored_user(chat) is not None

    chat.clock.advance(timedelta(minutes=11))  # an old confirmation
    answer = await chat.press_data(question.message_id, forged)
    assert "expired" in answer
    assert await stored_user(chat) is not None


async def test_a_brisk_run_of_presses_is_never_flood_limited(chat: Chat) -> None:
    _, card = await chat.say("/stretch", replies=2)
    for _ in range(40):  # a brisk red-flag check presses about this many in ten seconds
        answer = await chat.press_data(card.message_id, "1:k")
        assert "breather" not in answer


async def test_a_button_hammered_by_a_script_is_slowed_down_and_every_press_answered(
    chat: Chat,
) -> None:
    _, card = await chat.say("/stretch", replies=2)
    # press_data waits for each press's answer: none is left spinning.
    answers = [await chat.press_data(card.message_id, "1:k") for _ in range(70)]
    assert sum("breather" in answer for answer in answers) == 1  # said once, then quiet
    async with chat.services.sessions() as session:
        handled = await session.scalar(select(func.count()).select_from(Activity))
    assert handled is not None and handled <= 61  # the shown card and at most 60 skips


async def test_a_menu_button_replayed_on_a_picture_answers_with_a_new_message(
    chat: Chat, api: FakeBotApi
) -> None:
    picture, _card = await chat.say("/stretch", replies=2)
    assert picture.kind in ("photo", "animation")
    query = await api.press_button(chat.chat_id, picture.message_id, "1:tm")
    [screen] = await api.wait_for_bot_messages(chat.chat_id)
    await api.wait_for_callback_answer(query)
    assert "When should I remind you?" in screen.text and screen.message_id > picture.message_id
