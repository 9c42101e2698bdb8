"""Running for real: polling and webhook modes, health, metrics, 409, graceful shutdown,
admin stats, flood control and what the logs may contain."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select

from bot.catalog import Catalog
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Delivery
from bot.db.users import ensure_user, reschedule
from bot.observability import JsonFormatter, quiet_talkative_libraries
from bot.runner import CONFLICT_ADVICE, Mode, serve
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, Chat, make_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def serving(
    settings: Settings, catalog: Catalog, token: str, mode: Mode
) -> AsyncIterator[asyncio.Task[None]]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, catalog, token, mode, stop=stop))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def wait_for(condition: object, what: str, seconds: float = 10) -> None:
    for _ in range(int(seconds * 20)):
        if callable(condition) and await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_polling_mode_answers_and_serves_health_and_metrics(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    port = free_port()
    settings = make_settings(
        api, sqlite_url, LIMBER_HEALTH_PORT=port, LIMBER_WEBHOOK_LISTEN="127.0.0.1",
        LIMBER_TICK_SECONDS=0.2,
    )  # fmt: skip
    async with serving(settings, catalog, api.token, Mode.POLLING):
        await api.send_user_message(CHAT_ID, "/start")
        [welcome] = await api.wait_for_bot_messages(CHAT_ID)
        assert "Limber" in welcome.text

        async def healthy() -> bool:
            status, _ = await get(f"http://127.0.0.1:{port}/healthz")
            return status == 200

        await wait_for(healthy, "a healthy /healthz (database answers, tick ran)")
        status, body = await get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert "limber_updates_total" in body and "limber_active_users 1.0" in body
        assert "limber_tick_seconds_count" in body
        assert "limber_paid_broadcasts_today 0.0" in body
        assert "limber_paid_broadcast_stars_today 0.0" in body


async def test_health_is_503_when_the_database_is_gone(api: FakeBotApi, catalog: Catalog) -> None:
    port = free_port()
    missing = "sqlite+aiosqlite:////nonexistent-dir/limber.sqlite3"
    settings = make_settings(
        api, missing, LIMBER_HEALTH_PORT=port, LIMBER_WEBHOOK_LISTEN="127.0.0.1"
    )
    async with serving(settings, catalog, api.token, Mode.WORKER):

        async def answered() -> bool:
            try:
                status, body = await get(f"http://127.0.0.1:{port}/healthz")
            except aiohttp.ClientError:
                return False
            return status == 503 and "error" in json.loads(body)["database"]

        await wait_for(answered, "/healthz to report the database error")


async def test_webhook_mode_registers_a_secret_and_rejects_requests_without_it(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    port, health_port = free_port(), free_port()
    public_url = "https://limber.example.test/telegram/hook"  # behind a TLS proxy, as in production
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = make_settings(
        api, sqlite_url, LIMBER_WEBHOOK_URL=public_url, LIMBER_WEBHOOK_PORT=port,
        LIMBER_WEBHOOK_LISTEN="127.0.0.1", LIMBER_HEALTH_PORT=health_port,
    )  # fmt: skip
    async with serving(settings, catalog, api.token, Mode.WEBHOOK):
        call = await api.wait_for_call("setWebhook")
        secret = str(call.params["secret_token"])
        assert len(secret) >= 32 and call.params["url"] == public_url
        api.register_chat(CHAT_ID)
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1, "date": 0, "text": "/help",
                "chat": {"id": CHAT_ID, "type": "private"},
                "from": {"id": CHAT_ID, "is_bot": False, "first_name": "T"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }  # fmt: skip
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            assert api.messages(CHAT_ID) == []
            good = {"X-Telegram-Bot-Api-Secret-Token": secret}
            async with http.post(url, json=update, headers=good) as response:
                assert response.status == 200
            async with http.post(url, data=b"not json", headers=good) as response:
                assert response.status == 400
        [help_message] = await api.wait_for_bot_messages(CHAT_ID, after=0)
        assert "/stretch" in help_message.text
        # Health and metrics stay off the public webhook port.
        assert (await get(f"http://127.0.0.1:{port}/metrics"))[0] == 404
        assert (await get(f"http://127.0.0.1:{health_port}/metrics"))[0] == 200


async def test_a_409_conflict_gets_a_clear_log_line(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail_next(
        "getUpdates",
        status=409,
        description="Conflict: terminated by other getUpdates request",
    )
    settings = make_settings(api, sqlite_url, LIMBER_HEALTH_PORT=0)
    with caplog.at_level(logging.ERROR, logger="limber"):
        async with serving(settings, catalog, api.token, Mode.POLLING):
            await api.wait_for_call("getUpdates", where=lambda call: call.status == 409)
            await asyncio.sleep(0.2)  # the error callback runs right after the failed call
    assert CONFLICT_ADVICE in caplog.messages


async def test_sigterm_style_stop_finishes_the_send_in_flight(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    settings = make_settings(api, sqlite_url, LIMBER_HEALTH_PORT=0, LIMBER_TICK_SECONDS=0.2)
    async with sessions() as session, session.begin():
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        user = await ensure_user(session, CHAT_ID, CHAT_ID, now)
        user.reminder_time = (now - timedelta(minutes=1)).time()
        reschedule(user, now - timedelta(minutes=2))  # due a minute ago
    api.register_chat(CHAT_ID)
    api.delay_next("sendMessage", 1.5, chat_id=CHAT_ID)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, catalog, api.token, Mode.WORKER, stop=stop))
    await api.wait_for_call("sendMessage")  # the reminder is on its way (held 1.5 s)
    stop.set()
    await asyncio.wait_for(task, 15)
    assert len(api.messages(CHAT_ID)) == 1
    async with sessions() as session:
        assert list(await session.scalars(select(Delivery.status))) == ["sent"]
    await engine.dispose()


@pytest.mark.parametrize("settings_overrides", [{"LIMBER_ADMIN_IDS": f"1, {CHAT_ID}"}])
async def test_stats_for_admins_only(chat: Chat, api: FakeBotApi) -> None:
    await chat.say("/start")
    [stats] = await chat.say("/stats")
    assert "Limber stats" in stats.text and "Users: 1" in stats.text
    await api.send_user_message(555, "/stats")
    [other] = await api.wait_for_bot_messages(555)
    assert "don't know that command" in other.text


@pytest.mark.parametrize(
    "settings_overrides", [{"LIMBER_FLOOD_MESSAGES": 5, "LIMBER_FLOOD_SECONDS": 30}]
)
async def test_a_flooding_user_is_told_once_and_others_stay_responsive(
    chat: Chat, api: FakeBotApi
) -> None:
    for _ in range(100):
        await api.send_user_message(CHAT_ID, "/help")
    await api.send_user_message(999, "/help")
    [other] = await api.wait_for_bot_messages(999)
    assert "/stretch" in other.text
    await asyncio.sleep(0.5)  # let any stray replies to the flood arrive
    texts = [message.text for message in api.messages(CHAT_ID)]
    assert sum("breather" in text for text in texts) == 1
    assert len(texts) == 6  # five answered, one "slow down", the rest ignored


async def test_logs_carry_ids_and_durations_but_never_texts(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    secret_words = "my numb saddle area private text"
    quiet_talkative_libraries()  # what `limber run` sets up, even at DEBUG
    with caplog.at_level(logging.DEBUG):
        await chat.say(secret_words)
        await chat.say("/time 07:45", replies=2)
    records = [r for r in caplog.records if r.name == "limber.updates"]
    assert records, "every update is logged"
    line = json.loads(JsonFormatter().format(records[0]))
    assert {"update_id", "user", "duration_ms", "kind"} <= set(line)
    assert line["user"] != str(CHAT_ID) and len(line["user"]) == 12
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert secret_words not in everything and "07:45" not in everything


async def test_run_can_leave_reminders_to_workers_and_stay_healthy(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    """LIMBER_REMINDERS_IN_WORKERS: `limber run` answers people and sends no reminder (a
    worker does), so a burst never shares its event loop with replies; /healthz stays ok."""
    from datetime import UTC, datetime

    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        user = await ensure_user(session, CHAT_ID, CHAT_ID, now)
        user.reminder_time = (now - timedelta(minutes=1)).time()
        reschedule(user, now - timedelta(minutes=2))  # due a minute ago
    port = free_port()
    settings = make_settings(
        api, sqlite_url, LIMBER_HEALTH_PORT=port, LIMBER_TICK_SECONDS=0.2,
        LIMBER_REMINDERS_IN_WORKERS=True,
    )  # fmt: skip
    async with serving(settings, catalog, api.token, Mode.POLLING):
        await api.send_user_message(CHAT_ID, "/help")
        await api.wait_for_bot_messages(CHAT_ID)
        await asyncio.sleep(1)  # five ticks' worth
        status, body = await get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200, body
    async with sessions() as session:
        assert list(await session.scalars(select(Delivery.status))) == []
    mark = api.mark()
    async with serving(settings, catalog, api.token, Mode.WORKER):
        await api.wait_for_bot_messages(CHAT_ID, after=mark)
    async with sessions() as session:
        assert list(await session.scalars(select(Delivery.status))) == ["sent"]
    await engine.dispose()
