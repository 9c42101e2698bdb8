"""A new user's first minute through the sandbox: /start, one screen a step, each answered or
skipped, ending with the first stretch; and the picker honouring every "cannot" after it."""

from __future__ import annotations

import json
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import Catalog
from bot.catalog.stretches import Need, Stretch
from bot.clock import FakeClock
from bot.domain.abilities import cannot_of
from bot.domain.precautions import EVERY_PRECAUTION, Answer, Precaution, PrecautionAnswers
from bot.sandbox.models import SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat, running_bot


@pytest.fixture
def onboarded() -> bool:
    return False  # a brand-new user


@pytest.fixture
def safety_answers() -> None:
    return None  # never asked


def stretch_on(chat: Chat, card: SentMessage) -> Stretch:
    data = card.button("✅ Done").callback_data
    assert data is not None and data.startswith("1:d:")
    found = chat.services.stretches.get(data.removeprefix("1:d:"))
    assert found is not None
    return found


def taps(chat: Chat) -> int:
    """Buttons the user pressed so far (each press is answered once)."""
    return len(chat.api.calls_to("answerCallbackQuery"))


async def tap(chat: Chat, label: str, replies: int = 1) -> list[SentMessage]:
    return await chat.press(label, replies=replies, message_id=chat.last.message_id)


async def test_every_step_answered_ends_with_a_first_stretch_that_fits(chat: Chat) -> None:
    [first] = await chat.say("/start")
    assert "Limber" in first.text and "Step 1 of 5" in first.text
    assert "Which areas" in first.text and "Skip ⏭" in first.button_texts
    [focus] = await tap(chat, "▫️ Glutes")
    assert "✅ Glutes" in focus.button_texts and "Next ➡️" in focus.button_texts
    [level] = await tap(chat, "Next ➡️")
    assert "Step 2 of 5" in level.text
    [abilities] = await tap(chat, "🙂 I stretch sometimes")
    assert "Step 3 of 5" in abilities.text and "✅ Kneel" in abilities.button_texts
    await tap(chat, "✅ Kneel")
    [toggled] = await tap(chat, "✅ Get down to the floor")
    assert "🚫 Kneel" in toggled.button_texts and "🚫 Get down to the floor" in toggled.button_texts
    [safety] = await tap(chat, "Next ➡️")
    assert "Step 4 of 5" in safety.text and "1 of 3:" in safety.text
    assert safety.button_texts == ["Yes", "No", "Skip"]
    await tap(chat, "No")
    await tap(chat, "No")
    [reminder] = await tap(chat, "No")
    assert "Step 5 of 5" in reminder.text and "09:00" in reminder.button_texts
    [zone] = await tap(chat, "07:30")
    assert "Step 5 of 5" in zone.text and "So that 07:30 is 07:30 where you are" in zone.text
    assert "London" in zone.button_texts
    assert (await chat.user()).reminder_time is None  # not saved in UTC behind their back
    saved, done, picture, card = await tap(chat, "London", replies=4)
    assert "07:30, London time" in saved.text and "All set" in done.text
    assert picture.kind == "photo" and "✅ Done" in card.button_texts

    user = await chat.user()
    assert user.onboarding_step is None and user.focus_areas == ["glutes"] and user.level == 2
    assert cannot_of(user.cannot) == {Need.KNEEL, Need.FLOOR}
    assert user.reminder_time == time(7, 30) and user.timezone == "Europe/London"
    assert user.next_due_at is not None
    answers = PrecautionAnswers.stored(user.precaution_answers)
    assert all(answers.answer(p) is Answer.NO for p in Precaution)
    assert not stretch_on(chat, card).needs & {Need.KNEEL, Need.FLOOR}
    assert taps(chat) == 11  # from /start to the first stretch

    summary, document = await chat.say("/mydata", replies=2)  # what they told me, in words
    assert "can't or haven't got it: Kneel, Get down to the floor" in summary.text
    assert document.file is not None and document.file.content is not None
    assert json.loads(document.file.content)["users"][0]["cannot"] == ["floor", "kneel"]


async def test_every_step_skipped_still_ends_with_a_safe_first_stretch(chat: Chat) -> None:
    await chat.say("/start")
    [level] = await tap(chat, "Skip ⏭")
    assert "How used to stretching" in level.text
    [abilities] = await tap(chat, "Skip ⏭")
    assert "What can you do" in abilities.text
    await tap(chat, "Skip ⏭")
    await tap(chat, "Skip")
    await tap(chat, "Skip")
    [reminder] = await tap(chat, "Skip")
    assert "No reminder, thanks" in reminder.button_texts
    done, _, card = await tap(chat, "No reminder, thanks", replies=3)
    assert "All set" in done.text and "✅ Done" in card.button_texts
    user = await chat.user()
    assert user.onboarding_step is None and user.focus_areas == [] and user.level == 1
    assert user.cannot == 0 and user.reminder_time is None
    answers = PrecautionAnswers.stored(user.precaution_answers)
    assert all(answers.answer(p) is Answer.SKIPPED for p in Precaution)
    assert not stretch_on(chat, card).movements & EVERY_PRECAUTION
    assert taps(chat) == 7


async def test_a_typed_time_then_the_time_it_is_now_find_the_zone(
    chat: Chat, clock: FakeClock
) -> None:
    await chat.say("/start")
    for label in ("Skip ⏭", "Skip ⏭", "Skip ⏭", "Skip", "Skip", "Skip"):
        await tap(chat, label)
    [unreadable] = await chat.say("soonish")
    assert "couldn't read" in unreadable.text and "No reminder, thanks" in unreadable.button_texts
    [zone] = await chat.say("7pm")  # a plain reply while the time screen waits
    assert "So that 19:00 is 19:00 where you are" in zone.text
    there = clock.now().astimezone(ZoneInfo("America/New_York"))
    [offered] = await chat.say(f"{there:%H:%M}")
    assert "New York" in offered.button_texts
    saved, _, _, card = await chat.press("New York", replies=4)
    assert "19:00, New York time" in saved.text and "✅ Done" in card.button_texts
    user = await chat.user()
    assert user.timezone == "America/New_York" and user.reminder_time == time(19, 0)
    assert user.awaiting_reply is None and user.onboarding_step is None


async def test_a_command_midway_and_a_restart_keep_the_place(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        await chat.say("/start")
        await tap(chat, "Skip ⏭")
        [screen] = await chat.say("/settings")  # a command half-way works as always
        assert "Your daily reminder" in screen.text
    async with running_bot(api, sqlite_url, catalog, clock) as chat:
        [again] = await chat.say("/start")
        assert "Step 2 of 5" in again.text and "How used to stretching" in again.text


async def test_cannot_kneel_no_floor_no_band_never_yields_such_a_stretch(chat: Chat) -> None:
    await chat.say("/start")
    await tap(chat, "Skip ⏭")
    await tap(chat, "💪 I stretch regularly")
    for label in ("✅ Kneel", "✅ Get down to the floor", "✅ A resistance band", "Next ➡️"):
        await tap(chat, label)
    for _ in range(3):
        await tap(chat, "No")
    *_, card = await tap(chat, "No reminder, thanks", replies=3)
    cannot = {Need.KNEEL, Need.FLOOR, Need.BAND}
    seen = {stretch_on(chat, card).id}
    for _ in range(8):
        *_, card = await chat.press("🔄 Another", replies=2, message_id=card.message_id)
        stretch = stretch_on(chat, card)
        assert not stretch.needs & cannot, stretch.id
        seen.add(stretch.id)
    assert len(seen) > 2  # variety within what they can do


async def test_a_returning_users_start_is_the_menu(chat: Chat) -> None:
    await chat.finish_onboarding()
    [welcome] = await chat.say("/start")
    assert "Step" not in welcome.text and "🧘 Stretch now" in welcome.button_texts
