"""Shared fixtures: real databases (an SQLite file; PostgreSQL when a server answers)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.models import Base
from bot.render.i18n import ENGLISH, Translator
from tests.translations import PSEUDO, pseudo_catalogs

POSTGRES_ADMIN_DSN = os.environ.get("LIMBER_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")


async def _postgres_admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=3)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A uniquely named PostgreSQL database at head, dropped after the run.

    Skips where no server answers, except in CI (``CI=true``), where PostgreSQL must run.
    """
    name = f"limber_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    except (TimeoutError, OSError) as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but did not answer: {error}")
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_ADMIN_DSN}: {error}")
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://")
    upgrade_database(url)
    yield url
    asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    upgrade_database(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "limber.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each DB test runs on both engines."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


async def _empty_all_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await _empty_all_tables(engine)  # the PostgreSQL database is shared by the whole run
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture(scope="session")
def pseudo_translator(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    """Every message accented and a third longer: a screen that still fits and stays valid HTML
    in it has no untranslated string left and room for longer languages."""
    return pseudo_catalogs(tmp_path_factory.mktemp("locales")).translator(PSEUDO)


@pytest.fixture(params=["en", PSEUDO])
def t(request: pytest.FixtureRequest, pseudo_translator: Translator) -> Translator:
    """Render tests run in English and in the pseudo-locale."""
    return ENGLISH if request.param == "en" else pseudo_translator
