"""The stretch safety questions end to end: asked once before a first stretch (whichever way it
comes), skippable, shown and changed in /settings, and never a ruled-out stretch afterwards."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.catalog.stretches import Stretch
from bot.db.models import User
from bot.domain.precautions import (
    EVERY_PRECAUTION,
    Answer,
    Precaution,
    PrecautionAnswers,
    forbidden_movements,
)
from bot.sandbox.models import SentMessage
from bot.usecases.practice import record_done
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat

HIP_REPLACEMENT = NO_TO_EVERY_SAFETY_QUESTION.with_answer(Precaution.HIP_REPLACEMENT, Answer.YES)
HIP_FORBIDDEN = forbidden_movements(HIP_REPLACEMENT)


def line(text: str, prefix: str) -> str:
    return next(row for row in text.splitlines() if row.startswith(prefix))


def stretch_on(chat: Chat, card: SentMessage) -> Stretch:
    """The stretch a card (or reminder) shows, from its Done button's data."""
    data = card.button("✅ Done").callback_data
    assert data is not None and data.startswith("1:d:")
    found = chat.services.stretches.get(data.removeprefix("1:d:"))
    assert found is not None
    return found


async def answer_question(chat: Chat, label: str, number: int) -> SentMessage:
    question = chat.last
    assert f"{number} of 3:" in question.text
    assert question.button_texts == ["Yes", "No", "Skip"]
    [edited] = await chat.press(label, message_id=question.message_id)
    assert edited.message_id == question.message_id  # one message, question by question
    return edited


async def daily_reminders(chat: Chat, days: int) -> list[SentMessage]:
    """Set the reminder a minute from now, then receive it on ``days`` days in a row. The user
    does each day's stretch (recorded directly), so the reminders are not ignored (seven
    ignored in a row bring the re-engagement offer instead: tests/e2e/test_reengagement.py)."""
    local = chat.clock.now() + timedelta(minutes=1)
    await chat.say(f"/time {local:%H:%M}", replies=2)  # the user's zone is UTC
    chat.clock.advance(timedelta(minutes=1))
    reminders = []
    for _ in range(days):
        await chat.tick()
        reminder = chat.last_reminder()
        assert not reminders or reminder.message_id > reminders[-1].message_id  # a new one
        reminders.append(reminder)
        await record_done(chat.services, chat.chat_id, stretch_on(chat, reminder).id)
        chat.clock.advance(timedelta(days=1))
    return reminders


async def stored_answers(chat: Chat) -> PrecautionAnswers:
    return PrecautionAnswers((await chat.user()).precaution_answers)


@pytest.fixture
def safety_answers() -> PrecautionAnswers | None:
    return None  # a new user, never asked


async def test_a_new_users_first_stretch_waits_for_the_questions(chat: Chat) -> None:
    [first] = await chat.say("/stretch")
    assert "3 quick safety questions" in first.text and "Why I ask:" in first.text
    assert "hip replacement" in first.text
    await answer_question(chat, "Yes", 1)
    assert "pregnant" in chat.last.text
    await answer_question(chat, "No", 2)
    assert "osteoporosis" in chat.last.text
    question = chat.last
    done, picture, card = await chat.press("No", replies=3, message_id=question.message_id)
    assert done.message_id == question.message_id and done.buttons == []
    assert "leave out stretches that involve bending the hip past a right angle" in done.text
    assert picture.kind in ("photo", "animation") and "✅ Done" in card.button_texts
    assert not stretch_on(chat, card).movements & HIP_FORBIDDEN
    assert await stored_answers(chat) == HIP_REPLACEMENT

    _, again = await chat.say("/stretch", replies=2)  # asked once: now straight to a stretch
    assert "✅ Done" in again.button_texts


async def test_skipping_every_question_from_stretch_now_keeps_every_precaution(
    chat: Chat,
) -> None:
    await chat.say("/start")
    [first] = await chat.press("🧘 Stretch now")
    assert "Skip" in first.text and "to be safe" in first.text
    await answer_question(chat, "Skip", 1)
    await answer_question(chat, "Skip", 2)
    done, _, card = await chat.press("Skip", replies=3, message_id=chat.last.message_id)
    assert "twisting the spine as far as it goes" in done.text
    assert not stretch_on(chat, card).movements & EVERY_PRECAUTION
    skipped = await stored_answers(chat)
    assert all(skipped.answer(p) is Answer.SKIPPED for p in Precaution)

    [screen] = await chat.say("/settings")
    assert "Stretch safety: Hip replacement (skipped)" in screen.text


async def test_a_double_press_on_the_last_answer_sends_one_stretch(chat: Chat) -> None:
    await chat.say("/stretch")
    await answer_question(chat, "No", 1)
    await answer_question(chat, "No", 2)
    question = chat.last
    last_answer = question.button("No").callback_data
    assert last_answer is not None
    await chat.press("No", replies=3, message_id=question.message_id)
    cards_before = len(chat.api.calls_to("sendPhoto")) + len(chat.api.calls_to("sendAnimation"))
    await chat.press_data(question.message_id, last_answer)  # its buttons are gone by now
    [again] = await chat.say("/help")  # anything the second press sent would come before this
    assert again.text.startswith("What I can do")
    cards = len(chat.api.calls_to("sendPhoto")) + len(chat.api.calls_to("sendAnimation"))
    assert cards == cards_before


async def test_the_first_reminder_before_any_answer_is_safe_under_every_precaution(
    chat: Chat,
) -> None:
    shown = [stretch_on(chat, reminder) for reminder in await daily_reminders(chat, 12)]
    assert not [s.id for s in shown if s.movements & EVERY_PRECAUTION]
    assert len({s.id for s in shown}) > 3
    # Another on the reminder is a first stretch by request: the questions come first.
    [question] = await chat.press("🔄 Another", message_id=chat.last.message_id)
    assert "1 of 3:" in question.text


async def test_a_first_session_waits_for_the_questions_then_offers_the_routines(
    chat: Chat,
) -> None:
    await chat.say("/session")
    [first] = await chat.press("✨ For me")
    assert "Before I put your session together: 3 quick safety questions" in first.text
    await answer_question(chat, "Yes", 1)
    await answer_question(chat, "No", 2)
    question = chat.last
    done, menu = await chat.press("No", replies=2, message_id=question.message_id)
    assert done.message_id == question.message_id and done.buttons == []
    assert "bending the hip past a right angle" in done.text
    # The session menu again, not a stretch card: the user asked for a session.
    assert menu.text.startswith("🧘 A short guided session") and "✨ For me" in menu.button_texts
    assert await stored_answers(chat) == HIP_REPLACEMENT
    _, intro, _picture, step = await chat.press("✨ For me", replies=4)
    assert "Your session" in intro.text and step.text.startswith("Step 1 of")


class TestForUsersWhoAnswered:
    @pytest.fixture
    def safety_answers(self) -> PrecautionAnswers | None:
        return HIP_REPLACEMENT

    async def test_settings_show_and_change_the_answers(self, chat: Chat) -> None:
        [screen] = await chat.say("/settings")
        assert line(screen.text, "Stretch safety:") == "Stretch safety: Hip replacement (yes)"
        [safety] = await chat.press("🛡 Stretch safety")
        assert safety.message_id == screen.message_id
        for row in (
            "• Hip replacement: Yes",
            "• Pregnant, past 12 weeks: No",
            "• Osteoporosis: No",
        ):
            assert row in safety.text
        assert "bending the hip past a right angle" in safety.text

        [question] = await chat.press("Osteoporosis: No")
        assert "3 of 3: Have you been told you have osteoporosis" in question.text
        assert "Your answer now: No" in question.text
        [safety] = await chat.press("Yes")
        assert "• Osteoporosis: Yes" in safety.text and "twisting the spine" in safety.text
        [question] = await chat.press("Hip replacement: Yes")
        [safety] = await chat.press("No")
        assert "• Hip replacement: No" in safety.text and "bending the hip" not in safety.text

        [screen] = await chat.press("⬅️ Back to settings")
        assert line(screen.text, "Stretch safety:") == "Stretch safety: Osteoporosis (yes)"
        stored = await stored_answers(chat)
        assert stored.answer(Precaution.OSTEOPOROSIS) is Answer.YES
        assert stored.answer(Precaution.HIP_REPLACEMENT) is Answer.NO

    async def test_a_hip_replacement_never_gets_pigeon_and_the_like(self, chat: Chat) -> None:
        # Piriformis, the area of pigeon, fire log and the figure-fours, and the hardest level.
        await chat.say("/focus")
        await chat.press("▫️ Piriformis")
        shown: list[Stretch] = []
        _, card = await chat.say("/stretch", replies=2)
        for _ in range(10):
            shown.append(stretch_on(chat, card))
            [variant] = await chat.press("🔥 Harder", message_id=card.message_id)
            harder_ok = not shown[-1].harder_movements & HIP_FORBIDDEN
            assert ("I'll leave this version out" not in variant.text) is harder_ok
            _, card = await chat.press("🔄 Another", replies=2, message_id=card.message_id)
        assert (await chat.user()).level == 3
        for _ in range(10):
            _, card = await chat.say("/stretch", replies=2)
            shown.append(stretch_on(chat, card))
        assert not [s.id for s in shown if s.movements & HIP_FORBIDDEN]

        # Reminders, and Another on them, pick the same way.
        for reminder in await daily_reminders(chat, 10):
            _, another = await chat.press("🔄 Another", replies=2, message_id=reminder.message_id)
            for stretch in (stretch_on(chat, reminder), stretch_on(chat, another)):
                assert not stretch.movements & HIP_FORBIDDEN, stretch.id

    async def test_old_pigeon_cards_do_not_show_their_variants(self, chat: Chat) -> None:
        _, card = await chat.say("/stretch", replies=2)
        for action, label in (("h", "Harder"), ("e", "Easier")):
            await chat.api.press_button(chat.chat_id, card.message_id, f"1:{action}:pigeon-pose")
            [reply] = await chat.api.wait_for_bot_messages(chat.chat_id)
            assert reply.text.startswith(f"{label}: Pigeon pose")
            assert "I'll leave this version out" in reply.text
            assert "bending the hip past a right angle" in reply.text

    async def test_mydata_shows_the_answers_in_words_and_forget_deletes_them(
        self, chat: Chat
    ) -> None:
        summary, document = await chat.say("/mydata", replies=2)
        assert (
            "Stretch safety answers: Hip replacement: yes; Pregnant, past 12 weeks: no; "
            "Osteoporosis: no" in summary.text
        )
        assert document.file is not None and document.file.content is not None
        exported = json.loads(document.file.content)["users"][0]["precaution_answers"]
        assert exported == {
            "Hip replacement": "yes",
            "Pregnant, past 12 weeks": "no",
            "Osteoporosis": "no",
        }

        await chat.say("/forget", replies=2)
        await chat.press("🗑 Yes, delete everything")
        async with chat.services.sessions() as session:
            assert await session.get(User, chat.chat_id) is None
        [first] = await chat.say("/stretch")  # a new user again: asked again
        assert "1 of 3:" in first.text


async def test_forged_and_stale_safety_buttons_change_nothing(chat: Chat) -> None:
    [question] = await chat.say("/stretch")
    for data in (
        "1:sa:hip:y",
        "1:sa:knee:y:f",
        "1:sa:hip:0:f",
        "1:sq:knee",
        "1:sf:x",
        "1:sa:hip:y:f:z",
    ):
        assert "out of date" in await chat.press_data(question.message_id, data)
    assert await stored_answers(chat) == PrecautionAnswers()


async def test_a_reminder_for_a_stretch_the_library_dropped_shows_a_safe_one(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when a delivery was claimed (or recovered) with a stretch a newer release removed.
    monkeypatch.setattr(
        chat.ticker.kinds["daily"], "choose", lambda user, recent: "retired-stretch"
    )
    [reminder] = await daily_reminders(chat, 1)
    assert not stretch_on(chat, reminder).movements & EVERY_PRECAUTION
