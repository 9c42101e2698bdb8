"""Dispatch benchmark: N users due at the same instant, sent end to end through the sandbox.

    python -m bench.dispatch --users 10000 [--users 100000] [--batch 2000] [--no-validate]

End to end is the real ``ReminderTicker.tick()`` of the application ``build_application``
wires (claim a batch from an SQLite file, render the cards, send them with the real
``ReminderSender`` over ``AiohttpRequest``, record the results), called back to back until
every due user has been sent; the rate limits are off (per-chat spacing 0, overall rate 10^9/s,
which never waits). In the same run, with a fresh sandbox process each, bare aiohttp and httpx
clients post the same number of identical sendMessage calls over the same 64 connections: 64
workers streaming requests (the client's ceiling), and for aiohttp also chunks of 64 gathered
one after the other, the way the tick sends (the ceiling for the tick's send pattern). The
sandbox runs in its own process (``bench.sandbox_server``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sqlite3
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.clients import ClientResult, reminder_parameters, run_aiohttp, run_httpx
from bench.common import (
    GcPauses,
    LoopLag,
    SandboxProcess,
    machine,
    populate_sqlite,
    proc_status_kib,
    sandbox_server,
    system_busy_seconds,
)
from bench.profiling import find_py_spy, sampled, summarize_collapsed
from bot.catalog import Catalog, load_catalog
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.reminders import tick as tick_module

CONNECTIONS = 64  # the reminder bot's AiohttpRequest pool (bot/app.py)
TICK_CHUNK: int = getattr(tick_module, "MAX_CHUNK", 64)  # the tick sends chunks of this many


class PhaseLag(LoopLag):
    """Loop lateness, each sample labelled with the tick phase that was running."""

    def __init__(self, interval: float = 0.01) -> None:
        super().__init__(interval)
        self.phase = "idle"
        self.by_phase: dict[str, float] = {}

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            late = loop.time() - before - self.interval
            self.lateness.append(late)
            self.by_phase[self.phase] = max(self.by_phase.get(self.phase, 0.0), late)


def _settings(server: SandboxProcess, database_url: str, batch: int) -> Settings:
    return Settings.model_validate(
        {
            "TELEGRAM_API_BASE_URL": server.base_url,
            "LIMBER_DATABASE_URL": database_url,
            "LIMBER_CLAIM_BATCH_SIZE": batch,
            "LIMBER_SEND_RATE_PER_SECOND": 1e9,
            "LIMBER_SEND_RATE_PER_CHAT_SECONDS": 0,
            "LIMBER_LOG_LEVEL": "WARNING",
        }
    )


def _instrument(ticker: Any, lag: PhaseLag, phases: Counter[str]) -> None:
    """Time the claim and record steps of each tick (the rest of a tick is sending)."""
    for name in ("_claim", "_record"):
        original = getattr(ticker, name)

        def timed(original: Any = original, label: str = name.strip("_")) -> Any:
            async def run(*args: Any) -> Any:
                previous, lag.phase = lag.phase, label
                started = time.perf_counter()
                try:
                    return await original(*args)
                finally:
                    phases[label] += time.perf_counter() - started
                    lag.phase = previous

            return run

        setattr(ticker, name, timed())


async def end_to_end(
    server: SandboxProcess,
    db_path: Path,
    catalog: Catalog,
    users: int,
    batch: int,
    profile_to: Path | None,
    *,
    gc_freeze: bool = False,
) -> dict[str, Any]:
    """``gc_freeze`` freezes everything alive after start-up out of the garbage collector's
    reach (``gc.freeze()``), as a service could do once it has started: a what-if."""
    from bot.app import build_application

    settings = _settings(server, f"sqlite+aiosqlite:///{db_path}", batch)
    app = build_application(settings, catalog, token=server.token, run_ticker=False)
    reminder_bot = app.reminder_bot
    await reminder_bot.initialize()
    ticker = app.ticker
    lag = PhaseLag()
    phases: Counter[str] = Counter()
    _instrument(ticker, lag, phases)
    statuses: Counter[str] = Counter()
    tick_seconds: list[float] = []
    if gc_freeze:
        gc.collect()
        gc.freeze()
    pauses = GcPauses()
    gc.callbacks.append(pauses)
    server_cpu = server.cpu_seconds()
    cpu = time.process_time()
    machine_cpu = system_busy_seconds()
    lag.start()
    started = time.perf_counter()
    profiler = sampled(os.getpid(), profile_to) if profile_to else None
    if profiler:
        profiler.__enter__()
    try:
        while True:
            lag.phase = "send"
            report = await ticker.tick()
            lag.phase = "idle"
            if not report.claimed:
                break
            tick_seconds.append(report.seconds)
            statuses.update({status.value: n for status, n in report.statuses.items()})
            finished = time.perf_counter()
    finally:
        gc.callbacks.remove(pauses)
        if gc_freeze:
            gc.unfreeze()
        if profiler:
            profiler.__exit__(None, None, None)
        await lag.stop()
    seconds = finished - started
    cpu = time.process_time() - cpu
    server_cpu = server.cpu_seconds() - server_cpu
    others = system_busy_seconds() - machine_cpu - cpu - server_cpu
    post_shutdown = app.application.post_shutdown
    assert post_shutdown is not None
    await post_shutdown(app.application)
    sent = statuses.get("sent", 0)
    with sqlite3.connect(db_path) as connection:
        stored = dict(connection.execute("SELECT status, count(*) FROM deliveries GROUP BY status"))
    phases["send"] = sum(tick_seconds) - phases["claim"] - phases["record"]
    return {
        "client": "Limber end to end",
        "count": users,
        "ok": sent,
        "statuses": dict(statuses),
        "stored_statuses": stored,
        "seconds": round(seconds, 3),
        "per_second": round(sent / seconds),
        "ticks": len(tick_seconds),
        "longest_tick_seconds": round(max(tick_seconds), 3),
        "phase_seconds": {k: round(v, 3) for k, v in phases.items()},
        "client_cpu_seconds": round(cpu, 3),
        "server_cpu_seconds": round(server_cpu, 3),
        "other_processes_cpu_seconds": round(max(others, 0.0), 2),
        "loop_lag": lag.summary(),
        "loop_lag_max_ms_by_phase": {k: round(v * 1000, 1) for k, v in lag.by_phase.items()},
        "gc_full_collections": pauses.summary(),
        "gc_frozen": gc_freeze,
        "peak_rss_mib": round(proc_status_kib(os.getpid(), "VmHWM") / 1024, 1),
    }


async def bare_client(
    server: SandboxProcess, catalog: Catalog, kind: str, users: int, chunk: int | None
) -> dict[str, Any]:
    parameters = await reminder_parameters(catalog)
    url = f"{server.base_url}/bot{server.token}/sendMessage"
    runner = run_aiohttp if kind == "aiohttp" else run_httpx
    server_cpu = server.cpu_seconds()
    machine_cpu = system_busy_seconds()
    result: ClientResult = await runner(
        url, parameters, list(range(1, users + 1)), connections=CONNECTIONS, chunk=chunk
    )
    out = result.as_dict()
    out["server_cpu_seconds"] = round(server.cpu_seconds() - server_cpu, 3)
    others = system_busy_seconds() - machine_cpu - out["server_cpu_seconds"] - result.cpu_seconds
    out["other_processes_cpu_seconds"] = round(max(others, 0.0), 2)
    out["server_busy"] = round(out["server_cpu_seconds"] / result.seconds, 2)
    out["client_busy"] = round(result.cpu_seconds / result.seconds, 2)
    return out


def run_dispatch(
    users: int,
    *,
    batch: int,
    validate: bool,
    httpx_users: int | None,
    workdir: Path,
    profile: bool,
    repeat: int = 1,
    variants: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    """``variants``: extra end-to-end runs, e.g. ``{"batch": 500}`` or ``{"gc_freeze": True}``."""
    catalog = load_catalog(DEFAULT_CONTENT_DIR)
    db_path = workdir / f"dispatch-{users}.sqlite3"
    due_at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=5)
    result: dict[str, Any] = {
        "users": users,
        "batch": batch,
        "connections": CONNECTIONS,
        "server_validates_spec": validate,
        "runs": [],
    }
    for run in range(repeat):
        entry: dict[str, Any] = {}
        with sandbox_server(validate=validate) as server:
            entry["aiohttp"] = asyncio.run(bare_client(server, catalog, "aiohttp", users, None))
        with sandbox_server(validate=validate) as server:
            entry["aiohttp_chunked"] = asyncio.run(
                bare_client(server, catalog, "aiohttp", users, TICK_CHUNK)
            )
        entry["populate_seconds"] = round(populate_sqlite(db_path, users, users, due_at), 2)
        with sandbox_server(validate=validate) as server:
            profile_to = None
            if profile and run == 0 and find_py_spy():
                profile_to = workdir / f"profile-dispatch-{users}.txt"
            limber = asyncio.run(end_to_end(server, db_path, catalog, users, batch, profile_to))
            if profile_to:
                limber["profile"] = summarize_collapsed(profile_to)
        limber["server_stats"] = server.stats
        limber["server_busy"] = round(limber["server_cpu_seconds"] / limber["seconds"], 2)
        limber["client_busy"] = round(limber["client_cpu_seconds"] / limber["seconds"], 2)
        entry["limber"] = limber
        n_httpx = min(users, httpx_users) if httpx_users else users
        with sandbox_server(validate=validate) as server:
            entry["httpx"] = asyncio.run(bare_client(server, catalog, "httpx", n_httpx, None))
        entry["ratio_to_aiohttp"] = round(limber["per_second"] / entry["aiohttp"]["per_second"], 2)
        entry["ratio_to_aiohttp_chunked"] = round(
            limber["per_second"] / entry["aiohttp_chunked"]["per_second"], 2
        )
        result["runs"].append(entry)
        print(json.dumps(_brief(entry)), flush=True)
    result["variants"] = []
    for variant in variants:
        populate_sqlite(db_path, users, users, due_at)
        with sandbox_server(validate=validate) as server:
            limber = asyncio.run(
                end_to_end(
                    server,
                    db_path,
                    catalog,
                    users,
                    variant.get("batch", batch),
                    None,
                    gc_freeze=variant.get("gc_freeze", False),
                )
            )
        limber["variant"] = variant
        result["variants"].append(limber)
        print(json.dumps({"variant": variant, **_brief_limber(limber)}), flush=True)
    db_path.unlink(missing_ok=True)
    return result


def _brief_limber(limber: dict[str, Any]) -> dict[str, Any]:
    return {
        "limber_per_s": limber["per_second"],
        "loop_lag_max_ms": limber["loop_lag"]["max_ms"],
        "loop_lag_max_ms_by_phase": limber["loop_lag_max_ms_by_phase"],
        "gc_full_collections": limber["gc_full_collections"],
    }


def _brief(entry: dict[str, Any]) -> dict[str, Any]:
    limber = entry["limber"]
    return {
        "users": limber["count"],
        "limber_per_s": limber["per_second"],
        "aiohttp_per_s": entry["aiohttp"]["per_second"],
        "aiohttp_chunked_per_s": entry["aiohttp_chunked"]["per_second"],
        "httpx_per_s": entry["httpx"]["per_second"],
        "ratio": entry["ratio_to_aiohttp"],
        "loop_lag_max_ms": limber["loop_lag"]["max_ms"],
        "phases": limber["phase_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Limber dispatch benchmark")
    parser.add_argument("--users", type=int, action="append", help="due users (repeatable)")
    parser.add_argument("--batch", type=int, default=2000, help="claim batch size")
    parser.add_argument("--no-validate", action="store_true", help="sandbox without spec check")
    parser.add_argument("--httpx-users", type=int, help="cap the httpx run at this many calls")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="py-spy the first e2e run")
    parser.add_argument(
        "--variants", action="store_true", help="also end to end at batch 500, and with gc.freeze"
    )
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="limber-bench-") as tmp:
        results = {
            "machine": machine(),
            "dispatch": [
                run_dispatch(
                    users,
                    batch=args.batch,
                    validate=not args.no_validate,
                    httpx_users=args.httpx_users,
                    workdir=Path(tmp),
                    profile=args.profile,
                    repeat=args.repeat,
                    variants=({"batch": 500}, {"gc_freeze": True}) if args.variants else (),
                )
                for users in (args.users or [10_000])
            ],
        }
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
