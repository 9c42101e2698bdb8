"""Start-up time and peak memory of the real ``limber run`` with 1,000,000 users in SQLite.

    python -m bench.startup [--users 1000000] [--due 2000] [--seconds 12] [--repeat 3]

``limber run`` runs as a subprocess against the sandbox server (its own process, which logs
calls): start-up is the time from spawning the process to its first getUpdates call. It then
runs for ``--seconds`` with a one-second tick and sends the ``--due`` reminders that are due at
start (batch 500, rate 1000/s so a few ticks do real work); peak RSS is ``VmHWM`` from
/proc/<pid>/status read just before it is stopped with SIGTERM. An empty database is measured
the same way for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    REPO,
    SandboxProcess,
    machine,
    populate_sqlite,
    proc_status_kib,
    sandbox_server,
)

LIMBER = [str(Path(os.environ.get("LIMBER_BIN", REPO / ".venv" / "bin" / "limber"))), "run"]


def one_run(
    db_path: Path, *, seconds: float, tick: float, importtime: bool = False
) -> dict[str, Any]:
    with sandbox_server(watch="getUpdates", max_seconds=seconds + 60) as server:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LIMBER_", "TELEGRAM_"))},
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "LIMBER_DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
            "LIMBER_TICK_SECONDS": str(tick),
            "LIMBER_CLAIM_BATCH_SIZE": "500",
            "LIMBER_SEND_RATE_PER_SECOND": "1000",
            "LIMBER_SEND_RATE_PER_CHAT_SECONDS": "0",
            "LIMBER_HEALTH_PORT": "0",
            "LIMBER_LOG_LEVEL": "WARNING",
        }
        if importtime:
            env["PYTHONPROFILEIMPORTTIME"] = "1"
        with tempfile.TemporaryDirectory() as cwd:  # no stray .env is read
            log_path = Path(cwd) / "stderr.log"
            with log_path.open("wb") as log:
                spawned = time.time()
                proc = subprocess.Popen(
                    LIMBER, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log
                )
                try:
                    startup = _first_call(server, proc) - spawned
                    rss_samples = []
                    deadline = time.monotonic() + seconds
                    while time.monotonic() < deadline and proc.poll() is None:
                        rss_samples.append(proc_status_kib(proc.pid, "VmRSS"))
                        time.sleep(0.25)
                    if proc.poll() is not None:
                        raise RuntimeError(f"limber run exited early: {log_path.read_text()}")
                    peak = proc_status_kib(proc.pid, "VmHWM")
                    rss = proc_status_kib(proc.pid, "VmRSS")
                finally:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
            lines = log_path.read_text(errors="replace").splitlines()
    sent = server.stats.get("calls", {}).get("sendMessage 200", 0)
    errors = [line for line in lines if "ERROR" in line]
    result: dict[str, Any] = {
        "startup_seconds": round(startup, 3),
        "peak_rss_mib": round(peak / 1024, 1),
        "rss_at_end_mib": round(rss / 1024, 1),
        "rss_median_mib": round(statistics.median(rss_samples) / 1024, 1) if rss_samples else None,
        "reminders_sent": sent,
        "exit_code": proc.returncode,
        "errors": errors[:5],
    }
    if importtime:
        result["import_seconds_by_package"] = _imports(lines)
    return result


def _imports(lines: list[str], top: int = 12) -> dict[str, float]:
    """Import time by top-level package: the ``self`` times of ``-X importtime`` lines."""
    totals: dict[str, float] = {}
    for line in lines:
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        if not own.strip().isdigit():
            continue  # the header line
        package = name.strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(own) / 1e6
    ranked = sorted(totals.items(), key=lambda item: -item[1])[:top]
    return {name: round(seconds, 3) for name, seconds in ranked}


def _first_call(server: SandboxProcess, proc: subprocess.Popen[bytes]) -> float:
    """When the sandbox saw the first getUpdates (its clock, time.time())."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return float(server.next_event(timeout=0.5)["time"])
        except queue.Empty:
            if proc.poll() is not None:
                raise RuntimeError("limber run exited before polling") from None
    raise TimeoutError("limber run did not poll within 60 s")


def run_startup(
    users: int, due: int, *, seconds: float, repeat: int, workdir: Path
) -> dict[str, Any]:
    due_at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    result: dict[str, Any] = {"users": users, "due_at_start": due, "run_seconds": seconds}
    for label, total, due_now in (("empty", 0, 0), ("full", users, due)):
        path = workdir / f"startup-{label}.sqlite3"
        populate = populate_sqlite(path, total, due_now, due_at)
        runs = []
        for _ in range(repeat):
            # Each run needs the same due users: start from a fresh copy of the file.
            copy = workdir / "run.sqlite3"
            copy.write_bytes(path.read_bytes())
            runs.append(one_run(copy, seconds=seconds, tick=1.0))
            copy.unlink()
            print(json.dumps({label: runs[-1]}), flush=True)
        if label == "full":
            copy.write_bytes(path.read_bytes())
            profiled = one_run(copy, seconds=2.0, tick=1.0, importtime=True)
            result["import_seconds_by_package"] = profiled["import_seconds_by_package"]
            copy.unlink()
        result[label] = {
            "users": total,
            "populate_seconds": round(populate, 1),
            "runs": runs,
            "startup_median_seconds": statistics.median(r["startup_seconds"] for r in runs),
            "peak_rss_max_mib": max(r["peak_rss_mib"] for r in runs),
        }
        path.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="limber run: start-up time and peak RSS")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=12.0, help="how long each run lasts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="limber-bench-") as tmp:
        results = {
            "machine": machine(),
            "startup": run_startup(
                args.users, args.due, seconds=args.seconds, repeat=args.repeat, workdir=Path(tmp)
            ),
        }
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
