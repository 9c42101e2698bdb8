"""The async engine and session factory, tuned per backend; the SQLite file kept private."""

from __future__ import annotations

import logging
import os
import stat
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.config import normalize_database_url

log = logging.getLogger(__name__)

# SQLite's companion files: the write-ahead log, its index, and the rollback journal.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys make ON DELETE CASCADE work (for /forget); WAL lets the tick write while
    # handlers read; busy_timeout waits for a lock instead of failing at once; secure_delete
    # overwrites deleted rows with zeros, so what /forget deletes is gone from the file too.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def sqlite_path(database_url: str) -> str | None:
    """The file an SQLite URL names (absolute); None for other databases and in-memory SQLite."""
    url = make_url(normalize_database_url(database_url))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.query.get("mode") == "memory":
        return None
    return os.path.abspath(url.database)


def create_engine(url: str) -> AsyncEngine:
    """An engine for ``url`` (plain ``sqlite://``/``postgresql://`` forms are accepted).

    SQL parameters are left out of error messages: they hold settings values, and tracebacks
    end up in logs.
    """
    url = normalize_database_url(url)
    if url.startswith("sqlite"):
        make_private_sqlite_file(url)
        engine = create_async_engine(url, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_async_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def make_private_sqlite_file(database_url: str) -> None:
    """Create the SQLite file readable by its owner only (0600), whatever the umask, before
    SQLite creates it from the umask (often world-readable); SQLite gives its -wal and -shm
    files the database's mode. Existing files open to others are made private too."""
    path = sqlite_path(database_url)
    if path is None:
        return
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for name in (path, *(path + suffix for suffix in SQLITE_SIDE_FILES)):
            _make_private(name)
    except OSError:
        return  # a missing directory, say: SQLite reports it when it opens the file
    else:
        os.fchmod(descriptor, 0o600)  # a umask like 0277 would have left it read-only
        os.close(descriptor)


def _make_private(path: str) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
            log.warning("%s was readable by other users: made private (owner only)", path)
    except FileNotFoundError:
        pass
    except OSError as error:  # not ours to change: say so, and carry on
        log.warning("could not make %s private: %s", path, error.strerror)


async def checkpoint_wal(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Move everything in SQLite's write-ahead log into the database file and empty the log
    (after /forget: the log still holds the deleted rows until then). A no-op elsewhere."""
    async with sessions() as session:
        connection = await session.connection()
        if connection.dialect.name != "sqlite":
            return
        busy, _, _ = (await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).one()
    if busy:
        log.warning("the SQLite log could not be emptied (readers busy): deleted rows stay in it")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
