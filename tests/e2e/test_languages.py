"""Languages: a user is answered in their Telegram language when a catalogue exists for it, and
a new language is only its catalogue file (a tiny test-only one here), no Python change."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat
from tests.translations import write_locale

SPEAKER = 515515  # a user whose Telegram is set to the test-only language "xx"


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, object]:
    locales = write_locale(
        tmp_path,
        "xx",
        {
            "<b>What I can do</b>": "<b>Wat I kan doo</b>",
            "List the commands": "Lisst dee comandz",
            "🧘 Stretch now": "🧘 Strettsh nau",
            "⏰ Time for your daily stretch!": "⏰ Tiem for yor dayli strettsh!",
            "✅ Done": "✅ Dun",
            "Skip ⏭": "Skipp ⏭",
        },
    )
    return {"LIMBER_LOCALE_DIR": str(locales)}


async def test_a_user_is_answered_in_their_language(chat: Chat, api: FakeBotApi) -> None:
    await api.send_user_message(SPEAKER, "/help", language_code="xx-YY")
    [help_text] = await api.wait_for_bot_messages(SPEAKER)
    assert help_text.text.startswith("Wat I kan doo")
    assert "/help – Lisst dee comandz" in help_text.text
    assert "/stretch – Get one stretch to do now" in help_text.text  # untranslated: English
    await api.send_user_message(SPEAKER, "/start")  # a new user: onboarding's first step
    [welcome] = await api.wait_for_bot_messages(SPEAKER)
    assert "Skipp ⏭" in welcome.button_texts
    english = await chat.say("/help")
    assert english[0].text.startswith("What I can do")


async def test_the_command_menu_is_registered_per_language(chat: Chat, api: FakeBotApi) -> None:
    assert ("help", "List the commands") in api.commands()
    assert ("help", "Lisst dee comandz") in api.commands(language_code="xx")


async def test_the_language_can_be_changed_in_settings(chat: Chat, api: FakeBotApi) -> None:
    await chat.say("/settings")
    [languages] = await chat.press("🌐 Language")
    # "xx" is no real language: Babel has no name for it, so its code shows.
    assert languages.button_texts == ["✅ English", "xx", "⬅️ Back to settings"]
    [screen] = await chat.press("xx")
    assert "🧘" not in screen.text and (await chat.user()).language == "xx"
    welcome = await chat.say("/start")
    assert "🧘 Strettsh nau" in welcome[0].button_texts


async def test_a_reminder_comes_in_the_users_language(chat: Chat, api: FakeBotApi) -> None:
    speaker = Chat(api, chat.clock, chat.ticker, chat.services, chat.timers, chat_id=SPEAKER)
    await api.send_user_message(SPEAKER, "/timezone UTC", language_code="xx")
    await api.wait_for_bot_messages(SPEAKER, 2)
    await speaker.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
    due = chat.clock.now() + timedelta(minutes=1)
    await speaker.say(f"/time {due:%H:%M}", replies=2)
    chat.clock.advance(timedelta(minutes=1))
    assert (await chat.tick()).claimed == 1
    card = speaker.last
    assert card.text.startswith("⏰ Tiem for yor dayli strettsh!")
    assert "✅ Dun" in card.button_texts
