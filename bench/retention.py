"""Retention counts for operators (/stats, /metrics) on a large log, SQLite and PostgreSQL.

    python -m bench.retention [--users 50000] [--rows 20] [--repeat 3] [--no-postgres]

Users joined over the last 90 days; each has ``--rows`` activity entries spread over their
time since (half reminders sent, half things they did). Times ``collect_retention`` (day 1/7/30
retention in one pass over users, and the last week's counts from the activity.at index).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from sqlalchemy import insert

from bench.common import scratch_postgres
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.models import Activity, User
from bot.db.stats import collect_retention

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
KINDS = ("reminder_sent", "done", "shown", "skipped")


async def _populate(url: str, users: int, rows: int) -> None:
    rng = Random(5)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    chunk = 5000
    for start in range(1, users + 1, chunk):
        ids = range(start, min(users, start + chunk - 1) + 1)
        created = {uid: NOW - timedelta(seconds=rng.randrange(90 * 86400)) for uid in ids}
        async with sessions() as session, session.begin():
            await session.execute(
                insert(User),
                [
                    {
                        "id": uid, "chat_id": uid, "timezone": "UTC", "reminder_days": 127,
                        "focus_areas": [], "level": 1, "paused": False, "active": True,
                        "precaution_answers": 0, "created_at": at, "updated_at": at,
                    }
                    for uid, at in created.items()
                ],
            )  # fmt: skip
            await session.execute(
                insert(Activity),
                [
                    {
                        "user_id": uid,
                        "kind": KINDS[i % 2 if i % 4 else rng.randrange(4)],
                        "at": at + (NOW - at) * rng.random(),
                    }
                    for uid, at in created.items()
                    for i in range(rows)
                ],
            )
    await engine.dispose()


async def _measure(url: str, repeat: int) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    times = []
    for _ in range(repeat):
        async with sessions() as session:
            started = time.perf_counter()
            retention = await collect_retention(session, NOW)
            times.append(time.perf_counter() - started)
    await engine.dispose()
    return {
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "retention": {
            "days": [[d.day, d.eligible, d.active] for d in retention.days],
            "weekly_active": retention.weekly_active,
            "sessions_week": retention.sessions_week,
            "stretches_done_week": retention.stretches_done_week,
        },
    }


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"users": args.users, "activity_rows": args.users * args.rows}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade_database, url)
        await _populate(url, args.users, args.rows)
        out["sqlite"] = await _measure(url, args.repeat)
    if not args.no_postgres:
        async with scratch_postgres() as url:
            await _populate(url, args.users, args.rows)
            out["postgres"] = await _measure(url, args.repeat)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50000)
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    text = json.dumps(asyncio.run(_run(args)), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
