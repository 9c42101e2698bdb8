"""Claim benchmark: claim 10,000 due users out of 1,000,000 rows, on SQLite and PostgreSQL.

    python -m bench.claim [--users 1000000] [--due 10000] [--repeat 5] [--no-postgres]

Three timings per engine, each repeated (the due rows are put back between repeats):
- ``statement``: only the claim's ``UPDATE ... RETURNING`` (Limber's own statement, what the
  design's prototype measured);
- ``claim``: ``claim_due_reminders`` as the tick calls it (statement, recent stretches, the next
  due instant of every user with zoneinfo, the stretch choice, the next_due_at updates and the
  delivery inserts) plus the commit;
- the same at the tick's batch sizes (500, the default, and 2,000).
The event loop's longest block during each full claim is recorded too.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from sqlalchemy import text

from bench.common import (
    GcPauses,
    LoopLag,
    NoPostgres,
    machine,
    populate_postgres,
    populate_sqlite,
    scratch_postgres,
    sqlite_text,
)
from bench.profiling import cprofiled, summarize_cprofile
from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from bot.db.engine import create_engine, create_session_factory
from bot.db.reminders import claim_due_reminders
from bot.domain.abilities import cannot_of
from bot.domain.picking import StretchPicker
from bot.domain.precautions import forbidden_for_stored
from bot.domain.send_order import Bounds, Lateness
from bot.reminders.kinds.stretch import DailyStretch, DueUser, stretch_kinds


def _deliveries(result: Any) -> list[Any]:
    """claim_due_reminders returns a list, or a Claim with ``.deliveries``."""
    return list(getattr(result, "deliveries", result))


async def _measure(
    url: str,
    due_at: datetime,
    due: int,
    limits: list[int],
    repeat: int,
    profile_to: Path | None,
) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    catalog = load_catalog(DEFAULT_CONTENT_DIR)
    stretches = catalog.stretches.all()
    rng = Random(3)
    now = due_at + timedelta(seconds=5)
    grace = timedelta(hours=2)
    postgres = url.startswith("postgresql")
    due_value: Any = due_at if postgres else sqlite_text(due_at)

    picker = StretchPicker(stretches)  # as the ticker's Services hold one

    def choose(user: DueUser, recent: list[str]) -> str:
        return picker.pick(
            forbidden=forbidden_for_stored(user.precaution_answers),
            cannot=cannot_of(user.cannot),
            focus_areas=user.focus_areas,
            level=user.level,
            recent_ids=recent,
            rng=rng,
        ).id

    kinds = stretch_kinds(choose)

    async def reset() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM deliveries"))
            await connection.execute(
                text("UPDATE users SET next_due_at = :due WHERE id <= :n"),
                {"due": due_value, "n": due},
            )

    async def statement_only(limit: int) -> int:
        from bot.db import reminders

        async with sessions() as session, session.begin():
            bounds = Bounds.at(now, grace)  # everything due is fresh here: one part
            users = await reminders._claim_due(
                session, DailyStretch(choose), bounds, Lateness.FRESH, limit, {}
            )
            await session.rollback()
        return len(users)

    async def full_claim(limit: int) -> int:
        async with sessions() as session, session.begin():
            result = await claim_due_reminders(session, now, kinds=kinds, limit=limit, grace=grace)
        return len(_deliveries(result))

    async def timed(
        action: Callable[[int], Awaitable[int]], limit: int, *, reset_first: bool
    ) -> dict[str, Any]:
        seconds, lags = [], []
        count = 0
        pauses = GcPauses()
        await action(limit)  # warm-up: statement caches, connection pool
        for _ in range(repeat):
            if reset_first:
                await reset()
            lag = LoopLag(0.002)
            lag.start()
            await asyncio.sleep(0.01)
            gc.callbacks.append(pauses)
            started = time.perf_counter()
            try:
                count = await action(limit)
            finally:
                seconds.append(time.perf_counter() - started)
                gc.callbacks.remove(pauses)
            await asyncio.sleep(0.005)
            await lag.stop()
            lags.append(lag.summary()["max_ms"])
        return {
            "limit": limit,
            "claimed": count,
            "median_ms": round(statistics.median(seconds) * 1000, 1),
            "min_ms": round(min(seconds) * 1000, 1),
            "max_ms": round(max(seconds) * 1000, 1),
            "loop_block_max_ms": max(lags),
            "gc_full_collections": pauses.summary(),
            "runs": repeat,
        }

    await reset()
    out: dict[str, Any] = {"statement": [], "claim": []}
    for limit in limits:
        out["statement"].append(await timed(statement_only, limit, reset_first=True))
        out["claim"].append(await timed(full_claim, limit, reset_first=True))
    if profile_to is not None:
        await reset()
        with cprofiled(profile_to):
            await full_claim(due)
        out["profile"] = summarize_cprofile(profile_to, top=20)
    async with engine.connect() as connection:
        if postgres:
            plan_sql = "EXPLAIN SELECT id FROM users WHERE active AND next_due_at <= :now"
        else:
            plan_sql = (
                "EXPLAIN QUERY PLAN SELECT id FROM users WHERE active = 1 AND next_due_at <= :now"
            )
        rows = await connection.execute(
            text(plan_sql + " ORDER BY next_due_at LIMIT 10"),
            {"now": now if postgres else sqlite_text(now)},
        )
        out["plan"] = [str(row[-1]) for row in rows]
    await engine.dispose()
    return out


def run_claim(
    users: int,
    due: int,
    *,
    repeat: int,
    postgres: bool,
    workdir: Path,
    profile: bool,
) -> dict[str, Any]:
    due_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    limits = sorted({500, 2000, due})
    result: dict[str, Any] = {"users": users, "due": due}
    path = workdir / "claim.sqlite3"
    populate = populate_sqlite(path, users, due, due_at)
    result["sqlite"] = asyncio.run(
        _measure(
            f"sqlite+aiosqlite:///{path}",
            due_at,
            due,
            limits,
            repeat,
            workdir / "claim-sqlite.prof" if profile else None,
        )
    )
    result["sqlite"]["populate_seconds"] = round(populate, 1)
    result["sqlite"]["file_mib"] = round(path.stat().st_size / 2**20, 1)
    path.unlink()
    print(json.dumps({"sqlite": _brief(result["sqlite"])}), flush=True)
    if postgres:
        result["postgresql"] = asyncio.run(_postgres(users, due, due_at, limits, repeat))
        print(json.dumps({"postgresql": _brief(result["postgresql"])}), flush=True)
    return result


async def _postgres(
    users: int, due: int, due_at: datetime, limits: list[int], repeat: int
) -> dict[str, Any]:
    try:
        async with scratch_postgres() as url:
            started = time.perf_counter()
            await populate_postgres(url, users, due, due_at)
            populate = time.perf_counter() - started
            out = await _measure(url, due_at, due, limits, repeat, None)
            out["populate_seconds"] = round(populate, 1)
            return out
    except NoPostgres as error:
        return {"error": str(error)}


def _brief(engine_result: dict[str, Any]) -> dict[str, Any]:
    if "error" in engine_result:
        return engine_result
    return {
        "statement_ms": {r["limit"]: r["median_ms"] for r in engine_result["statement"]},
        "claim_ms": {r["limit"]: r["median_ms"] for r in engine_result["claim"]},
        "claim_loop_block_ms": {r["limit"]: r["loop_block_max_ms"] for r in engine_result["claim"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Limber claim benchmark")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile one full SQLite claim")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="limber-bench-") as tmp:
        results = {
            "machine": machine(),
            "claim": run_claim(
                args.users,
                args.due,
                repeat=args.repeat,
                postgres=not args.no_postgres,
                workdir=Path(tmp),
                profile=args.profile,
            ),
        }
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
