"""Shared pieces of the benchmarks: the sandbox server process, fast database population,
event-loop lateness, memory readings."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# A spread of real zones, DST and not, east and west, with a half-hour one.
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)
AREAS = ("hip_flexors", "glutes", "lower_back", "hamstrings", "thoracic", "hip_mobility")


# -- the sandbox server in its own process ----------------------------------------------------


@dataclass
class SandboxProcess:
    proc: subprocess.Popen[str]
    base_url: str
    token: str
    pid: int
    events: queue.Queue[dict[str, Any]]
    stats: dict[str, Any] = field(default_factory=dict)

    def next_event(self, timeout: float) -> dict[str, Any]:
        return self.events.get(timeout=timeout)

    def cpu_seconds(self) -> float:
        """User + system CPU the server process used so far (from /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def _pump(stream: Any, events: queue.Queue[dict[str, Any]]) -> None:
    for line in stream:
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                events.put(json.loads(line))


@contextlib.contextmanager
def sandbox_server(
    *,
    validate: bool = True,
    strict_html: bool = True,
    watch: str | None = None,
    max_seconds: float = 900.0,
    extra: Sequence[str] = (),
) -> Iterator[SandboxProcess]:
    """Start ``bench.sandbox_server`` in a subprocess; stop it (stdin closed) on exit."""
    command = [PYTHON, "-m", "bench.sandbox_server", "--max-seconds", str(max_seconds), *extra]
    if not validate:
        command.append("--no-validate")
    if not strict_html:
        command.append("--lax-html")
    if watch:
        command += ["--watch", watch]
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, events), daemon=True).start()
    try:
        ready = events.get(timeout=30)
        assert ready["event"] == "ready", ready
        server = SandboxProcess(proc, ready["base_url"], ready["token"], ready["pid"], events)
        yield server
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with contextlib.suppress(queue.Empty):
        while True:
            event = events.get(timeout=2)
            if event.get("event") == "stats":
                server.stats = event
                break


# -- populating a database fast ---------------------------------------------------------------


def sqlite_text(instant: datetime) -> str:
    """How SQLAlchemy stores an aware UTC datetime in SQLite (UTCDateTime drops the zone)."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@dataclass(frozen=True)
class UserRow:
    """Values for one users row, engine-neutral."""

    id: int
    timezone: str
    reminder_time: str  # "HH:MM:SS"
    focus_areas: str  # JSON text
    level: int
    next_due_at: datetime


def user_rows(total: int, due: int, due_at: datetime, seed: int = 1) -> Iterator[UserRow]:
    """``due`` users due at exactly ``due_at``, their local reminder time matching it in their
    zone; the other ``total - due`` due at some minute in the next 24 hours."""
    rng = random.Random(seed)
    zones = [ZoneInfo(name) for name in ZONES]
    local_due = [due_at.astimezone(zone).strftime("%H:%M:%S") for zone in zones]
    focus = ["[]", *(json.dumps([a]) for a in AREAS), json.dumps(list(AREAS[:3]))]
    later = [due_at + timedelta(minutes=m) for m in range(60, 24 * 60)]
    for user_id in range(1, total + 1):
        zone_index = user_id % len(zones)
        if user_id <= due:
            next_due, reminder_time = due_at, local_due[zone_index]
        else:
            next_due = rng.choice(later)
            reminder_time = next_due.astimezone(zones[zone_index]).strftime("%H:%M:%S")
        yield UserRow(
            user_id,
            ZONES[zone_index],
            reminder_time,
            focus[user_id % len(focus)],
            1 + user_id % 3,
            next_due,
        )


def populate_sqlite(path: Path, total: int, due: int, due_at: datetime) -> float:
    """A migrated SQLite file with ``total`` users; returns the seconds it took."""
    from bot.db.migrate import upgrade_database

    started = time.perf_counter()
    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    upgrade_database(f"sqlite+aiosqlite:///{path}")
    created = sqlite_text(due_at - timedelta(days=30))
    due_texts: dict[datetime, str] = {}

    def text(instant: datetime) -> str:
        found = due_texts.get(instant)
        if found is None:
            found = due_texts[instant] = sqlite_text(instant)
        return found

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            connection.executemany(
                "INSERT INTO users (id, chat_id, timezone, reminder_time, reminder_days,"
                " focus_areas, level, paused, active, created_at, updated_at, next_due_at)"
                " VALUES (?, ?, ?, ?, 127, ?, ?, 0, 1, ?, ?, ?)",
                (
                    (
                        row.id,
                        row.id,
                        row.timezone,
                        row.reminder_time + ".000000",
                        row.focus_areas,
                        row.level,
                        created,
                        created,
                        text(row.next_due_at),
                    )
                    for row in user_rows(total, due, due_at)
                ),
            )
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return time.perf_counter() - started


POSTGRES_ADMIN_DSN = os.environ.get("LIMBER_BENCH_POSTGRES", "postgresql://127.0.0.1:5432/test")


async def postgres_admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=3)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def postgres_url(name: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://")


class NoPostgres(Exception):
    """No PostgreSQL server to make a scratch database on."""


@contextlib.asynccontextmanager
async def scratch_postgres() -> AsyncIterator[str]:
    """A PostgreSQL database of its own, at the newest migration; dropped afterwards."""
    from bot.db.migrate import upgrade_database

    name = f"limber_bench_{uuid.uuid4().hex[:12]}"
    try:
        await postgres_admin(f'CREATE DATABASE "{name}"')
    except (OSError, TimeoutError) as error:
        raise NoPostgres(f"no PostgreSQL server: {error}") from error
    try:
        url = postgres_url(name)
        await asyncio.to_thread(upgrade_database, url)
        yield url
    finally:
        await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def populate_postgres(url: str, total: int, due: int, due_at: datetime) -> None:
    """COPY ``total`` users into a migrated PostgreSQL database."""
    import asyncpg

    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(plain)
    created = due_at - timedelta(days=30)
    try:
        await connection.copy_records_to_table(
            "users",
            columns=[
                "id",
                "chat_id",
                "timezone",
                "reminder_time",
                "reminder_days",
                "focus_areas",
                "level",
                "paused",
                "active",
                "created_at",
                "updated_at",
                "next_due_at",
            ],
            records=(
                (
                    row.id,
                    row.id,
                    row.timezone,
                    datetime.strptime(row.reminder_time, "%H:%M:%S").time(),
                    127,
                    row.focus_areas,
                    row.level,
                    False,
                    True,
                    created,
                    created,
                    row.next_due_at,
                )
                for row in user_rows(total, due, due_at)
            ),
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


# -- measuring ----------------------------------------------------------------------------------


class LoopLag:
    """A task that sleeps ``interval`` seconds at a time and records how late it wakes:
    the longest stretch the event loop was blocked, within one interval."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.lateness: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            self.lateness.append(loop.time() - before - self.interval)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def summary(self) -> dict[str, float]:
        values = sorted(self.lateness) or [0.0]
        return {
            "max_ms": round(values[-1] * 1000, 1),
            "p99_ms": round(values[int(0.99 * (len(values) - 1))] * 1000, 1),
            "median_ms": round(statistics.median(values) * 1000, 2),
            "samples": len(self.lateness),
        }


class GcPauses:
    """A gc callback timing the full (generation 2) collections."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds.append(time.perf_counter() - self._started)

    def summary(self) -> dict[str, float]:
        return {
            "count": len(self.seconds),
            "max_ms": round(max(self.seconds, default=0.0) * 1000, 1),
            "total_seconds": round(sum(self.seconds), 3),
        }


def process_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def proc_status_kib(pid: int, key: str) -> int:
    """A ``kB`` line of /proc/<pid>/status, e.g. VmHWM (peak RSS) or VmRSS."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def system_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (from /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    import platform

    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
