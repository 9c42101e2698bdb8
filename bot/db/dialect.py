"""The one place that knows SQL differs between our two engines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT that supports ``on_conflict_do_nothing`` on the session's engine."""
    return (postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert)(table)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def plus_days(session: AsyncSession, column: Any, days: int) -> Any:
    """``column`` (a UTCDateTime) plus whole days, in SQL, exactly comparable with other
    UTCDateTime columns. SQLite stores them as 'YYYY-MM-DD HH:MM:SS.ffffff' text and its date
    functions round to milliseconds, so only the date part goes through them: the time of
    day, microseconds included, is kept as stored."""
    if _dialect(session) == "postgresql":
        return column + func.make_interval(0, 0, 0, int(days))
    return func.date(func.substr(column, 1, 10), f"+{int(days)} days").concat(
        func.substr(column, 11)
    )
