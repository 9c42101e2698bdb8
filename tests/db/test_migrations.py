"""The migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrate import upgrade_database
from bot.db.models import Base


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_every_model_table_exists(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert set(Base.metadata.tables) <= tables


def test_rows_moved_to_a_group_go_back_to_the_private_chat(tmp_path: Path) -> None:
    """Migration 0006 repairs what the group bug stored: reminders posted in a group."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade_database(url, "0005")
    plain = sqlalchemy.create_engine(url)
    with plain.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO users (id, chat_id, timezone, reminder_days, focus_areas, level, "
                "paused, active, created_at, updated_at) VALUES "
                "(42, -1001234567890, 'UTC', 127, '[]', 1, 0, 1, '2026-01-01', '2026-01-01'), "
                "(43, 43, 'UTC', 127, '[]', 1, 0, 1, '2026-01-01', '2026-01-01')"
            )
        )
    upgrade_database(url)
    with plain.connect() as connection:
        rows = connection.execute(sqlalchemy.text("SELECT id, chat_id FROM users ORDER BY id"))
        assert rows.all() == [(42, 42), (43, 43)]
    plain.dispose()
