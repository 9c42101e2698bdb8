"""Progress benchmark: the progress picture (time and memory) and the weekly-summary claim.

    python -m bench.progress [--renders 60] [--users 100000] [--no-postgres] [--out FILE]

- ``picture``: ``render_progress_picture`` for an empty history, one day, and 90 days with
  three stretches a day (the largest picture: every area and three holds), in English;
  p50/p99 milliseconds over ``--renders`` runs, the PNG's bytes and pixels, and the
  tracemalloc peak of one render. ``build_progress`` (the domain rule from the log) is timed
  on the 90-day history too.
- ``claim``: ``--users`` users whose weekly summary falls due within the same minute,
  claimed by ``claim_due_reminders`` with the weekly kind only, in the tick's batches (500,
  the default, and 2,000) until none is left: per-batch p50/p99, the total, and the longest
  event-loop block. SQLite, and PostgreSQL when a server answers.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import text

from bench.common import (
    LoopLag,
    NoPostgres,
    machine,
    populate_postgres,
    populate_sqlite,
    scratch_postgres,
    sqlite_text,
)
from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from bot.db.engine import create_engine, create_session_factory
from bot.db.reminders import claim_due_reminders
from bot.domain.progress import Progress, build_progress
from bot.reminders.kinds.weekly import WeeklySummary
from bot.render.i18n import ENGLISH
from bot.render.progress_picture import render_progress_picture

TODAY = date(2026, 11, 30)
CATALOG = load_catalog(DEFAULT_CONTENT_DIR)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p99_ms": round(_percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def _done(days: int, per_day: int) -> list[tuple[date, str | None]]:
    ids = [s.id for s in CATALOG.stretches.all()]
    return [
        (TODAY - timedelta(days=back), ids[(back * per_day + n) % len(ids)])
        for back in range(days)
        for n in range(per_day)
    ]


def _progress(days: int, per_day: int) -> Progress:
    return build_progress(_done(days, per_day), TODAY, CATALOG.stretches.get)


def bench_picture(renders: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, days, per_day in (("empty", 0, 0), ("one_day", 1, 1), ("ninety_days", 90, 3)):
        progress = _progress(days, per_day)
        render_progress_picture(ENGLISH, progress)  # warm-up: fonts, codecs
        seconds = []
        png = b""
        for _ in range(renders):
            started = time.perf_counter()
            png = render_progress_picture(ENGLISH, progress)
            seconds.append(time.perf_counter() - started)
        tracemalloc.start()
        render_progress_picture(ENGLISH, progress)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        image = Image.open(io.BytesIO(png))
        out[name] = {
            **_ms(seconds),
            "runs": renders,
            "png_bytes": len(png),
            "pixels": f"{image.width}x{image.height}",
            # Python's allocations only: Pillow's pixel buffers are C memory, so the RGB
            # canvas (3 bytes a pixel) and its palette copy (1 a pixel) are added here.
            "tracemalloc_peak_kib": round(peak / 1024),
            "pixel_buffers_kib": round(image.width * image.height * 4 / 1024),
        }
    done = _done(90, 3)
    seconds = []
    for _ in range(renders):
        started = time.perf_counter()
        build_progress(done, TODAY, CATALOG.stretches.get)
        seconds.append(time.perf_counter() - started)
    out["build_progress_ninety_days"] = _ms(seconds)
    return out


async def _claim_all(url: str, users: int, due_at: datetime, limits: list[int]) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    kinds = [WeeklySummary(CATALOG)]
    postgres = url.startswith("postgresql")
    now = due_at + timedelta(minutes=1)  # every one of them is due
    grace = timedelta(hours=2)

    async def reset() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM deliveries"))
            # Spread over one minute, by user id.
            spread = (
                "weekly_due_at = CAST(:due AS timestamptz) + (id % 60) * interval '1 second'"
                if postgres
                else "weekly_due_at = "
                "strftime('%Y-%m-%d %H:%M:%f', :due, '+' || (id % 60) || ' seconds')"
            )
            await connection.execute(
                text(f"UPDATE users SET weekly_summary = true, weekly_day = 6, {spread}"),
                {"due": due_at if postgres else sqlite_text(due_at)},
            )

    results = []
    for limit in limits:
        await reset()
        batches: list[float] = []
        claimed = 0
        lag = LoopLag(0.002)
        lag.start()
        await asyncio.sleep(0.01)
        started = time.perf_counter()
        while True:
            batch_started = time.perf_counter()
            async with sessions() as session, session.begin():
                claim = await claim_due_reminders(
                    session, now, kinds=kinds, limit=limit, grace=grace
                )
            batches.append(time.perf_counter() - batch_started)
            claimed += len(claim.deliveries)
            if not claim.deliveries:
                batches.pop()  # the empty claim that ends it
                break
            await asyncio.sleep(0)  # as between ticks
        total = time.perf_counter() - started
        await lag.stop()
        async with engine.connect() as connection:
            rows = await connection.scalar(
                text("SELECT count(*) FROM deliveries WHERE kind = 'weekly'")
            )
        results.append(
            {
                "limit": limit,
                "claimed": claimed,
                "deliveries": rows,
                "batches": len(batches),
                "batch": _ms(batches),
                "total_seconds": round(total, 2),
                "per_second": round(claimed / total),
                "loop_block_max_ms": lag.summary()["max_ms"],
            }
        )
        print(json.dumps(results[-1]), flush=True)
    await engine.dispose()
    return {"limits": results}


def bench_claim(users: int, sqlite: bool, postgres: bool, workdir: Path) -> dict[str, Any]:
    due_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
    limits = [500, 2000]
    out: dict[str, Any] = {"users": users}
    if sqlite:
        path = workdir / "weekly.sqlite3"
        populate = populate_sqlite(path, users, 0, due_at)
        with sqlite3.connect(path) as connection:
            connection.execute("ANALYZE")
        url = f"sqlite+aiosqlite:///{path}"
        out["sqlite"] = asyncio.run(_claim_all(url, users, due_at, limits))
        out["sqlite"]["populate_seconds"] = round(populate, 1)
    if postgres:
        out["postgresql"] = asyncio.run(_postgres(users, due_at, limits))
    return out


async def _postgres(users: int, due_at: datetime, limits: list[int]) -> dict[str, Any]:
    try:
        async with scratch_postgres() as url:
            await populate_postgres(url, users, 0, due_at)
            return await _claim_all(url, users, due_at, limits)
    except NoPostgres as error:
        return {"error": str(error)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Limber progress benchmark")
    parser.add_argument("--renders", type=int, default=60)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-claim", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "picture": bench_picture(args.renders)}
    print(json.dumps({"picture": results["picture"]}, indent=2), flush=True)
    if not args.no_claim:
        with tempfile.TemporaryDirectory(prefix="limber-bench-") as tmp:
            results["claim"] = bench_claim(
                args.users, not args.no_sqlite, not args.no_postgres, Path(tmp)
            )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
