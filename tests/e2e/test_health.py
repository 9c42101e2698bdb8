"""/healthz tells the truth: 503, naming what fails, when the database refuses writes, when
Telegram has not answered for a while, when the tick stalls; and a bot whose SQLite file was
deleted under it stops with a clear error instead of answering "Saved" into a lost file."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bot.app import build_application, started
from bot.catalog import Catalog
from bot.db.migrate import upgrade_database
from bot.runner import Mode
from bot.sandbox.server import FakeBotApi
from bot.web import WebServer
from tests.e2e.conftest import make_settings
from tests.e2e.processes import start_limber, stop_all
from tests.e2e.test_operations import free_port, serving


async def health(port: int) -> tuple[int, dict[str, str]]:
    url = f"http://127.0.0.1:{port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, json.loads(await response.text())


async def eventually(port: int, wanted: int, seconds: float = 10) -> dict[str, str]:
    """The /healthz body once it answers ``wanted``."""
    body: dict[str, str] = {}
    for _ in range(int(seconds * 10)):
        try:
            status, body = await health(port)
        except aiohttp.ClientError:
            status = 0
        if status == wanted:
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"/healthz never answered {wanted}; last: {body}")


async def test_telegram_unreachable_turns_health_503_naming_it(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    port = free_port()
    settings = make_settings(
        api, sqlite_url, LIMBER_HEALTH_PORT=port, LIMBER_TICK_SECONDS=0.2,
        LIMBER_HEALTH_TELEGRAM_SECONDS=1,
    )  # fmt: skip
    async with serving(settings, catalog, api.token, Mode.POLLING):
        assert await eventually(port, 200) == {
            "database": "ok", "scheduler": "ok", "telegram": "ok",
        }  # fmt: skip
        await api.stop()  # Telegram unreachable from now on
        body = await eventually(port, 503)
    assert body["database"] == "ok" and body["scheduler"] == "ok"
    assert body["telegram"].startswith("no answer from the Bot API for ")
    assert "not* sent" in body["telegram"]  # why: the last failure


async def test_a_quiet_worker_asks_telegram_before_calling_it_unreachable(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    """A worker with nothing to send makes no Bot API calls: /healthz asks (getMe)."""
    port = free_port()
    settings = make_settings(
        api, sqlite_url, LIMBER_HEALTH_PORT=port, LIMBER_HEALTH_TELEGRAM_SECONDS=0.5
    )
    async with serving(settings, catalog, api.token, Mode.WORKER):
        await eventually(port, 200)
        calls = len(api.calls_to("getMe"))
        await asyncio.sleep(0.6)  # silent for longer than the limit
        assert (await health(port))[0] == 200
        assert len(api.calls_to("getMe")) == calls + 1


async def test_a_stalled_tick_is_named(api: FakeBotApi, sqlite_url: str, catalog: Catalog) -> None:
    settings = make_settings(api, sqlite_url)
    app = build_application(settings, catalog, token=api.token, run_ticker=False)
    async with started(app):
        ticker = app.ticker
        server = WebServer(app.application, app.services, ticker, app.contact)
        ticker.last_progress = time.monotonic() - 3600  # the last sign of life, an hour ago
        response = await server.healthz(None)  # type: ignore[arg-type]
    assert response.status == 503
    assert json.loads(response.text or "") == {
        "database": "ok", "scheduler": "not ticking", "telegram": "ok",
    }  # fmt: skip


@asynccontextmanager
async def bot_process(
    api: FakeBotApi, workdir: Path, database: Path, health_port: int
) -> AsyncIterator[tuple[asyncio.subprocess.Process, list[bytes]]]:
    """`limber run` with its standard error in a pipe (collected in the list): a file would
    count against the file size limit the disk-full test sets."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LIMBER_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
        "LIMBER_DATABASE_URL": f"sqlite:///{database}", "LIMBER_HEALTH_PORT": str(health_port),
        "LIMBER_TICK_SECONDS": "0.2",
    }  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=workdir,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    lines: list[bytes] = []

    async def collect() -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            lines.append(line)

    collecting = asyncio.create_task(collect())
    try:
        yield process, lines
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), 15)
        await collecting


def no_growth_past(pid: int, log: Path) -> None:
    """Let process ``pid`` write no file past the write-ahead log's current size."""
    limit = log.stat().st_size
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (limit, limit))


def delete_database(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


async def test_writes_failing_turn_health_503(api: FakeBotApi, tmp_path: Path) -> None:
    """As with a full disk: the process may not grow any file (RLIMIT_FSIZE), so the database
    answers reads but every write fails. SELECT 1 would still pass."""
    database = tmp_path / "limber.sqlite3"
    await asyncio.to_thread(upgrade_database, f"sqlite:///{database}")
    port = free_port()
    async with bot_process(api, tmp_path, database, port) as (process, _):
        await eventually(port, 200, seconds=20)
        no_growth_past(process.pid, Path(f"{database}-wal"))
        body = await eventually(port, 503)
    assert body["database"].startswith("error: OperationalError")
    assert body["scheduler"] == "ok" and body["telegram"] == "ok"


async def test_a_deleted_database_file_stops_the_bot_with_a_clear_error(
    api: FakeBotApi, tmp_path: Path
) -> None:
    database = tmp_path / "limber.sqlite3"
    await asyncio.to_thread(upgrade_database, f"sqlite:///{database}")
    limber = await start_limber(
        "run", tmp_path, "limber",
        TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
        LIMBER_DATABASE_URL=f"sqlite:///{database}", LIMBER_HEALTH_PORT=0,
        LIMBER_TICK_SECONDS=60,  # no tick to notice it first: the user's write must
    )  # fmt: skip
    try:
        await limber.wait_for_line("Limber is running")
        delete_database(database)
        await api.send_user_message(5, "/time 07:30")
        code = await limber.wait(seconds=15)
    finally:
        await stop_all([limber])
    assert code == 2
    assert not any("Saved" in message.text for message in api.messages(5))
    last = limber.stderr.strip().splitlines()[-1]
    assert last.startswith("limber: the SQLite database file ") and "was deleted" in last
