"""/mydata shows and exports everything; /forget deletes it from every table."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import User
from bot.db.privacy import USER_KEY_COLUMNS
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import Chat


async def rows_about_user(chat: Chat) -> dict[str, int]:
    counts = {}
    async with chat.services.sessions() as session:
        for name, key in USER_KEY_COLUMNS.items():
            statement = select(func.count()).select_from(key.table).where(key == chat.chat_id)
            counts[name] = int(await session.scalar(statement) or 0)
    return counts


async def test_mydata_summary_and_full_json_export(chat: Chat, api: FakeBotApi) -> None:
    await chat.say("/time 07:30", replies=2)
    await chat.say("/stretch", replies=2)
    summary, document = await chat.say("/mydata", replies=2)
    assert "What I store about you" in summary.text and "07:30" in summary.text
    assert document.file is not None and document.file.filename == "limber-my-data.json"
    assert document.file.content is not None
    export = json.loads(document.file.content)
    assert export["users"][0]["id"] == chat.chat_id
    assert export["users"][0]["reminder_time"] == "07:30:00"
    assert [row["kind"] for row in export["activity"]] == ["shown"]
    assert set(export) == set(USER_KEY_COLUMNS)


async def test_mydata_shows_and_exports_pain_checkins(chat: Chat) -> None:
    await chat.say("/stretch", replies=2)
    await answer_a_checkin(chat, "😐 About the same")
    summary, document = await chat.say("/mydata", replies=2)
    assert "Pain check-ins every two weeks: yes" in summary.text
    today = chat.clock.now().date()
    assert (
        f"Pain check-ins (compared with when you started):\n• {today:%-d %b %Y}: about the same"
        in (summary.text)
    )
    assert document.file is not None and document.file.content is not None
    export = json.loads(document.file.content)
    assert export["checkins"] == [
        {"id": export["checkins"][0]["id"], "user_id": chat.chat_id, "answer": "same",
         "answered_on": today.isoformat()}
    ]  # fmt: skip


async def answer_a_checkin(chat: Chat, label: str = "🙂 Better", replies: int = 2) -> list:  # type: ignore[type-arg]
    """Bring the pain check-in forward to now, let it arrive, and answer it."""
    async with chat.services.transaction() as session:
        user = await session.get(User, chat.chat_id)
        assert user is not None
        user.checkin_due_at = chat.clock.now()
    await chat.tick()
    assert chat.last.text.startswith("🩺 Two-week check-in")
    return await chat.press(label, replies=replies, message_id=chat.last.message_id)


async def fill_every_table(chat: Chat) -> None:
    """A reminder delivered, a stretch done (it hurt: stopped), a finished check, a guided
    session with its hold timer running and a pain check-in answered: a row in every table."""
    local = chat.clock.now() + timedelta(minutes=1)
    await chat.say(f"/time {local:%H:%M}", replies=2)  # the user's zone is UTC
    chat.clock.advance(timedelta(minutes=1))
    await chat.tick()
    await chat.press("✅ Done", replies=2)
    await chat.press("🤕 It hurt", replies=2)
    await chat.press("In a joint, like the knee or hip")
    await chat.press("Sharp or stabbing")
    await chat.say("/redflags", replies=2)
    while any(label.startswith("No") for label in chat.last.button_texts):
        await chat.press("No", message_id=chat.last.message_id)
    await chat.say("/session")
    *_, step = await chat.press("🧘 Desk break", replies=4)
    await chat.press("▶️ Start 120 s", message_id=step.message_id)
    await answer_a_checkin(chat)
    counts = await rows_about_user(chat)
    assert all(counts.values()), counts


async def test_forget_asks_first_then_deletes_every_row(chat: Chat) -> None:
    await fill_every_table(chat)
    question, _buttons_added = await chat.say("/forget", replies=2)
    assert "Delete everything" in question.text
    [kept] = await chat.press("Keep my data")
    assert kept.text == "Nothing was deleted."
    assert all((await rows_about_user(chat)).values())

    await chat.say("/forget", replies=2)
    [done] = await chat.press("🗑 Yes, delete everything")
    assert "deleted" in done.text
    assert set((await rows_about_user(chat)).values()) == {0}

    [screen] = await chat.say("/settings")  # like a new user
    assert "Time: not set" in screen.text and "Timezone: UTC" in screen.text
