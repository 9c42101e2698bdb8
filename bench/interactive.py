"""Interactive latency during a reminder burst: people write while 10,000 reminders go out.

    python -m bench.interactive [--users 10000] [--chatter 5] [--seconds 90]
        [--scenario off --scenario paid --scenario free]

The real bot (``serve`` in polling mode, the application ``build_application`` wires, an SQLite
file with ``--users`` users all due now) runs in this process, with an event-loop lag monitor;
the sandbox runs in its own process (``bench.sandbox_server``) and is also the people: from the
bot's first getUpdates, ``--chatter`` times a second one of 50 people writes ``/help``, and the
sandbox times each update until the bot's reply arrives. Only updates written while reminders
were going out count.

Scenarios (each with a fresh database and sandbox):

- ``off``: the sandbox enforces no rate; the bot's send rate is unbounded (the CPU decides);
- ``paid``: the sandbox enforces Telegram's 30/s free and 1,000/s paid rates; the bot sends at
  28/s free with 3/s kept for replies, and reminders later than 10 s go paid at up to 900/s;
- ``free``: the same limits, no paid broadcast: reminders at 25/s, replies within the reserve
  (the burst lasts 400 s; it is sampled for ``--seconds``);
- ``split``: ``paid`` on PostgreSQL (127.0.0.1:5432) with ``LIMBER_REMINDERS_IN_WORKERS``: one
  ``limber worker`` process sends the reminders, the measured ``limber run`` only answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import (
    LoopLag,
    SandboxProcess,
    machine,
    populate_postgres,
    populate_sqlite,
    postgres_admin,
    postgres_url,
    sandbox_server,
)
from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR, Settings

SCENARIOS: dict[str, dict[str, Any]] = {
    "off": {
        "sandbox": [],
        "env": {"LIMBER_SEND_RATE_PER_SECOND": 1e9},
    },
    "paid": {
        "sandbox": ["--free-rate", "30", "--paid-rate", "1000"],
        "env": {
            "LIMBER_SEND_RATE_PER_SECOND": 28,
            "LIMBER_REPLY_RESERVE_PER_SECOND": 3,
            "LIMBER_PAID_BROADCAST_RATE": 900,
            "LIMBER_PAID_BROADCAST_DAILY_STARS": 10_000,
            "LIMBER_TARGET_LATENESS_SECONDS": 10,
        },
    },
    "free": {
        "sandbox": ["--free-rate", "30", "--paid-rate", "1000"],
        "env": {"LIMBER_SEND_RATE_PER_SECOND": 28, "LIMBER_REPLY_RESERVE_PER_SECOND": 3},
    },
}
# `paid` on PostgreSQL, the reminders sent by one `limber worker` process: `limber run` answers.
SCENARIOS["split"] = {
    "sandbox": SCENARIOS["paid"]["sandbox"],
    "env": {**SCENARIOS["paid"]["env"], "LIMBER_REMINDERS_IN_WORKERS": True},
    "postgres": True,
}


def _polling(server: SandboxProcess) -> bool:
    """Whether the bot's first getUpdates has reached the sandbox (its ``--watch`` event)."""
    try:
        event = server.events.get_nowait()
    except queue.Empty:
        return False
    return event.get("event") == "first_call"


async def scenario(name: str, users: int, chatter: float, seconds: float) -> dict[str, Any]:
    from bot.runner import Mode, serve

    spec = SCENARIOS[name]
    catalog = load_catalog(DEFAULT_CONTENT_DIR)
    with tempfile.TemporaryDirectory(prefix="limber-interactive-") as tmp:
        database = await _database(Path(tmp), users, postgres=spec.get("postgres", False))
        extra = [*spec["sandbox"], "--no-validate", "--chatter-per-second", str(chatter)]
        with sandbox_server(extra=extra, max_seconds=seconds + 120, watch="getUpdates") as server:
            env: dict[str, Any] = {
                "TELEGRAM_BOT_TOKEN": server.token,
                "TELEGRAM_API_BASE_URL": server.base_url,
                "LIMBER_DATABASE_URL": database.url,
                "LIMBER_TICK_SECONDS": 0.5,
                "LIMBER_CLAIM_BATCH_SIZE": 2000,
                "LIMBER_SEND_RATE_PER_CHAT_SECONDS": 0,
                "LIMBER_HEALTH_PORT": 0,
                "LIMBER_LOG_LEVEL": "WARNING",
                **spec["env"],
            }
            settings = Settings.model_validate(env)
            worker = await _worker(env, Path(tmp)) if settings.reminders_in_workers else None
            stop = asyncio.Event()
            lag = LoopLag()
            lag.start()
            started = time.monotonic()
            running = serve(settings, catalog, server.token, Mode.POLLING, stop=stop)
            bot = asyncio.create_task(running)
            startup: dict[str, float] | None = None
            try:
                while time.monotonic() - started < seconds and not bot.done():
                    await asyncio.sleep(0.5)
                    if startup is None and _polling(server):
                        # Start-up (building the app, the collection before gc.freeze) blocks
                        # the loop once, before anyone is served: reported apart.
                        startup = lag.summary()
                        lag.lateness.clear()
                    sent = await database.sent()
                    if users and sent >= users:
                        break
                elapsed = time.monotonic() - started
            finally:
                stop.set()
                await asyncio.wait_for(bot, 30)
                await lag.stop()
                if worker is not None:
                    worker.terminate()
                    await worker.wait()
        sent = await database.sent()
        await database.drop()
    return {
        "scenario": name,
        "users": users,
        "reminders_sent": sent,
        "seconds": round(elapsed, 1),
        "chatter_per_second": chatter,
        "bot_loop_lag": lag.summary(),  # from the bot's first getUpdates on
        "startup_loop_lag": startup,
        "handler_ms_mean": _mean_update_ms(),
        "sandbox": server.stats.get("chatter", {}),
        "sandbox_calls": server.stats.get("calls", {}),
    }


def _mean_update_ms() -> float | None:
    """The mean time PTB took to handle an update (limber_update_seconds), this process."""
    from bot import metrics

    samples = {s.name: s.value for m in metrics.UPDATE_SECONDS.collect() for s in m.samples}
    count = samples.get("limber_update_seconds_count", 0)
    return round(samples["limber_update_seconds_sum"] / count * 1000, 1) if count else None


SENT = "SELECT count(*) FROM deliveries WHERE status = 'sent'"


class _Database:
    """The scenario's database: an SQLite file, or a PostgreSQL database dropped at the end."""

    def __init__(self, url: str, path: Path | None) -> None:
        self.url = url
        self._path = path

    async def sent(self) -> int:
        if self._path is not None:
            path = self._path
            return await asyncio.to_thread(lambda: _sqlite_count(path))
        import asyncpg

        connection = await asyncpg.connect(self.url.replace("+asyncpg", ""))
        try:
            return int(await connection.fetchval(SENT))
        finally:
            await connection.close()

    async def drop(self) -> None:
        if self._path is None:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{self.url.rsplit("/", 1)[1]}"')


def _sqlite_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute(SENT).fetchone()
    return int(count)


async def _database(tmp: Path, users: int, *, postgres: bool) -> _Database:
    now = datetime.now(UTC)
    if not postgres:
        path = tmp / "limber.sqlite3"
        await asyncio.to_thread(populate_sqlite, path, max(users, 1), users, now)
        return _Database(f"sqlite+aiosqlite:///{path}", path)
    from bot.db.migrate import upgrade_database

    name = f"limber_bench_{uuid.uuid4().hex[:10]}"
    await postgres_admin(f'CREATE DATABASE "{name}"')
    url = postgres_url(name)
    await asyncio.to_thread(upgrade_database, url)
    await populate_postgres(url, max(users, 1), users, now)
    return _Database(url, None)


async def _worker(env: dict[str, Any], tmp: Path) -> asyncio.subprocess.Process:
    """A `limber worker` process with the same settings (its output in a file)."""
    log = (tmp / "worker.log").open("w")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        env={**os.environ, **{key: str(value) for key, value in env.items()}},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--chatter", type=float, default=5.0, help="updates a second")
    parser.add_argument("--seconds", type=float, default=90.0, help="most per scenario")
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = {
        "machine": machine(),
        "runs": [
            asyncio.run(scenario(name, args.users, args.chatter, args.seconds))
            for name in args.scenario or ["off", "paid", "free", "split"]
        ],
    }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
