"""The sandbox Bot API server in a process of its own, for the benchmarks.

    python -m bench.sandbox_server [--no-validate] [--lax-html] [--max-seconds 900]

Prints one JSON line when it listens: ``{"event": "ready", "base_url": ..., "token": ...,
"pid": ...}``; with ``--watch METHOD`` one more, ``{"event": "first_call", "method": ...,
"time": <time.time()>}``, when that method is first called. It stops on SIGTERM/SIGINT, when its
standard input closes (so it never outlives the benchmark that started it), or after
``--max-seconds``; it then prints ``{"event": "stats", ...}``: calls by method and status, and
its own CPU time.

Every positive chat id is a known private chat (``auto_register_chats``). Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import sys
import time
from collections import Counter
from typing import Any

from bot.sandbox.server import FakeBotApi


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

    async def _call(self, method: str, raw: Any, files: Any) -> Any:
        if method == self._watch:
            self._watch = None
            _emit({"event": "first_call", "method": method, "time": time.time()})
        return await super()._call(method, raw, files)


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.buffer.read)


async def serve(args: argparse.Namespace) -> None:
    api = BenchApi(
        watch=args.watch,
        validate=not args.no_validate,
        strict_html=not args.lax_html,
        auto_register_chats=True,
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
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
