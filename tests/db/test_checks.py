"""A finished red-flag check is stored once per check, on both engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.checks import record_check
from bot.db.models import Check
from bot.db.users import ensure_user

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


async def stored(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[int, str, str | None]]:
    async with sessions() as session:
        rows = await session.execute(select(Check.user_id, Check.tier, Check.check_key))
        return sorted((row[0], row[1], row[2]) for row in rows)


async def test_a_replayed_check_is_stored_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        await ensure_user(session, 1, 1, NOW)
        await ensure_user(session, 2, 2, NOW)
    outcomes = []
    for user_id, key in ((1, "a-0001"), (1, "a-0001"), (1, "b-0002"), (2, "a-0001")):
        async with sessions() as session, session.begin():
            outcomes.append(await record_check(session, user_id, "URGENT", key, NOW))
    assert outcomes == [True, False, True, True]
    assert await stored(sessions) == [
        (1, "URGENT", "a-0001"),
        (1, "URGENT", "b-0002"),
        (2, "URGENT", "a-0001"),
    ]


async def test_two_presses_racing_store_one_row(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        await ensure_user(session, 3, 3, NOW)

    async def press() -> bool:
        async with sessions() as session, session.begin():
            return await record_check(session, 3, "EMERGENCY", "c-0003", NOW)

    results = await asyncio.gather(press(), press())
    assert sorted(results) == [False, True]
    assert await stored(sessions) == [(3, "EMERGENCY", "c-0003")]
