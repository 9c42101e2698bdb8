"""The async engine and session factory, tuned per backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.config import normalize_database_url


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys make ON DELETE CASCADE work (for /forget); WAL lets the tick write while
    # handlers read; busy_timeout waits for a lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """An engine for ``url`` (plain ``sqlite://``/``postgresql://`` forms are accepted).

    SQL parameters are left out of error messages: they hold settings values, and tracebacks
    end up in logs.
    """
    url = normalize_database_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_async_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
