"""Several processes share the work on PostgreSQL: killing one with SIGKILL mid-run loses and
doubles nothing. Real processes (`limber worker`), real PostgreSQL, real HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery
from bot.db.users import ensure_user
from bot.sandbox.server import FakeBotApi

USERS = 300
FIRST = 1  # due earliest, so the first batch claimed holds it
LEASE_SECONDS = 3


async def due_users(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session, session.begin():
        for user_id in range(1, USERS + 1):
            user = await ensure_user(session, user_id, user_id, now - timedelta(days=1))
            user.reminder_time = time(6, 0)
            user.next_due_at = now - timedelta(seconds=60 if user_id == FIRST else user_id % 30)


async def start_worker(api: FakeBotApi, database_url: str, workdir: Path, index: int):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "LIMBER_DATABASE_URL": database_url,
        "LIMBER_TICK_SECONDS": "0.2",
        "LIMBER_CLAIM_BATCH_SIZE": "30",
        "LIMBER_SEND_RATE_PER_SECOND": "15",
        "LIMBER_SEND_RATE_PER_CHAT_SECONDS": "0",
        "LIMBER_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
        "LIMBER_HEALTH_PORT": "0",
        "LIMBER_LOG_LEVEL": "WARNING",
    }
    log = (workdir / f"worker-{index}.log").open("w")
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "worker", env=env, cwd=workdir, stdout=log, stderr=log
    )


async def wait_until(condition, what: str, seconds: float) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds * 10)):
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_workers_one_killed_every_reminder_sent_exactly_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await due_users(sessions, datetime.now(UTC))
    async with FakeBotApi(auto_register_chats=True) as api:
        # Telegram takes the first reminder but never answers: its sender is stuck mid-request
        # when we kill it, the hardest moment to lose or double a message.
        api.delay_next("sendMessage", 60, chat_id=FIRST, after_processing=True)
        workers = [await start_worker(api, database_url, tmp_path, i) for i in range(3)]
        try:
            await wait_until(
                lambda: _has_message(api, FIRST), "the first reminder to reach Telegram", 60
            )
            async with sessions() as session:
                claimer = await session.scalar(
                    select(Delivery.claimed_by).where(Delivery.user_id == FIRST)
                )
            assert claimer is not None
            victim = next(w for w in workers if claimer.endswith(f":{w.pid}"))
            victim.send_signal(signal.SIGKILL)
            assert await victim.wait() == -signal.SIGKILL

            async def all_delivered() -> bool:
                return all(api.messages(chat) for chat in range(1, USERS + 1))

            await wait_until(all_delivered, "every reminder to arrive", 90)
            await asyncio.sleep(LEASE_SECONDS + 1)  # time for any wrongful resend to show
        finally:
            survivors = [w for w in workers if w.returncode is None]
            for worker in survivors:
                worker.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(w.wait(), 30) for w in survivors]
        counts = {chat: len(api.messages(chat)) for chat in range(1, USERS + 1)}
    assert {count for count in counts.values()} == {1}, "each reminder exactly once"
    assert codes == [0, 0], "the others stop gracefully on SIGTERM"
    async with sessions() as session:
        result = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        rows: dict[str, int] = {status: count for status, count in result.all()}
    assert sum(rows.values()) == USERS
    assert set(rows) <= {"sent", "unknown"}, rows  # unknown: in flight when killed, never resent
    assert rows.get("unknown", 0) <= 15  # at most the one chunk that was in flight


async def _has_message(api: FakeBotApi, chat: int) -> bool:
    return bool(api.messages(chat))
