"""Settings by command and by button; bad input leaves every setting as it was."""

from __future__ import annotations

from bot.db.models import User
from tests.e2e.conftest import Chat


def line(text: str, prefix: str) -> str:
    return next(row for row in text.splitlines() if row.startswith(prefix))


async def settings_text(chat: Chat) -> str:
    [screen] = await chat.say("/settings")
    return screen.text


async def test_time_and_timezone_by_command(chat: Chat) -> None:
    saved, screen = await chat.say("/time 7:45 pm", replies=2)
    assert "19:45" in saved.text
    assert line(screen.text, "Time:") == "Time: 19:45"
    saved, screen = await chat.say("/timezone new york", replies=2)
    assert "America/New_York" in saved.text
    assert "Next:" in screen.text and "America/New_York" in line(screen.text, "Next:")


async def test_bad_time_and_zone_leave_settings_intact(chat: Chat) -> None:
    await chat.say("/time 07:30", replies=2)
    await chat.say("/timezone Europe/Berlin", replies=2)
    before = await settings_text(chat)

    for bad in ("/time 25:99", "/time banana", "/time " + "9" * 5000):
        [reply] = await chat.say(bad)
        assert "couldn't read" in reply.text and "7pm" in reply.text
    [reply] = await chat.say("/timezone Europe/Berln")
    assert "Did you mean" in reply.text and "Europe/Berlin" in reply.button_texts
    [reply] = await chat.say("/timezone Narnia/Cair Paravel")
    assert "don't know the timezone" in reply.text

    assert await settings_text(chat) == before


async def test_every_setting_by_buttons(chat: Chat) -> None:
    [screen] = await chat.say("/settings")
    assert line(screen.text, "Time:") == "Time: not set"

    [picker] = await chat.press("⏰ Time")
    assert picker.message_id == screen.message_id  # menus navigate in place
    [screen] = await chat.press("07:00")
    assert line(screen.text, "Time:") == "Time: 07:00"

    await chat.press("📅 Days")
    [days] = await chat.press("✅ Sat")
    assert "▫️ Sat" in days.button_texts and "Sun" in line(days.text, "Now:")
    [days] = await chat.press("Weekdays")
    assert line(days.text, "Now:") == "Now: Weekdays"
    [screen] = await chat.press("⬅️ Back to settings")
    assert line(screen.text, "Days:") == "Days: Weekdays"

    await chat.press("🌍 Timezone")
    [zones] = await chat.press("Oceania")
    assert "Sydney" in zones.button_texts
    [screen] = await chat.press("Sydney")
    assert line(screen.text, "Timezone:") == "Timezone: Australia/Sydney"

    await chat.press("⏸ Pause")
    [screen] = await chat.press("3 days")
    assert line(screen.text, "Status:").startswith("Status: Paused until")
    [screen] = await chat.press("▶️ Resume")
    assert line(screen.text, "Status:") == "Status: On"


async def test_pause_and_resume_commands(chat: Chat) -> None:
    await chat.say("/time 08:00", replies=2)
    [menu] = await chat.say("/pause")
    assert "Until I resume" in menu.button_texts
    [screen] = await chat.press("Until I resume")
    assert line(screen.text, "Status:") == "Status: Paused until you resume"
    assert "Next:" not in screen.text
    back, screen = await chat.say("/resume", replies=2)
    assert "back on" in back.text and "Next:" in screen.text


async def test_forged_settings_buttons_change_nothing(chat: Chat) -> None:
    [screen] = await chat.say("/settings")
    before = screen.text
    for data in ("1:t:2599", "1:zs:Mars/Olympus", "1:dt:9", "1:dp:0", "1:p:5", "1:zr:Atlantis"):
        assert "out of date" in await chat.press_data(screen.message_id, data)
    assert await settings_text(chat) == before


async def test_focus_areas_steer_the_stretches(chat: Chat) -> None:
    [menu] = await chat.say("/focus")
    assert line(menu.text, "Now:") == "Now: Any area"
    [menu] = await chat.press("▫️ Hamstrings")
    assert line(menu.text, "Now:") == "Now: Hamstrings" and "✅ Hamstrings" in menu.button_texts
    hamstring_names = {s.name for s in chat.services.stretches.all() if "hamstrings" in s.areas}
    for _ in range(4):
        _, card = await chat.say("/stretch", replies=2)
        assert card.text.split("\n")[0] in hamstring_names
    [menu] = await chat.press("✅ Hamstrings", message_id=menu.message_id)
    assert line(menu.text, "Now:") == "Now: Any area"
    [screen] = await chat.press("⬅️ Back to settings")
    assert line(screen.text, "Focus:") == "Focus: Any area"


async def test_a_shared_location_offers_the_zones_its_longitude_suggests(chat: Chat) -> None:
    await chat.api.send_location(chat.chat_id, 52.52, 13.40)  # Berlin
    [reply] = await chat.api.wait_for_bot_messages(chat.chat_id)
    assert "Berlin" in reply.button_texts and "🌍 Other region" in reply.button_texts
    assert "not stored" in reply.text
    [screen] = await chat.press("Berlin")
    assert "Timezone: Europe/Berlin" in screen.text


async def test_a_time_waiting_for_its_zone_survives_a_typed_timezone_command(
    chat: Chat,
) -> None:
    async with chat.services.transaction() as session:  # a user who never picked a zone
        user = await session.get(User, chat.chat_id)
        assert user is not None
        user.zone_chosen = False
    await chat.say("/time 7:30")
    saved, _ = await chat.say("/timezone Berlin", replies=2)
    assert "07:30, Berlin time" in saved.text
