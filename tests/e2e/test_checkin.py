"""The two-weekly pain check-in through the sandbox: it arrives once, each answer leads where it
should and is stored (answer and date only), and it can be switched off in /settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalog import Catalog
from bot.clock import FakeClock
from bot.domain.checkin import PainAnswer
from bot.domain.reminders import DeliveryStatus
from bot.render.checkin import render_checkin_history
from bot.render.i18n import ENGLISH
from bot.sandbox.server import FakeBotApi
from bot.usecases.checkins import checkin_history
from bot.usecases.practice import record_done
from tests.e2e.conftest import Chat, running_bot

QUESTION = "🩺 Two-week check-in\nHow is your pain compared with when you started?"
ANSWERS = ["🙂 Better", "😐 About the same", "🙁 Worse", "⚠️ New symptoms"]
TWO_WEEKS = timedelta(days=14)


async def did_a_stretch(chat: Chat) -> None:
    """The user did something lately: check-ins go only to people still using Limber."""
    assert await record_done(chat.services, chat.chat_id, "glute-bridge") is not None


async def receive_checkin(chat: Chat, after: timedelta = TWO_WEEKS) -> None:
    await did_a_stretch(chat)
    chat.clock.advance(after)
    assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}
    assert chat.last.text.startswith(QUESTION)


async def answer(chat: Chat, label: str) -> list:  # type: ignore[type-arg]
    _edited, *replies = await chat.press(label, replies=2, message_id=chat.last.message_id)
    return replies


async def test_arrives_two_weeks_after_first_contact_exactly_once(
    chat: Chat, api: FakeBotApi
) -> None:
    await chat.say("/settings")
    chat.clock.advance(TWO_WEEKS - timedelta(minutes=1))
    assert (await chat.tick()).claimed == 0
    await receive_checkin(chat, timedelta(minutes=1))
    assert chat.last.button_texts == ANSWERS
    assert (await chat.tick()).claimed == 0  # once
    await receive_checkin(chat)  # and again two weeks later


async def test_not_asked_of_someone_who_has_not_used_limber_for_four_weeks(chat: Chat) -> None:
    await chat.say("/settings")  # first contact, nothing done since
    chat.clock.advance(TWO_WEEKS)
    due = (await chat.user()).checkin_due_at
    assert due == chat.clock.now()
    assert (await chat.tick()).claimed == 0  # due, within the grace, but not in use: skipped
    assert (await chat.user()).checkin_due_at == due + TWO_WEEKS
    await receive_checkin(chat)  # in use again: asked two weeks later


async def test_asked_while_something_was_done_in_the_last_four_weeks_and_not_after(
    chat: Chat,
) -> None:
    await chat.say("/settings")  # first contact: the first check-in is due two weeks on
    chat.clock.advance(TWO_WEEKS - timedelta(days=1))
    await did_a_stretch(chat)  # the last thing they do
    for days_since in (1, 15):  # the check-ins two and four weeks after first contact
        chat.clock.advance(timedelta(days=1) if days_since == 1 else TWO_WEEKS)
        assert (await chat.tick()).statuses == {DeliveryStatus.SENT: 1}, days_since
        assert chat.last.text.startswith(QUESTION)
    chat.clock.advance(TWO_WEEKS)  # 29 days since the last stretch: no longer in use
    assert (await chat.tick()).claimed == 0
    assert (await chat.user()).checkin_due_at == chat.clock.now() + TWO_WEEKS


async def test_better_is_stored_with_its_date_and_encouraged(chat: Chat) -> None:
    await chat.say("/settings")
    await receive_checkin(chat)
    (reply,) = await answer(chat, "🙂 Better")
    assert reply.text.startswith("Good to hear!") and reply.button_texts == []
    history = await checkin_history(chat.services, chat.chat_id)
    assert history == [(chat.clock.now().date(), PainAnswer.BETTER)]
    block = render_checkin_history(ENGLISH, history)
    assert block.endswith(f"{chat.clock.now():%-d %b %Y}: better")


async def test_same_early_on_keeps_going_but_after_six_weeks_suggests_a_clinician(
    chat: Chat,
) -> None:
    await chat.say("/settings")
    await receive_checkin(chat)  # two weeks in
    (early,) = await answer(chat, "😐 About the same")
    assert early.text.startswith("Thanks. Changes often take a few weeks")
    await receive_checkin(chat)  # four weeks
    await receive_checkin(chat)  # six weeks
    (late,) = await answer(chat, "😐 About the same")
    assert "After six weeks without improvement" in late.text
    assert "GP or a physiotherapist" in late.text
    history = await checkin_history(chat.services, chat.chat_id)
    assert [a for _, a in history] == [PainAnswer.SAME, PainAnswer.SAME]


async def test_worse_suggests_a_clinician_with_the_local_non_emergency_line(chat: Chat) -> None:
    await chat.say("/timezone Europe/London", replies=2)
    await receive_checkin(chat)
    (reply,) = await answer(chat, "🙁 Worse")
    assert "Pain that is getting worse is worth having looked at" in reply.text
    assert "For advice by phone in the meantime: 111 (NHS 111" in reply.text
    assert reply.button_texts == ["🩺 New or worse symptoms?"]


async def test_worse_without_a_known_country_names_no_line(chat: Chat) -> None:
    await chat.say("/settings")  # timezone UTC, an English-speaking client: country unknown
    await receive_checkin(chat)
    (reply,) = await answer(chat, "🙁 Worse")
    assert "Pain that is getting worse" in reply.text and "advice by phone" not in reply.text


async def test_new_symptoms_opens_the_red_flag_check(chat: Chat) -> None:
    await chat.say("/settings")
    await receive_checkin(chat)
    (reply,) = await answer(chat, "⚠️ New symptoms")
    assert "New symptoms are worth a closer look" in reply.text
    intro, question = await chat.press("🩺 New or worse symptoms?", replies=2)
    assert "not a diagnosis" in intro.text  # the red-flag check has started
    assert any(label.startswith("No") for label in question.button_texts)
    history = await checkin_history(chat.services, chat.chat_id)
    assert [a for _, a in history] == [PainAnswer.NEW_SYMPTOMS]


async def test_a_second_press_the_same_day_corrects_the_answer(chat: Chat) -> None:
    await chat.say("/settings")
    await receive_checkin(chat)
    question = chat.last.message_id
    await answer(chat, "🙂 Better")
    stale = await chat.api.press_button(chat.chat_id, question, "1:ca:worse")
    await chat.api.wait_for_callback_answer(stale)
    await chat.api.wait_for_bot_messages(chat.chat_id, 1)
    history = await checkin_history(chat.services, chat.chat_id)
    assert history == [(chat.clock.now().date(), PainAnswer.WORSE)]


async def test_switched_off_in_settings_then_back_on(chat: Chat, api: FakeBotApi) -> None:
    (screen,) = await chat.say("/settings")
    assert "Pain check-in every two weeks: on" in screen.text
    switch_off = screen.button("🩺 Check-ins: switch off").callback_data
    assert switch_off is not None
    (edited,) = await chat.press("🩺 Check-ins: switch off", message_id=screen.message_id)
    assert "Pain check-in every two weeks: off" in edited.text
    assert (await chat.user()).checkin_due_at is None
    # "Switch off" again, from an older settings message: still off, never toggled back on.
    await chat.press_data(screen.message_id, switch_off)
    assert (await chat.user()).checkin_due_at is None
    chat.clock.advance(TWO_WEEKS * 3)
    assert (await chat.tick()).claimed == 0

    (edited,) = await chat.press("🩺 Check-ins: switch on", message_id=screen.message_id)
    assert "Pain check-in every two weeks: on" in edited.text
    await receive_checkin(chat)


async def test_once_across_a_restart_and_at_the_same_local_time_across_dst(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, clock: FakeClock
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=berlin))  # first contact, winter time
    async with running_bot(api, sqlite_url, catalog, clock) as first:
        await first.say("/timezone Europe/Berlin", replies=2)
        await receive_checkin(first)  # 24 Mar, 09:00 in Berlin
        assert first.last.date == int(datetime(2026, 3, 24, 9, 0, tzinfo=berlin).timestamp())
    async with running_bot(api, sqlite_url, catalog, clock) as second:  # a restart
        assert (await second.tick()).claimed == 0
        # Berlin moved to summer time on 29 Mar: the next one is still at 09:00 local.
        clock.set(datetime(2026, 4, 7, 8, 59, tzinfo=berlin))
        assert (await second.tick()).claimed == 0
        clock.set(datetime(2026, 4, 7, 9, 0, tzinfo=berlin))
        assert (await second.tick()).statuses == {DeliveryStatus.SENT: 1}
        assert second.last.text.startswith(QUESTION)
        assert (await second.tick()).claimed == 0
