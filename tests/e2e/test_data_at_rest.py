"""The SQLite file and its -wal and -shm are private to their owner (0600) whatever the umask,
and what /forget deletes leaves the disk: neither the file nor its write-ahead log keeps it."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from tests.e2e.conftest import Chat
from tests.e2e.test_privacy import fill_every_table

# A value stored for this user only, easy to find in raw bytes.
DISTINCTIVE_ZONE = "Pacific/Chatham"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


async def test_a_new_database_and_its_log_are_private_with_an_open_umask(
    tmp_path: Path, open_umask: None
) -> None:
    path = tmp_path / "new.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade_database, url)  # Alembic creates the file first
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO app_state VALUES ('k', 'v')"))
            for suffix in ("", "-wal", "-shm"):
                assert mode(Path(f"{path}{suffix}")) == 0o600, suffix
    finally:
        await engine.dispose()


async def test_limber_db_upgrade_creates_a_private_file(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "db", "upgrade",
        env={**os.environ, "LIMBER_DATABASE_URL": "sqlite:///fresh.sqlite3"},
        cwd=tmp_path, umask=0, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert await process.wait() == 0
    assert mode(tmp_path / "fresh.sqlite3") == 0o600


def test_an_existing_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    for suffix in ("", "-wal"):
        Path(f"{path}{suffix}").touch()
        Path(f"{path}{suffix}").chmod(0o644)
    create_engine(f"sqlite:///{path}")  # as every start does
    assert mode(path) == 0o600 and mode(Path(f"{path}-wal")) == 0o600


def on_disk(database: Path) -> bytes:
    """The bytes of the database file and its write-ahead log, as anyone with the disk sees."""
    wal = Path(f"{database}-wal")
    return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def log_size(database: Path) -> int:
    return Path(f"{database}-wal").stat().st_size


async def test_forget_leaves_nothing_in_the_file_or_its_log(chat: Chat, sqlite_url: str) -> None:
    database = Path(sqlite_url.split("///", 1)[1])
    await fill_every_table(chat)
    await chat.say(f"/timezone {DISTINCTIVE_ZONE}", replies=2)
    assert DISTINCTIVE_ZONE.encode() in on_disk(database)  # the search can find it

    await chat.say("/forget", replies=2)
    await chat.press("🗑 Yes, delete everything")

    assert DISTINCTIVE_ZONE.encode() not in on_disk(database)
    assert log_size(database) == 0  # the log was emptied
