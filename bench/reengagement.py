"""Re-engagement at the claim: what loading each due user's step costs, on SQLite and PostgreSQL.

    python -m bench.reengagement [--users 5000] [--days 30] [--repeat 10] [--no-postgres]

Every user is due now and has ``--days`` daily reminders delivered (and logged as sent); four
in five did something every other day, one in five never replied (so the step query finds
them and loads their last deliveries). Timings, each over batches of 500 (the tick's default):
- ``steps``: ``db.reengagement.reengagement_steps`` alone;
- ``claim``: ``claim_due_reminders`` with the daily kind as the bot runs it, and
- ``claim_without``: the same with ``prepare`` turned off (what the claim cost before);
both rolled back after each run, so every run claims the same users.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bench.common import scratch_postgres
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.models import Activity, Delivery, User
from bot.db.reengagement import reengagement_steps
from bot.db.reminders import claim_due_reminders
from bot.reminders.kinds.stretch import DailyStretch, DueUser

NOW = datetime(2026, 3, 20, 7, 0, 5, tzinfo=UTC)
DUE = NOW.replace(second=0)
BATCH = 500


class DailyWithoutPrepare(DailyStretch):
    async def prepare(
        self, session: AsyncSession, due: Sequence[DueUser], now: datetime
    ) -> Sequence[DueUser]:
        return due


def _pick(user: DueUser, recent: list[str]) -> str:
    return "glute-bridge"


async def _populate(url: str, users: int, days: int) -> None:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    created = NOW - timedelta(days=days + 5)
    async with sessions() as session, session.begin():
        await session.execute(
            insert(User),
            [
                {
                    "id": uid, "chat_id": uid, "timezone": "UTC",
                    "reminder_time": clock_time(7, 0), "reminder_days": 127,
                    "focus_areas": [], "level": 1, "paused": False, "active": True,
                    "next_due_at": DUE, "precaution_answers": 0,
                    "created_at": created, "updated_at": created,
                }
                for uid in range(1, users + 1)
            ],
        )  # fmt: skip
        deliveries, activity = [], []
        for uid in range(1, users + 1):
            for day in range(1, days + 1):
                due = DUE - timedelta(days=day)
                deliveries.append(
                    {
                        "user_id": uid, "due_at": due, "kind": "daily", "status": "sent",
                        "attempts": 1, "stretch_id": "glute-bridge", "claimed_at": due,
                        "finished_at": due,
                    }
                )  # fmt: skip
                activity.append(
                    {"user_id": uid, "kind": "reminder_sent", "stretch_id": "glute-bridge",
                     "at": due}
                )  # fmt: skip
                if uid % 5 and day % 2:
                    activity.append(
                        {"user_id": uid, "kind": "done", "stretch_id": "glute-bridge",
                         "at": due + timedelta(minutes=20)}
                    )  # fmt: skip
        await session.execute(insert(Delivery), deliveries)
        await session.execute(insert(Activity), activity)
    await engine.dispose()


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "runs": len(ordered),
    }


async def _measure(url: str, users: int, repeat: int) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    ids = list(range(1, users + 1))
    batches = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
    steps_times: list[float] = []
    found = 0
    for _ in range(repeat):
        for batch in batches:
            async with sessions() as session:
                started = time.perf_counter()
                steps = await reengagement_steps(session, batch)
                steps_times.append(time.perf_counter() - started)
                found = max(found, len(steps))
    results: dict[str, Any] = {"steps": _summary(steps_times), "offers_per_batch": found}
    for name, kind in (
        ("claim", DailyStretch(_pick)),
        ("claim_without", DailyWithoutPrepare(_pick)),
    ):
        times = []
        for _ in range(repeat):
            async with sessions() as session:
                transaction = await session.begin()
                started = time.perf_counter()
                claimed = await claim_due_reminders(
                    session, NOW, kinds=[kind], limit=BATCH, grace=timedelta(hours=2)
                )
                times.append(time.perf_counter() - started)
                await transaction.rollback()
            assert len(claimed.deliveries) == BATCH
        results[name] = _summary(times)
    await engine.dispose()
    return results


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"users": args.users, "days": args.days, "batch": BATCH}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade_database, url)
        started = time.perf_counter()
        await _populate(url, args.users, args.days)
        out["sqlite_populate_s"] = round(time.perf_counter() - started, 1)
        out["sqlite"] = await _measure(url, args.users, args.repeat)
    if not args.no_postgres:
        async with scratch_postgres() as url:
            await _populate(url, args.users, args.days)
            out["postgres"] = await _measure(url, args.users, args.repeat)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = asyncio.run(_run(args))
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
