"""What the hold timers cost the bot: the tick that runs every second.

    python -m bench.timers [--timers 1000 --timers 5000] [--repeat 3] [--out results.json]

- idle: a tick with no timer due (the cost every process pays every second, with ``--timers``
  running timers that are not due yet): one indexed query.
- due: N users' timers all due in the same second (the worst case: everybody pressed Start at
  once), on an SQLite file: the real ``TimerTicker.tick()`` reads them, takes each event by
  compare-and-set in one transaction and renders each edit; a stub stands in for Telegram
  (answering at once) and the send budget is lifted, so this is the bot's own cost per
  event, without HTTP (the dispatch benchmark measures the HTTP path). In production the
  budget (``LIMBER_SEND_RATE_PER_SECOND`` a second) caps the events a tick sends.
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

from bench.common import machine
from bot.catalog import load_catalog
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.db.engine import create_engine, create_session_factory
from bot.db.guided import DUE_BATCH
from bot.db.migrate import upgrade_database
from bot.db.models import Timer, User
from bot.render.i18n import Catalogs
from bot.services import Services
from bot.timers import TimerTicker

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class StubBot:
    """Answers every call at once, counting them."""

    def __init__(self) -> None:
        self.calls = 0

    async def edit_message_text(self, *_args: Any, **_kwargs: Any) -> None:
        self.calls += 1

    async def send_message(self, *_args: Any, **_kwargs: Any) -> None:
        self.calls += 1


async def populate(url: str, count: int, started: datetime) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            insert(User),
            [
                {
                    "id": n,
                    "chat_id": n,
                    "timezone": "UTC",
                    "reminder_days": 127,
                    "focus_areas": [],
                    "level": 1,
                    "paused": False,
                    "active": True,
                    "precaution_answers": 21,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for n in range(1, count + 1)
            ],
        )
        await connection.execute(
            insert(Timer),
            [
                {
                    "user_id": n,
                    "chat_id": n,
                    "message_id": 1,
                    "stretch_id": "standing-quad",
                    "hold_seconds": 30,
                    "holds": 2,
                    "started_at": started,
                    "step": 0,
                    "next_at": started + timedelta(seconds=2),
                }
                for n in range(1, count + 1)
            ],
        )
    await engine.dispose()


async def measure(count: int, repeat: int) -> dict[str, Any]:
    catalog = load_catalog(DEFAULT_CONTENT_DIR)
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
            await asyncio.to_thread(upgrade_database, url)
            await populate(url, count, NOW)
            clock = FakeClock(NOW + timedelta(seconds=1))  # nothing due yet
            engine = create_engine(url)
            svc = Services(
                # The send budget lifted: this measures the bot's own cost per event.
                settings=Settings.model_validate({"LIMBER_SEND_RATE_PER_SECOND": 1e6}),
                clock=clock,
                sessions=create_session_factory(engine),
                catalog=catalog,
                rng=Random(1),
            )
            bot = StubBot()
            ticker = TimerTicker(svc, bot, Catalogs())  # type: ignore[arg-type]
            await ticker.tick()  # warm up: connection, imports, statement cache
            idle = []
            for _ in range(20):
                wall = time.perf_counter()
                await ticker.tick()
                idle.append(time.perf_counter() - wall)
            clock.advance(timedelta(seconds=1))  # every timer's first edit is due
            wall, cpu = time.perf_counter(), time.process_time()
            report = await ticker.tick()
            due_wall, due_cpu = time.perf_counter() - wall, time.process_time() - cpu
            await engine.dispose()
            handled = min(count, DUE_BATCH)  # one tick reads at most this many
            assert report.edits == handled and bot.calls == handled, (report, bot.calls)
            runs.append(
                {
                    "idle_tick_ms": round(statistics.median(idle) * 1000, 3),
                    "due_tick_s": round(due_wall, 3),
                    "due_cpu_s": round(due_cpu, 3),
                    "events": handled,
                    "per_event_us": round(due_wall / handled * 1e6, 1),
                }
            )
    return {"timers": count, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timers", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = {
        "machine": machine(),
        "timers": [asyncio.run(measure(n, args.repeat)) for n in args.timers or [1000, 5000]],
    }
    for block in results["timers"]:
        print(block["timers"], "timers:", json.dumps(block["runs"]))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
