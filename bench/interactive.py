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
  (the burst lasts 400 s; it is sampled for ``--seconds``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import LoopLag, machine, populate_sqlite, sandbox_server
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


async def scenario(name: str, users: int, chatter: float, seconds: float) -> dict[str, Any]:
    from bot.runner import Mode, serve

    spec = SCENARIOS[name]
    catalog = load_catalog(DEFAULT_CONTENT_DIR)
    with tempfile.TemporaryDirectory(prefix="limber-interactive-") as tmp:
        db_path = Path(tmp) / "limber.sqlite3"
        await asyncio.to_thread(populate_sqlite, db_path, max(users, 1), users, datetime.now(UTC))
        extra = [*spec["sandbox"], "--no-validate", "--chatter-per-second", str(chatter)]
        with sandbox_server(extra=extra, max_seconds=seconds + 120) as server:
            settings = Settings.model_validate(
                {
                    "TELEGRAM_API_BASE_URL": server.base_url,
                    "LIMBER_DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
                    "LIMBER_TICK_SECONDS": 0.5,
                    "LIMBER_CLAIM_BATCH_SIZE": 2000,
                    "LIMBER_SEND_RATE_PER_CHAT_SECONDS": 0,
                    "LIMBER_HEALTH_PORT": 0,
                    "LIMBER_LOG_LEVEL": "WARNING",
                    **spec["env"],
                }
            )
            stop = asyncio.Event()
            lag = LoopLag()
            lag.start()
            started = time.monotonic()
            running = serve(settings, catalog, server.token, Mode.POLLING, stop=stop)
            bot = asyncio.create_task(running)
            try:
                while time.monotonic() - started < seconds and not bot.done():
                    await asyncio.sleep(0.5)
                    sent = await asyncio.to_thread(_sent_rows, db_path)
                    if users and sent >= users:
                        break
                elapsed = time.monotonic() - started
            finally:
                stop.set()
                await asyncio.wait_for(bot, 30)
                await lag.stop()
        sent = _sent_rows(db_path)
    return {
        "scenario": name,
        "users": users,
        "reminders_sent": sent,
        "seconds": round(elapsed, 1),
        "chatter_per_second": chatter,
        "bot_loop_lag": lag.summary(),
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


def _sent_rows(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM deliveries WHERE status = 'sent'"
        ).fetchone()
    return int(count)


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
            for name in args.scenario or ["off", "paid", "free"]
        ],
    }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
