"""The hostile user: 1,000 random button payloads and 1,000 random messages and commands (fixed
seed; edited messages, group and channel updates among them) against the real bot over HTTP.

Whatever arrives, the bot answers politely or ignores it: no handler error, no admin notice, no
button left spinning, and nobody else's data touched.
"""

from __future__ import annotations

import logging
import random
import string
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot import metrics
from bot.db.privacy import USER_KEY_COLUMNS
from bot.render.callbacks import Action
from bot.render.texts import COMMANDS
from bot.sandbox.models import GROUP_ANONYMOUS_BOT, FakeUser, SentMessage
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, NO_TO_EVERY_SAFETY_QUESTION, Chat
from tests.e2e.test_groups import settle

SEED = 20261130
PRESSES = 1000
MESSAGES = 1000
VICTIM_ID = 990099
ADMIN_ID = 777002
STRANGER = FakeUser(id=313131, first_name="Eve")

ODD_CHARACTERS = "²³⁴⁵٣߂０\u200b\u202e\x00\x7f🙂é<>&\"':/@-_ "
COMMAND_NAMES = [name for name, _ in COMMANDS] + ["cancel", "stats", "start", "xyzzy"]
ARGUMENTS = [
    "", "07:30", "25:99", "7pm", "-1", "99999999999999999999", "Europe/Berlin", "Mars/Olympus",
    "UTC+99", "../../etc/passwd", "<b>bold</b>", "' OR 1=1 --", "🙂" * 50, "x" * 5000, "²³:⁴⁵",
    "redflags", "stretch", "settings", "\u202egnp.exe",
]  # fmt: skip


def random_text(rng: random.Random, longest: int) -> str:
    alphabet = string.ascii_letters + string.digits + string.punctuation + ODD_CHARACTERS
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, longest)))


def random_command(rng: random.Random, bot_username: str) -> str:
    name = rng.choice(COMMAND_NAMES)
    if rng.random() < 0.2:
        name += "@" + rng.choice([bot_username, "other_bot", "x"])
    argument = rng.choice(ARGUMENTS) if rng.random() < 0.7 else random_text(rng, 30)
    return f"/{name} {argument}".rstrip()


def mutate(rng: random.Random, data: str) -> str:
    chars = list(data)
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(len(chars) + 1)
        what = rng.choice(["insert", "delete", "replace"])
        if what == "delete" and chars:
            del chars[min(where, len(chars) - 1)]
        elif what == "replace" and chars:
            chars[min(where, len(chars) - 1)] = rng.choice(ODD_CHARACTERS + string.digits + ":")
        else:
            chars.insert(where, rng.choice(ODD_CHARACTERS + string.ascii_letters + ":"))
    return "".join(chars)


def random_payload(rng: random.Random, shown: list[str]) -> str:
    """Button data as a tampered client could send it (Telegram caps it at 64 bytes)."""
    roll = rng.random()
    if roll < 0.25 and shown:
        data = rng.choice(shown)  # a real button, pressed on any message
    elif roll < 0.55 and shown:
        data = mutate(rng, rng.choice(shown))
    elif roll < 0.8:
        args = [random_text(rng, 12) for _ in range(rng.randint(0, 4))]
        data = ":".join(["1", rng.choice(list(Action)).value, *args])
    else:
        data = random_text(rng, 64)
    while len(data.encode()) > 64:
        data = data[:-1]
    return data or "x"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # Flood control would drop most of this barrage before any handler saw it: lift it, so
    # every update reaches the handlers. Admins are set so a notice would show.
    return {"LIMBER_FLOOD_MESSAGES": 1_000_000, "LIMBER_ADMIN_IDS": str(ADMIN_ID)}


@pytest.fixture
async def victim(chat: Chat) -> Chat:
    """Another user of the same bot, with settings and activity."""
    other = Chat(chat.api, chat.clock, chat.ticker, chat.services, chat.timers, chat_id=VICTIM_ID)
    await other.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
    await other.say("/timezone Europe/Lisbon", replies=2)
    await other.say("/time 06:45", replies=2)
    _, card = await other.say("/stretch", replies=2)
    await other.press("✅ Done", message_id=card.message_id)
    return other


async def rows_of(chat: Chat, user_id: int) -> dict[str, list[dict[str, Any]]]:
    rows = {}
    async with chat.services.sessions() as session:
        for name, key in USER_KEY_COLUMNS.items():
            result = await session.execute(select(key.table).where(key == user_id))
            rows[name] = [dict(row) for row in result.mappings()]
    return rows


def buttons_shown(api: FakeBotApi, chat_id: int) -> list[str]:
    return [b.callback_data for m in api.messages(chat_id) for b in m.buttons if b.callback_data]


def pressable(api: FakeBotApi, chat_id: int) -> list[SentMessage]:
    return api.messages(chat_id)


async def test_a_thousand_random_presses_and_messages_leave_no_error_and_no_trace(
    chat: Chat, victim: Chat, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(SEED)
    api.register_chat(ADMIN_ID)
    group, supergroup, channel = (
        api.create_group(), api.create_supergroup(), api.create_channel()
    )  # fmt: skip
    await chat.say("/start")
    victim_before = await rows_of(chat, VICTIM_ID)
    victim_history = len(api.history(VICTIM_ID))
    errors_before = metrics.UPDATE_ERRORS._value.get()
    started = time.monotonic()
    sent_texts: list[int] = []  # message ids the attacker sent, for edits

    events = ["press"] * PRESSES + ["message"] * MESSAGES
    rng.shuffle(events)
    for index, event in enumerate(events):
        if event == "press":
            where = rng.choice([CHAT_ID, CHAT_ID, CHAT_ID, group, supergroup])
            messages = pressable(api, where)
            if not messages:
                where, messages = CHAT_ID, pressable(api, CHAT_ID)
            target = rng.choice(messages)
            data = random_payload(rng, buttons_shown(api, CHAT_ID))
            presser = None if where == CHAT_ID else rng.choice([STRANGER, GROUP_ANONYMOUS_BOT])
            await api.press_button(where, target.message_id, data, user=presser)
        else:
            roll = rng.random()
            text = (
                random_command(rng, api.bot_username)
                if roll < 0.6
                else random_text(rng, rng.choice([20, 300, 5000]))
            )
            if roll < 0.75:
                update = await api.send_user_message(CHAT_ID, text)
                assert update.message is not None
                sent_texts.append(update.message.message_id)
            elif roll < 0.85 and sent_texts:
                await api.edit_user_message(CHAT_ID, rng.choice(sent_texts), text)
            elif roll < 0.95:
                author = rng.choice([FakeUser(id=CHAT_ID), STRANGER, GROUP_ANONYMOUS_BOT])
                await api.send_group_message(rng.choice([group, supergroup]), text, user=author)
            else:
                await api.publish_channel_post(channel, text)
        if index % 100 == 99:
            await settle(api)  # in bursts, as a fast client would send them
    await settle(api)

    assert metrics.UPDATE_ERRORS._value.get() == errors_before
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert api.messages(ADMIN_ID) == []  # no admin notice
    assert api.unanswered_callback_queries() == []
    assert await rows_of(chat, VICTIM_ID) == victim_before
    assert len(api.history(VICTIM_ID)) == victim_history
    assert api.messages(channel) == []
    # At most one pointer a minute per group, however much was written there.
    most_pointers = 1 + int((time.monotonic() - started) // 60)
    assert len(api.messages(group)) <= most_pointers >= len(api.messages(supergroup))
    # Never silent: every message in the private chat got an answer (edits are ignored).
    sent = [m for m in api.history(CHAT_ID) if m.action == "sent"]
    assert len(sent) >= len(sent_texts)
