"""/start, /help, /stretch and its buttons, and everything a user might throw at the bot."""

from __future__ import annotations

from bot.render.texts import COMMANDS
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat


async def test_start_welcomes_with_buttons_and_registers_the_menu(
    chat: Chat, api: FakeBotApi
) -> None:
    [welcome] = await chat.say("/start")
    assert "Limber" in welcome.text and "not medical care" in welcome.text
    assert welcome.button_texts == ["🧘 Stretch now", "⏰ Set a daily reminder"]
    assert api.commands() == COMMANDS


async def test_help_lists_every_command(chat: Chat) -> None:
    [help_message] = await chat.say("/help")
    for command, _ in COMMANDS:
        assert f"/{command}" in help_message.text


async def test_stretch_card_and_each_button(chat: Chat, api: FakeBotApi) -> None:
    picture, card = await chat.say("/stretch", replies=2)
    assert picture.kind in ("photo", "animation") and picture.file is not None
    assert picture.text.startswith(card.text.split("\n")[0])  # captioned with the name
    assert "starting position" in picture.text
    assert card.text.count("\n1. ") == 1 and "Stop if:" in card.text
    assert card.button_texts == [
        "▶️ Start 30 s",
        "✅ Done",
        "🔄 Another",
        "🐢 Easier",
        "🔥 Harder",
        "🩺 New or worse symptoms?",
    ]

    _, another = await chat.press("🔄 Another", replies=2, message_id=card.message_id)
    assert another.message_id != card.message_id and another.text != card.text
    pictures = [c for m in ("sendPhoto", "sendAnimation") for c in api.calls_to(m) if c.ok]
    assert len(pictures) == 2

    [easier] = await chat.press("🐢 Easier", message_id=another.message_id)
    assert easier.text.startswith("Easier:") and "gentler" in easier.text

    [harder] = await chat.press("🔥 Harder", message_id=another.message_id)
    assert harder.text.startswith("Harder:")

    replies = await chat.press("✅ Done", replies=2, message_id=another.message_id)
    edited, congrats = replies[0], replies[-1]
    assert edited.message_id == another.message_id and edited.buttons == []  # no double "Done"
    assert congrats.text.startswith("Nice work!")


async def test_start_buttons_lead_to_a_stretch_and_a_time_picker(chat: Chat) -> None:
    await chat.say("/start")
    _, card = await chat.press("🧘 Stretch now", replies=2)
    assert "✅ Done" in card.button_texts
    [picker] = await chat.press("⏰ Set a daily reminder")
    assert "07:30" in picker.button_texts


async def test_unknown_command_free_text_and_huge_message_get_friendly_replies(chat: Chat) -> None:
    [unknown] = await chat.say("/frobnicate")
    assert "don't know that command" in unknown.text
    [free] = await chat.say("my hips feel tight <b>&")
    assert "/stretch" in free.text
    [pain] = await chat.say("my hips hurt <b>&")  # pain: the red-flag check, never a stretch
    assert "/redflags" in pain.text and "/stretch" not in pain.text
    [huge] = await chat.say("x" * 5000)
    assert "/help" in huge.text


async def test_stale_and_forged_buttons_get_a_polite_answer(chat: Chat) -> None:
    _, card = await chat.say("/stretch", replies=2)
    for data in ("0:d:old-version", "1:d:no-such-stretch", "garbage", "1:zz"):
        answer = await chat.press_data(card.message_id, data)
        assert "out of date" in answer
