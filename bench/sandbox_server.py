"""The sandbox Bot API server in a process of its own, for the benchmarks.

    python -m bench.sandbox_server [--no-validate] [--lax-html] [--max-seconds 900]
        [--free-rate 30 --paid-rate 1000] [--chatter-per-second 5 --chatter-users 50]

Prints one JSON line when it listens: ``{"event": "ready", "base_url": ..., "token": ...,
"pid": ...}``; with ``--watch METHOD`` one more, ``{"event": "first_call", "method": ...,
"time": <time.time()>}``, when that method is first called. It stops on SIGTERM/SIGINT, when its
standard input closes (so it never outlives the benchmark that started it), or after
``--max-seconds``; it then prints ``{"event": "stats", ...}``: calls by method and status, and
its own CPU time.

Every positive chat id is a known private chat (``auto_register_chats``). Only 127.0.0.1.

``--free-rate``/``--paid-rate`` turn on Telegram's broadcast limits (429 over the rate).
``--chatter-per-second`` makes people write to the bot (``/help``, from ``--chatter-users``
chats from ``CHATTER_FIRST``) once it polls, and times each update until the bot's reply
arrives: the stats then hold the reply latencies and when the other chats' messages (the
reminders) were sent.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import resource
import signal
import sys
import time
from collections import Counter
from typing import Any

from bot.sandbox.limits import RateLimits
from bot.sandbox.server import FakeBotApi

CHATTER_FIRST = 900_000_001  # chat ids of the people who write; reminders go to lower ids


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class BenchApi(FakeBotApi):
    """Reports the *arrival* of the first call to one method (the call log only has a call
    once it is answered, which for a getUpdates long poll is seconds later)."""

    def __init__(self, *, watch: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._watch = watch.lower() if watch else None
        self.polling = asyncio.Event()  # the bot's first getUpdates has arrived

    async def _call(self, method: str, raw: Any, files: Any) -> Any:
        if method == self._watch:
            self._watch = None
            _emit({"event": "first_call", "method": method, "time": time.time()})
        if method.lower() == "getupdates":
            self.polling.set()
        return await super()._call(method, raw, files)


class Chatter:
    """People writing to the bot at a steady rate; each update timed until the bot replies."""

    def __init__(self, api: BenchApi, per_second: float, users: int) -> None:
        self._api = api
        self._interval = 1.0 / per_second
        self._users = users
        # (written at, on the sandbox's clock as its calls are; seconds to the reply, or None)
        self.latencies: list[tuple[float, float | None]] = []
        self._pending: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        await self._api.polling.wait()  # on arrival: the long poll is answered much later
        count = 0
        while True:
            chat = CHATTER_FIRST + count % self._users
            count += 1
            task = asyncio.create_task(self._one(chat))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
            await asyncio.sleep(self._interval)

    async def _one(self, chat: int) -> None:
        mark = self._api.mark()
        written_at, started = time.time(), time.monotonic()
        await self._api.send_user_message(chat, "/help")
        try:
            await self._api.wait_for_bot_messages(chat, 1, 30, after=mark)
            self.latencies.append((written_at, time.monotonic() - started))
        except TimeoutError:
            self.latencies.append((written_at, None))


def _chatter_stats(chatter: Chatter, calls: list[Any]) -> dict[str, Any]:
    """Reply latencies of the updates written while the reminders were going out."""
    reminders = [
        call.at
        for call in calls
        if call.method == "sendMessage"
        and call.ok
        and int(call.params.get("chat_id", 0)) < CHATTER_FIRST
    ]
    first, last = (min(reminders), max(reminders)) if reminders else (-math.inf, math.inf)
    during = [late for at, late in chatter.latencies if first <= at <= last]
    answered = sorted(late for late in during if late is not None)

    def pct(q: float) -> float | None:
        return round(answered[int(q * (len(answered) - 1))] * 1000, 1) if answered else None

    return {
        "reminders_sent": len(reminders),
        "reminder_seconds": round(last - first, 2) if reminders else 0,
        "updates": len(during),
        "unanswered": len(during) - len(answered),
        "reply_ms": {"p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99), "max": pct(1.0)},
        "replies_429": sum(
            1
            for call in calls
            if call.status == 429 and int(call.params.get("chat_id", 0)) >= CHATTER_FIRST
        ),
    }


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.buffer.read)


async def serve(args: argparse.Namespace) -> None:
    limits = None
    if args.free_rate or args.paid_rate:
        limits = RateLimits(free_per_second=args.free_rate, paid_per_second=args.paid_rate)
    api = BenchApi(
        watch=args.watch,
        validate=not args.no_validate,
        strict_html=not args.lax_html,
        auto_register_chats=True,
        rate_limits=limits,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with api:
        _emit(
            {
                "event": "ready",
                "base_url": api.base_url,
                "token": api.token,
                "pid": os.getpid(),
                "validate": not args.no_validate,
                "strict_html": not args.lax_html,
            }
        )
        started_cpu = _cpu_seconds()
        tasks = [asyncio.create_task(stop.wait()), asyncio.create_task(_stdin_closed())]
        chatter = None
        if args.chatter_per_second:
            chatter = Chatter(api, args.chatter_per_second, args.chatter_users)
            tasks.append(asyncio.create_task(chatter.run()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED), args.max_seconds
            )
        for task in tasks:
            task.cancel()
        calls = api.calls
        _emit(
            {
                "event": "stats",
                "calls": dict(Counter(f"{c.method} {c.status}" for c in calls)),
                "cpu_seconds": round(_cpu_seconds() - started_cpu, 3),
                "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                **({"chatter": _chatter_stats(chatter, calls)} if chatter else {}),
            }
        )
    # The stdin reader thread may still block; leave without waiting for it.
    sys.stdout.flush()
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-validate", action="store_true", help="skip the Bot API spec check")
    parser.add_argument("--lax-html", action="store_true", help="strict_html=False")
    parser.add_argument("--watch", help="report the first call of this method (e.g. getUpdates)")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="stop after this long")
    parser.add_argument("--free-rate", type=float, default=0, help="free messages/s (0: off)")
    parser.add_argument("--paid-rate", type=float, default=0, help="paid messages/s (0: off)")
    parser.add_argument("--chatter-per-second", type=float, default=0, help="updates/s written")
    parser.add_argument("--chatter-users", type=int, default=50, help="people who write")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
