"""A large claim lets the event loop run other work while it decides each user's reminder."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.db.reminders import YIELD_EVERY, claim_due_reminders
from bot.reminders.kinds.stretch import DueUser, stretch_kinds

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


async def test_other_tasks_run_during_a_large_claim(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    users = YIELD_EVERY * 2 + 1
    async with sessions() as session, session.begin():
        session.add_all(
            User(
                id=user_id,
                chat_id=user_id,
                timezone="UTC",
                reminder_time=time(7, 0),
                reminder_days=0b1111111,
                focus_areas=[],
                level=1,
                paused=False,
                active=True,
                next_due_at=NOW - timedelta(seconds=5),
                created_at=NOW,
                updated_at=NOW,
            )
            for user_id in range(1, users + 1)
        )
    decided: list[int] = []
    seen_by_other_task: list[int] = []

    def choose(user: DueUser, recent: list[str]) -> str:
        decided.append(user.user_id)
        return "glute-bridge"

    async def other_task() -> None:
        while len(decided) < users:
            seen_by_other_task.append(len(decided))
            await asyncio.sleep(0)

    watcher = asyncio.create_task(other_task())
    async with sessions() as session, session.begin():
        claim = await claim_due_reminders(
            session, NOW, limit=users, grace=timedelta(hours=2), kinds=stretch_kinds(choose)
        )
    await watcher
    assert len(claim.deliveries) == users
    # The other task saw the claim half-way through its decisions, not only before or after.
    assert any(0 < seen < users for seen in seen_by_other_task)
