"""Copy every row from one Limber database to another (SQLite to PostgreSQL, or any direction).

The target must already be at the source's schema revision (``limber db upgrade`` it first).
Rows keep their ids; they are streamed in batches, so a large table never sits in memory, and
written in one target transaction, so a failed copy leaves the target as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Table, delete, func, inspect, literal, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.config import normalize_database_url
from bot.db.engine import create_engine
from bot.db.models import Base

log = logging.getLogger(__name__)


class CopyError(RuntimeError):
    """The copy cannot start (wrong schema, target not empty...): nothing was written."""


async def copy_database(
    source_url: str, target_url: str, *, batch_size: int = 5000, overwrite: bool = False
) -> dict[str, int]:
    """Copy all rows of every table from ``source_url`` to ``target_url``; rows per table.

    Refuses when the target's schema revision differs from the source's, or when the target
    already holds rows, unless ``overwrite`` (then the target's tables are emptied first).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if normalize_database_url(source_url) == normalize_database_url(target_url):
        raise CopyError("source and target are the same database")
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        return await _copy(source, target, batch_size=batch_size, overwrite=overwrite)
    finally:
        await source.dispose()
        await target.dispose()


async def _copy(
    source: AsyncEngine, target: AsyncEngine, *, batch_size: int, overwrite: bool
) -> dict[str, int]:
    tables = Base.metadata.sorted_tables  # parents before children
    async with source.connect() as reader, target.begin() as writer:
        await _snapshot(reader)
        await _check_revisions(reader, writer)
        if overwrite:
            await _empty(writer, tables)
        else:
            await _check_empty(writer, tables)
        counts: dict[str, int] = {}
        for table in tables:
            counts[table.name] = await _copy_table(reader, writer, table, batch_size)
            log.info("copied %d rows into %s", counts[table.name], table.name)
        if writer.dialect.name == "postgresql":
            await _reset_sequences(writer, tables)
    return counts


async def _snapshot(reader: AsyncConnection) -> None:
    """On PostgreSQL, read every table from one snapshot (SQLite: stop the bot first)."""
    if reader.dialect.name == "postgresql":
        await reader.execution_options(isolation_level="REPEATABLE READ")


async def _schema_revisions(connection: AsyncConnection, role: str) -> set[str]:
    if not await connection.run_sync(lambda sync: inspect(sync).has_table("alembic_version")):
        raise CopyError(
            f"the {role} database has no Limber schema (no alembic_version table); "
            "run `limber db upgrade` on it first"
        )
    rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
    return {str(row[0]) for row in rows}


async def _check_revisions(reader: AsyncConnection, writer: AsyncConnection) -> None:
    source_revisions = await _schema_revisions(reader, "source")
    target_revisions = await _schema_revisions(writer, "target")
    if source_revisions != target_revisions:
        raise CopyError(
            f"schema revisions differ: source {_describe(source_revisions)}, target "
            f"{_describe(target_revisions)}; upgrade both with `limber db upgrade` first"
        )


def _describe(revisions: set[str]) -> str:
    return ", ".join(sorted(revisions)) or "none"


async def _check_empty(writer: AsyncConnection, tables: list[Table]) -> None:
    filled = [table.name for table in tables if await _has_rows(writer, table)]
    if filled:
        raise CopyError(
            f"the target database already has rows in {', '.join(filled)}; "
            "copy into an empty database, or overwrite it (`limber db copy --overwrite`)"
        )


async def _has_rows(connection: AsyncConnection, table: Table) -> bool:
    found = await connection.scalar(select(literal(1)).select_from(table).limit(1))
    return found is not None


async def _empty(writer: AsyncConnection, tables: list[Table]) -> None:
    for table in reversed(tables):  # children before parents
        await writer.execute(delete(table))


async def _copy_table(
    reader: AsyncConnection, writer: AsyncConnection, table: Table, batch_size: int
) -> int:
    """Stream ``table`` from reader to writer in batches; the number of rows copied."""
    query = select(table).order_by(*table.primary_key.columns)
    result = await reader.stream(query.execution_options(yield_per=batch_size))
    copied = 0
    async for batch in result.partitions(batch_size):
        rows: list[Mapping[str, Any]] = [row._asdict() for row in batch]
        await writer.execute(table.insert(), rows)
        copied += len(rows)
    return copied


def _serial_id(table: Table) -> Column[Any] | None:
    """The autoincrementing integer key of ``table``, if it has one."""
    column = table.autoincrement_column
    return column if column is not None and column.type.python_type is int else None


async def _reset_sequences(writer: AsyncConnection, tables: list[Table]) -> None:
    """Set each id sequence past the copied ids, so new rows do not collide with them."""
    for table in tables:
        column = _serial_id(table)
        if column is None:
            continue
        name = writer.dialect.identifier_preparer.format_table(table)
        sequence = func.pg_get_serial_sequence(name, column.name)
        highest = func.max(column)
        # An empty table restarts at 1: setval(seq, 1, false) makes nextval return 1.
        await writer.execute(
            select(func.setval(sequence, func.coalesce(highest, 1), highest.is_not(None)))
        )
