"""A stop finishes within 10 seconds whatever Telegram does (a 429 asking for 45 seconds, a
request that never gets an answer), and a reminder it could not send is left pending for the
next process, which sends it once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.models import Delivery
from bot.db.users import ensure_user, reschedule
from bot.runner import Mode, serve
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, make_settings
from tests.e2e.processes import start_limber, stop_all

OTHER_CHAT = 515151
STOP_LIMIT = 10  # seconds: supervisors kill at 30, the issue asks for 10


async def make_due(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> None:
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        user = await ensure_user(session, chat_id, chat_id, now)
        user.reminder_time = (now - timedelta(minutes=1)).time()
        reschedule(user, now - timedelta(minutes=2))  # due a minute ago


async def deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str | None]]:
    async with sessions() as session:
        rows = await session.execute(select(Delivery.status, Delivery.claimed_by))
        return [(status, claimed_by) for status, claimed_by in rows.all()]


async def test_a_429_does_not_hold_the_stop_and_the_next_process_sends_once(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    await make_due(sessions, CHAT_ID)
    api.register_chat(CHAT_ID)
    # Telegram's retry_after holds for the bot, not one process: the next one honours it too.
    api.fail_next("sendMessage", status=429, retry_after=2)
    settings = make_settings(api, sqlite_url, LIMBER_HEALTH_PORT=0, LIMBER_TICK_SECONDS=0.2)

    stop = asyncio.Event()
    first = asyncio.create_task(serve(settings, catalog, api.token, Mode.WORKER, stop=stop))
    await api.wait_for_call("sendMessage", where=lambda call: call.status == 429)
    stop.set()
    await asyncio.wait_for(first, STOP_LIMIT)
    assert api.messages(CHAT_ID) == []
    assert await deliveries(sessions) == [("pending", None)]  # released, not left "sending"

    stop = asyncio.Event()
    second = asyncio.create_task(serve(settings, catalog, api.token, Mode.WORKER, stop=stop))
    try:
        await api.wait_for_bot_messages(CHAT_ID, after=0)
        await asyncio.sleep(0.5)  # a few more ticks: nothing is sent twice
    finally:
        stop.set()
        await asyncio.wait_for(second, STOP_LIMIT)
    assert len(api.messages(CHAT_ID)) == 1
    assert [status for status, _ in await deliveries(sessions)] == ["sent"]
    await engine.dispose()


async def test_sigterm_within_10_s_with_a_reminder_and_a_reply_rate_limited_and_a_hung_send(
    tmp_path: Path,
) -> None:
    """A real `limber run`: its reminder gets a 429 (retry after 45 s), the reply to a user
    gets one too (PTB's limiter would wait it out), and another reminder never gets an
    answer. SIGTERM, and it exits cleanly within the limit."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'limber.sqlite3'}"
    await asyncio.to_thread(upgrade_database, url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    hung_chat = 626262
    for chat in (CHAT_ID, hung_chat):
        await make_due(sessions, chat)
    async with FakeBotApi() as api:
        for chat in (CHAT_ID, OTHER_CHAT, hung_chat):
            api.register_chat(chat)
        api.fail_next("sendMessage", status=429, retry_after=45, chat_id=CHAT_ID)
        api.fail_next("sendMessage", status=429, retry_after=45, chat_id=OTHER_CHAT, times=5)
        api.delay_next("sendMessage", 60, chat_id=hung_chat, after_processing=True)
        limber = await start_limber(
            "run", tmp_path, "limber",
            TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
            LIMBER_DATABASE_URL=url, LIMBER_HEALTH_PORT=0, LIMBER_TICK_SECONDS=0.2,
        )  # fmt: skip
        try:
            await api.wait_for_call("sendMessage", timeout=20, where=lambda c: c.status == 429)
            await api.send_user_message(OTHER_CHAT, "/help")
            await api.wait_for_call(  # (without the spec, the sandbox keeps chat_id a string)
                "sendMessage",
                where=lambda c: c.status == 429 and str(c.params["chat_id"]) == str(OTHER_CHAT),
            )
            await api.wait_for_bot_messages(hung_chat, after=0)  # taken, never answered
            limber.terminate()
            code = await limber.wait(seconds=STOP_LIMIT)
        finally:
            await stop_all([limber])
    assert code == 0, limber.stderr
    async with sessions() as session:
        rows = await session.execute(select(Delivery.user_id, Delivery.status))
        statuses = dict(rows.all())
    assert statuses == {CHAT_ID: "pending", hung_chat: "unknown"}, statuses
    await engine.dispose()
