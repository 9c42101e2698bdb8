""" "How did that feel?" end to end: each answer changes what comes next (the level of an area,
a stretch stopped, the red-flag check offered, the hold growing over weeks), stale and repeated
presses get a polite answer, and nothing happens in a group."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.catalog.stretches import Stretch
from bot.db.feedback import bring_back, stop_stretch
from bot.db.models import StoppedStretch, StretchFeedback, User
from bot.render.callbacks import Action, encode
from bot.render.feedback import session_args, stamp
from bot.render.texts import STALE_BUTTON
from bot.sandbox.models import FakeUser, SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, Chat
from tests.e2e.test_groups import all_rows, settle

OWNER = FakeUser(id=CHAT_ID, first_name="Ann")
FEELINGS = ["👍 Good", "😌 Too easy", "😓 Too hard", "🤕 It hurt"]


async def focus_on(chat: Chat, *areas: str) -> None:
    async with chat.services.transaction() as session:
        user = await session.get(User, chat.chat_id)
        assert user is not None
        user.focus_areas = list(areas)


def stretch_on(chat: Chat, card: SentMessage) -> Stretch:
    data = card.button("✅ Done").callback_data
    assert data is not None
    found = chat.services.stretches.get(data.removeprefix("1:d:"))
    assert found is not None
    return found


async def next_card(chat: Chat) -> SentMessage:
    _picture, card = await chat.say("/stretch", replies=2)
    return card


async def done(chat: Chat, card: SentMessage) -> SentMessage:
    """Done on a card: the congratulation asks how it felt."""
    _edited, question = await chat.press("✅ Done", replies=2, message_id=card.message_id)
    assert question.text.startswith("Nice work!") and "How did that feel?" in question.text
    # Below the answers: the offer of a daily reminder at this time, when none is set.
    assert question.button_texts[: len(FEELINGS)] == FEELINGS
    return question


async def it_hurt(chat: Chat, card: SentMessage, place: str, kind: str) -> SentMessage:
    """Done, It hurt, where, how: the outcome, in the message that asked."""
    question = await done(chat, card)
    _edited, where = await chat.press("🤕 It hurt", replies=2, message_id=question.message_id)
    assert "where did you feel it?" in where.text
    [how] = await chat.press(place, message_id=where.message_id)
    assert how.message_id == where.message_id and "0 as nothing" in how.text  # one at a time
    [outcome] = await chat.press(kind, message_id=how.message_id)
    assert outcome.message_id == where.message_id
    return outcome


async def test_too_easy_moves_that_area_up_and_the_next_stretch_there_is_harder(
    chat: Chat,
) -> None:
    await focus_on(chat, "hamstrings")
    first, second = await next_card(chat), await next_card(chat)
    shown = [stretch_on(chat, first), stretch_on(chat, second)]
    # Both level-1 hamstring stretches, shown lately: at level 1 one of them would come again.
    assert {(s.level, "hamstrings" in s.areas) for s in shown} == {(1, True)}

    question = await done(chat, second)
    _edited, noted = await chat.press("😌 Too easy", replies=2, message_id=question.message_id)
    assert "hamstrings" in noted.text
    assert (await chat.user()).area_levels == {"hamstrings": 2}
    assert (await chat.user()).level == 1  # the other areas stay where they were

    harder = stretch_on(chat, await next_card(chat))
    assert harder.level == 2 and "hamstrings" in harder.areas

    # "Too hard" takes the area back down: level-1 hamstring stretches again.
    question = await done(chat, await next_card(chat))
    await chat.press("😓 Too hard", replies=2, message_id=question.message_id)
    assert (await chat.user()).area_levels == {"hamstrings": 1}
    for _ in range(3):
        assert stretch_on(chat, await next_card(chat)).level == 1


async def test_sharp_pain_stops_the_stretch_for_good_and_offers_the_easier_way(
    chat: Chat,
) -> None:
    await focus_on(chat, "adductors")  # one level-1 stretch there: always the butterfly
    card = await next_card(chat)
    butterfly = stretch_on(chat, card)
    assert butterfly.id == "butterfly-stretch"

    outcome = await it_hurt(chat, card, "Where it stretched", "Sharp or stabbing")
    assert f"won't suggest {butterfly.name} again" in outcome.text
    assert f"Easier: {butterfly.name}" in outcome.text and butterfly.easier in outcome.text
    assert "/stopped" in outcome.text
    assert outcome.buttons == []  # sharp where it stretched: no red-flag check needed

    for _ in range(6):
        assert stretch_on(chat, await next_card(chat)).id != butterfly.id

    # /stopped shows it and brings it back.
    [listed] = await chat.say("/stopped")
    assert butterfly.name in listed.text
    [emptied] = await chat.press(f"↩️ Bring back {butterfly.name}", message_id=listed.message_id)
    assert "haven't stopped any stretch" in emptied.text
    assert stretch_on(chat, await next_card(chat)).id == butterfly.id


async def test_a_mild_pull_is_reassured_and_nothing_is_stopped(chat: Chat) -> None:
    card = await next_card(chat)
    outcome = await it_hurt(
        chat, card, "Where it stretched", "A stretching pull, 3 out of 10 or less"
    )
    assert "normal stretch" in outcome.text and "ease off" in outcome.text
    async with chat.services.sessions() as session:
        assert list(await session.scalars(select(StoppedStretch.stretch_id))) == []


async def test_shooting_down_a_leg_offers_the_red_flag_check_and_its_button_starts_it(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    card = await next_card(chat)
    with caplog.at_level(logging.INFO):
        outcome = await it_hurt(chat, card, "Spreading down a leg", "Shooting, tingling or numb")
    # Never logged: neither the answers' words nor the buttons' data.
    assert "Shooting" not in caplog.text and ":l:n" not in caplog.text and ":pk:" not in caplog.text
    assert "red-flag check" in outcome.text
    assert outcome.button_texts == ["🩺 New or worse symptoms?"]
    intro, first = await chat.press(
        "🩺 New or worse symptoms?", replies=2, message_id=outcome.message_id
    )
    assert "not a diagnosis" in intro.text
    assert first.text.startswith("Question 1 of")


async def test_holds_grow_after_weeks_of_good(chat: Chat) -> None:
    await focus_on(chat, "adductors")
    holds = []
    for _week_half in range(6):
        card = await next_card(chat)
        assert stretch_on(chat, card).id == "butterfly-stretch"
        holds.append(next(line for line in card.text.splitlines() if line.startswith("⏱")))
        question = await done(chat, card)
        _edited, noted = await chat.press("👍 Good", replies=2, message_id=question.message_id)
        assert "Good to hear" in noted.text
        chat.clock.advance(timedelta(days=4))
    # Good on days 0, 4 and 8: a step up (30 -> 45 s); days 12, 16, 20: another (-> 60 s).
    assert [hold.split("Hold ")[1].split(" s")[0] for hold in holds] == [
        "30",
        "30",
        "30",
        "45",
        "45",
        "45",
    ]
    card = await next_card(chat)
    assert "Hold 60 s" in card.text

    # Then it hurt (a mild pull, so it stays): back to the card's hold, for good.
    await it_hurt(chat, card, "Where it stretched", "A stretching pull, 3 out of 10 or less")
    assert "Hold 30 s" in (await next_card(chat)).text


async def test_stale_forged_and_repeated_presses_are_answered_politely(chat: Chat) -> None:
    card = await next_card(chat)
    stretch = stretch_on(chat, card)
    question = await done(chat, card)
    good = question.button("👍 Good").callback_data
    assert good is not None
    await chat.press("👍 Good", replies=2, message_id=question.message_id)
    # The same press again (a double tap that raced the keyboard's removal).
    assert await chat.press_data(question.message_id, good) == "Already noted, thank you."
    # A question from last week.
    old = encode(Action.FEEL, stretch.id, stamp(chat.clock.now() - timedelta(days=5)), "e")
    assert "expired" in await chat.press_data(question.message_id, old)
    # A stretch the library does not have, a session from another library, a forged answer.
    stale = STALE_BUTTON.split(".")[0]
    now = stamp(chat.clock.now())
    assert stale in await chat.press_data(question.message_id, f"1:fe:no-such-stretch:{now}:g")
    assert stale in await chat.press_data(question.message_id, f"1:fg:0000:0001:{now}:g")
    assert stale in await chat.press_data(question.message_id, f"1:fe:{stretch.id}:{now}:q")
    # How it hurt, without having said it hurt.
    forged = encode(Action.PAIN_KIND, stretch.id, now, "a", "p")
    assert stale in await chat.press_data(question.message_id, forged)
    async with chat.services.sessions() as session:
        feelings = list(await session.scalars(select(StretchFeedback.feeling)))
        stopped = list(await session.scalars(select(StoppedStretch.stretch_id)))
    assert feelings == ["good"] and stopped == []


async def test_after_a_session_one_answer_covers_every_stretch(chat: Chat) -> None:
    """What the session's end calls: ask_feedback with the stretch ids done, in order."""
    library = [stretch.id for stretch in chat.services.stretches.all()]
    done_ids = ["cat-cow", "standing-quad"]
    asked = stamp(chat.clock.now())
    fingerprint, places = session_args(done_ids, library)
    card = await next_card(chat)

    hard = encode(Action.FEEL_SESSION, fingerprint, places, asked, "h")
    noted = (await press_raw(chat, card.message_id, hard, 2))[-1]
    assert "standing" not in noted.text and "lower back, upper back, quads" in noted.text
    # Too hard from level 1 stays at 1, but every area of both stretches now has its level.
    assert (await chat.user()).area_levels == {"lower_back": 1, "thoracic": 1, "quads": 1}

    # One answer per question: "It hurt" after another session.
    chat.clock.advance(timedelta(hours=1))
    hurt = encode(Action.FEEL_SESSION, fingerprint, places, stamp(chat.clock.now()), "x")
    which = (await press_raw(chat, noted.message_id, hurt, 1))[-1]
    assert "Which one was it?" in which.text
    assert which.button_texts == ["Cat-cow", "Standing quad stretch"]
    _edited, where = await chat.press("Cat-cow", replies=2, message_id=which.message_id)
    assert "During Cat-cow, where did you feel it?" in where.text


async def press_raw(chat: Chat, message_id: int, data: str, replies: int) -> list[SentMessage]:
    """Press a button the bot would show elsewhere (here: the session's end)."""
    query = await chat.api.press_button(CHAT_ID, message_id, data)
    messages = await chat.api.wait_for_bot_messages(CHAT_ID, replies)
    await chat.api.wait_for_callback_answer(query)
    return messages


async def test_feedback_in_a_group_does_nothing(chat: Chat, api: FakeBotApi) -> None:
    card = await next_card(chat)
    question = await done(chat, card)
    buttons = [b.callback_data for b in question.buttons if b.callback_data]
    group = api.create_group()
    await api.send_group_message(group, "/stopped", user=OWNER)
    [pointer] = await api.wait_for_bot_messages(group)
    before = await all_rows(chat)
    for data in buttons:
        query = await api.press_button(group, pointer.message_id, data, user=OWNER)
        answer = await api.wait_for_callback_answer(query)
        assert "private" in (answer.text or "")
    await settle(api)
    assert await all_rows(chat) == before
    assert api.messages(group) == [pointer]


async def test_mydata_exports_and_forget_deletes_the_feedback(chat: Chat) -> None:
    await focus_on(chat, "adductors")
    card = await next_card(chat)
    await it_hurt(chat, card, "In a joint, like the knee or hip", "Sharp or stabbing")
    question = await done(chat, await next_card(chat))
    await chat.press("😌 Too easy", replies=2, message_id=question.message_id)

    summary, document = await chat.say("/mydata", replies=2)
    assert "left out because they hurt: 1" in summary.text
    assert document.file is not None and document.file.content is not None
    export = json.loads(document.file.content)
    assert [row["stretch_id"] for row in export["stopped_stretches"]] == ["butterfly-stretch"]
    assert sorted(row["feeling"] for row in export["stretch_feedback"]) == ["hurt", "too_easy"]
    assert export["users"][0]["area_levels"]
    # Only the answer's kind and when: never where or how it hurt.
    assert set(export["stretch_feedback"][0]) == {
        "id",
        "user_id",
        "stretch_id",
        "feeling",
        "asked_at",
    }

    await chat.say("/forget", replies=2)
    await chat.press("🗑 Yes, delete everything")
    async with chat.services.sessions() as session:
        assert list(await session.scalars(select(StretchFeedback.id))) == []
        assert list(await session.scalars(select(StoppedStretch.stretch_id))) == []


async def test_reminders_follow_the_feedback_too(chat: Chat) -> None:
    """The daily card asks how it felt; a stopped stretch is never sent, a raised area is."""
    await focus_on(chat, "adductors")  # level 1: only the butterfly there
    [first] = await daily_reminders(chat, 1)
    assert stretch_on(chat, first).id == "butterfly-stretch"
    question = await done(chat, first)
    await chat.press("😌 Too easy", replies=2, message_id=question.message_id)
    # Adductors at level 2: the side lunge and the adductor rock come in, and the butterfly
    # will hurt and be stopped.
    chat.clock.advance(timedelta(minutes=5))
    card = await next_card(chat)
    while stretch_on(chat, card).id != "butterfly-stretch":
        card = await next_card(chat)
    await it_hurt(chat, card, "Where it stretched", "Stronger than 3 out of 10")
    sent = [stretch_on(chat, card) for card in await more_reminders(chat, 6)]
    assert "butterfly-stretch" not in {s.id for s in sent}
    assert {s.id for s in sent} <= {"side-lunge-stretch", "adductor-rock-back"}


async def daily_reminders(chat: Chat, days: int) -> list[SentMessage]:
    """Set the reminder a minute from now, then receive it on ``days`` days in a row."""
    local = chat.clock.now() + timedelta(minutes=1)
    await chat.say(f"/time {local:%H:%M}", replies=2)  # the user's zone is UTC
    chat.clock.advance(timedelta(minutes=1))
    return await more_reminders(chat, days, first_now=True)


async def more_reminders(chat: Chat, days: int, *, first_now: bool = False) -> list[SentMessage]:
    reminders = []
    for day in range(days):
        if day or not first_now:
            chat.clock.advance(timedelta(days=1))
        await chat.tick()
        # The weekly summary (on after a first week with a stretch done) may come too.
        reminder = chat.last_reminder()
        assert not reminders or reminder.message_id > reminders[-1].message_id  # a new one
        reminders.append(reminder)
    return reminders


async def test_a_reminder_never_shows_a_stopped_stretch_even_when_every_one_is_stopped(
    chat: Chat,
) -> None:
    async with chat.services.transaction() as session:
        for stretch in chat.services.stretches.all():
            await stop_stretch(session, chat.chat_id, stretch.id, chat.clock.now())
    local = chat.clock.now() + timedelta(minutes=1)
    await chat.say(f"/time {local:%H:%M}", replies=2)
    chat.clock.advance(timedelta(minutes=1))
    await chat.tick()
    reminder = chat.api.messages(chat.chat_id)[-1]
    assert reminder.text.startswith("Every stretch that suits your safety answers is one you")
    assert "/stopped" in reminder.text and reminder.buttons == []
    # One brought back: the next day's reminder is that stretch's card.
    async with chat.services.transaction() as session:
        await bring_back(session, chat.chat_id, "knees-to-chest")
    chat.clock.advance(timedelta(days=1))
    await chat.tick()
    assert stretch_on(chat, chat.last_reminder()).id == "knees-to-chest"
