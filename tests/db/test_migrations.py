"""The migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from bot.db.models import Base, User
from bot.db.types import UTCDateTime
from tests.conftest import POSTGRES_ADMIN_DSN, _postgres_admin


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


async def test_existing_users_get_their_first_checkin_two_weeks_after_first_contact(
    tmp_path: Path,
) -> None:
    """Migration 0015: users from before it are due a check-in two weeks after first contact
    (the claim skips those long past and moves them on, so nobody gets one at once)."""
    urls = [f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"]
    name = f"limber_test_{uuid.uuid4().hex[:12]}"
    try:
        await _postgres_admin(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace(
            "postgresql://", "postgresql+asyncpg://"
        )
        urls.append(f"{base}/{name}")
    except (TimeoutError, OSError):
        pass  # no PostgreSQL here: SQLite only (CI runs both)
    try:
        for url in urls:
            await asyncio.to_thread(upgrade_database, url, "0010")
            engine = create_engine(url)
            async with engine.begin() as connection:
                await connection.execute(
                    sqlalchemy.text(
                        "INSERT INTO users (id, chat_id, timezone, reminder_days, focus_areas, "
                        "level, paused, active, precaution_answers, created_at, updated_at) "
                        "VALUES (42, 42, 'UTC', 127, '[]', 1, false, true, 0, :created, :created)"
                    ).bindparams(sqlalchemy.bindparam("created", type_=UTCDateTime)),
                    {"created": datetime(2026, 1, 1, 10, 30, tzinfo=UTC)},
                )
            await asyncio.to_thread(upgrade_database, url)
            async with engine.connect() as connection:
                due = await connection.scalar(sqlalchemy.select(User.checkin_due_at))
            await engine.dispose()
            assert due == datetime(2026, 1, 15, 10, 30, tzinfo=UTC), url
    finally:
        if len(urls) > 1:
            await _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
