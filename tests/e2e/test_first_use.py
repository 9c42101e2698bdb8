"""What a new user tripped over, each tried as one would, through the sandbox."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.db.models import User
from bot.render.stretch_card import CONFETTI_EFFECT
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat


async def zone_not_chosen(chat: Chat) -> None:
    """The user never picked a zone (every new user starts in UTC)."""
    async with chat.services.transaction() as session:
        user = await session.get(User, chat.chat_id)
        assert user is not None
        user.zone_chosen = False


async def test_done_without_a_reminder_offers_one_at_this_time(
    chat: Chat, clock: FakeClock
) -> None:
    await chat.say("/timezone Asia/Kolkata", replies=2)
    await chat.say("/stretch", replies=2)
    _, done = await chat.press("✅ Done", replies=2)  # the card loses its buttons, then
    assert "See you tomorrow" not in done.text  # no reminder is set
    assert done.button_texts[-1] == "⏰ Remind me daily at this time"  # below "How did that feel?"
    _, saved, _ = await chat.press("⏰ Remind me daily at this time", replies=3)
    local = clock.now().astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"{local:%H:%M}" in saved.text
    assert (await chat.user()).reminder_time == time(local.hour, local.minute)

    await chat.say("/stretch", replies=2)
    _, again = await chat.press("✅ Done", replies=2)
    assert "See you tomorrow" in again.text
    assert "⏰ Remind me daily at this time" not in again.button_texts


async def test_remind_me_at_this_time_asks_the_zone_first(chat: Chat, clock: FakeClock) -> None:
    await zone_not_chosen(chat)
    await chat.say("/stretch", replies=2)
    await chat.press("✅ Done", replies=2)
    _, question = await chat.press("⏰ Remind me daily at this time", replies=2)
    assert "Where are you?" in question.text and (await chat.user()).reminder_time is None
    [screen] = await chat.press("New York")  # the question turns into the settings screen
    local = clock.now().astimezone(ZoneInfo("America/New_York"))
    assert f"Time: {local:%H:%M}" in screen.text and "America/New_York" in screen.text
    user = await chat.user()
    assert user.timezone == "America/New_York"
    assert user.reminder_time == time(local.hour, local.minute)


async def test_a_reminder_time_waits_for_the_zone_instead_of_saving_in_utc(chat: Chat) -> None:
    await zone_not_chosen(chat)
    [question] = await chat.say("/time 7:30")
    assert "So that 07:30 is 07:30 where you are" in question.text
    assert "London" in question.button_texts and "Keep UTC" in question.button_texts
    assert (await chat.user()).reminder_time is None
    [saved, screen] = await chat.say("london", replies=2)  # typed, not a command
    assert "07:30, London time" in saved.text and "Europe/London" in screen.text
    user = await chat.user()
    assert user.reminder_time == time(7, 30) and user.timezone == "Europe/London"


async def test_time_and_zone_screens_understand_a_plain_reply(chat: Chat) -> None:
    await chat.say("/settings")
    await chat.press("⏰ Time")
    saved, _ = await chat.say("7pm", replies=2)
    assert "19:00" in saved.text and (await chat.user()).reminder_time == time(19, 0)
    await chat.say("/settings")
    await chat.press("🌍 Timezone")
    saved, _ = await chat.say("new york", replies=2)
    assert "America/New_York" in saved.text
    assert (await chat.user()).timezone == "America/New_York"
    [free] = await chat.say("hello there")  # nothing waits any more: the usual reply
    assert "don't understand free text" in free.text


async def test_a_command_ends_the_wait_for_a_typed_time(chat: Chat) -> None:
    await chat.say("/time")
    await chat.say("/help")
    [free] = await chat.say("7pm")
    assert "don't understand free text" in free.text
    assert (await chat.user()).reminder_time is None


async def test_every_screen_ends_with_a_next_step(chat: Chat) -> None:
    [screen] = await chat.say("/settings")
    assert "🧘 Stretch now" in screen.button_texts
    await chat.say("/stretch", replies=2)
    [easier] = await chat.press("🐢 Easier")
    assert easier.button_texts[:2] == ["✅ Done", "🔄 Another"]
    await chat.say("/redflags", replies=2)
    [stopped] = await chat.press("✖ Stop")
    assert stopped.button_texts == ["🧘 Stretch now", "🩺 Start the check again"]
    replies = await chat.say("/redflags", replies=2)
    while any(label.startswith("No") for label in chat.last.button_texts):
        await chat.press("No", message_id=chat.last.message_id)
    outcome = chat.last
    assert outcome.text.startswith("✅") and outcome.message_id > replies[-1].message_id
    assert outcome.button_texts == ["🧘 Stretch now"]  # all clear: on to a stretch


async def test_resume_with_nothing_paused_says_so(chat: Chat) -> None:
    said, _ = await chat.say("/resume", replies=2)
    assert "weren't paused" in said.text and "back on" not in said.text


async def test_mydata_reads_like_words_not_storage(chat: Chat) -> None:
    await chat.say("/time 19:00", replies=2)
    summary, _ = await chat.say("/mydata", replies=2)
    assert "19:00" in summary.text and "19:00:00" not in summary.text
    assert "level 1" not in summary.text and "gentle level" in summary.text
    first_contact = next(r for r in summary.text.splitlines() if "First contact" in r)
    assert "T" not in first_contact and ":" not in first_contact.split(": ", 1)[1]  # not ISO


async def test_start_deep_links_go_where_they_point(chat: Chat) -> None:
    _, card = await chat.say("/start stretch", replies=2)
    assert "✅ Done" in card.button_texts
    [screen] = await chat.say("/start settings")
    assert "Your daily reminder" in screen.text
    intro, question = await chat.say("/start redflags", replies=2)
    assert "not a diagnosis" in intro.text and question.text.startswith("Question 1 of")


async def test_the_bot_describes_itself_at_start(chat: Chat, api: FakeBotApi) -> None:
    [description] = api.calls_to("setMyDescription")
    [short] = api.calls_to("setMyShortDescription")
    assert description.status == 200 and "Limber" in description.params["description"]
    assert short.status == 200 and 0 < len(short.params["short_description"]) <= 120


async def test_a_picture_being_drawn_shows_an_upload_indicator(chat: Chat, api: FakeBotApi) -> None:
    await chat.say("/stretch", replies=2)
    assert "upload_photo" in api.chat_actions(chat.chat_id)


async def test_done_celebrates_the_streak_with_an_effect(chat: Chat, clock: FakeClock) -> None:
    await chat.say("/time 07:30", replies=2)
    await chat.say("/stretch", replies=2)
    _, first = await chat.press("✅ Done", replies=2)
    assert "in a row" not in first.text
    clock.advance(timedelta(days=1))
    await chat.say("/stretch", replies=2)
    _, second = await chat.press("✅ Done", replies=2)
    assert "2 days in a row" in second.text
    sent = [c for c in chat.api.calls_to("sendMessage") if "in a row" in c.params.get("text", "")]
    assert sent[-1].params.get("message_effect_id") == CONFETTI_EFFECT
