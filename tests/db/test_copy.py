"""Copying a whole database between engines: SQLite file to PostgreSQL and back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select

from bot.db.copy import CopyError, copy_database
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.db.models import (
    Activity,
    AppState,
    Base,
    Check,
    Checkin,
    Delivery,
    UploadedFile,
    User,
)

NOW = datetime(2026, 3, 29, 6, 30, 15, 123456, tzinfo=UTC)
BERLIN_SUMMER = timezone(timedelta(hours=2))
TABLES = [table.name for table in Base.metadata.sorted_tables]


async def _empty(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(delete(table))
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[str]:
    """The session's PostgreSQL database, empty before and after the test."""
    await _empty(postgres_url)
    yield postgres_url
    await _empty(postgres_url)


async def _new_sqlite(tmp_path: Path, name: str, revision: str = "head") -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / name}"
    await asyncio.to_thread(upgrade_database, url, revision)  # Alembic runs its own loop
    return url


def _users() -> list[User]:
    return [
        User(
            id=1001,
            chat_id=1001,
            timezone="Europe/Berlin",
            reminder_time=time(7, 30),
            reminder_days=0b0011111,
            focus_areas=["hip_flexors", "lower_back"],
            level=2,
            paused=False,
            paused_until=None,
            active=True,
            next_due_at=datetime(2026, 3, 30, 7, 30, tzinfo=BERLIN_SUMMER),  # stored as UTC
            snooze_due_at=NOW + timedelta(minutes=10),
            on_hold_since=None,
            created_at=NOW - timedelta(days=30),
            updated_at=NOW,
        ),
        User(
            id=8_000_000_001,  # Telegram ids outgrow 32 bits
            chat_id=-8_000_000_001,
            timezone="UTC",
            reminder_time=None,
            reminder_days=0b1111111,
            focus_areas=[],
            level=1,
            paused=True,
            paused_until=NOW + timedelta(days=3),
            active=False,
            next_due_at=None,
            snooze_due_at=None,
            on_hold_since=NOW - timedelta(hours=5),
            created_at=NOW - timedelta(days=1),
            updated_at=NOW,
        ),
    ]


def _rows() -> list[Any]:
    activity = [
        # Gaps in the ids, as after deletions: they must survive the copy.
        Activity(id=activity_id, user_id=1001, kind=kind, stretch_id=stretch, at=at)
        for activity_id, kind, stretch, at in [
            (1, "shown", "pigeon", NOW - timedelta(days=2)),
            (2, "done", "pigeon", NOW - timedelta(days=2, minutes=-3)),
            (7, "reminder_sent", "couch_stretch", NOW - timedelta(days=1)),
            (40, "done", None, NOW),
        ]
    ]
    deliveries = [
        Delivery(
            id=3,
            user_id=1001,
            due_at=NOW - timedelta(days=1),
            kind="daily",
            status="sent",
            attempts=1,
            stretch_id="couch_stretch",
            message_id=5_000_000_000,
            claimed_at=NOW - timedelta(days=1),
            finished_at=NOW - timedelta(days=1, seconds=-2),
        ),
        Delivery(
            id=9,
            user_id=8_000_000_001,
            due_at=NOW,
            kind="snooze",
            status="claimed",
            attempts=0,
            stretch_id=None,
            message_id=None,
            claimed_at=NOW,
            finished_at=None,
        ),
    ]
    checks = [
        Check(id=2, user_id=8_000_000_001, tier="urgent", checked_at=NOW - timedelta(hours=5)),
        Check(id=5, user_id=1001, tier="none", checked_at=NOW - timedelta(days=10)),
    ]
    state = [AppState(key="webhook_secret", value="s3cret-Ünïcode")]
    uploads = [UploadedFile(digest="ab" * 32, kind="photo", file_id="AgAC-1", uploaded_at=NOW)]
    checkins = [Checkin(id=4, user_id=1001, answer="same", answered_on=date(2026, 3, 15))]
    return [*activity, *deliveries, *checks, *state, *uploads, *checkins]


async def _fill(url: str) -> None:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            session.add_all(_users())
            await session.flush()  # parents first
            session.add_all(_rows())
    finally:
        await engine.dispose()


async def _dump(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in primary key order, as Python values."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            dump: dict[str, list[dict[str, Any]]] = {}
            for table in Base.metadata.sorted_tables:
                query = select(table).order_by(*table.primary_key.columns)
                dump[table.name] = [row._asdict() for row in await connection.execute(query)]
            return dump
    finally:
        await engine.dispose()


async def _new_activity_id(url: str) -> int:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            row = Activity(user_id=1001, kind="shown", stretch_id="pigeon", at=NOW)
            session.add(row)
            await session.flush()
            return row.id
    finally:
        await engine.dispose()


async def _expect_same(source: str, target: str) -> None:
    expected, copied = await _dump(source), await _dump(target)
    assert set(copied) == set(TABLES)
    for table in TABLES:
        assert copied[table] == expected[table], table
    user = copied["users"][0]
    assert user["reminder_time"] == time(7, 30)
    assert user["focus_areas"] == ["hip_flexors", "lower_back"]
    assert user["next_due_at"] == datetime(2026, 3, 30, 5, 30, tzinfo=UTC)
    assert user["created_at"].tzinfo is not None


def _counts() -> dict[str, int]:
    """Rows copied per table: what _fill wrote, and every other table (empty) copied too."""
    return {table: 0 for table in TABLES} | {
        "users": 2,
        "activity": 4,
        "deliveries": 2,
        "checks": 2,
        "app_state": 1,
        "uploaded_files": 1,
        "checkins": 1,
    }


@pytest.mark.postgres
async def test_sqlite_to_postgres_copies_every_row_and_resets_sequences(
    sqlite_url: str, postgres: str
) -> None:
    await _fill(sqlite_url)

    counts = await copy_database(sqlite_url, postgres, batch_size=3)

    assert counts == _counts()
    assert list(counts) == TABLES  # parents first
    await _expect_same(sqlite_url, postgres)
    # The id sequences continue after the copied ids instead of colliding with them.
    assert await _new_activity_id(postgres) == 41


@pytest.mark.postgres
async def test_copy_into_non_empty_target_is_refused_unless_overwrite(
    sqlite_url: str, postgres: str, tmp_path: Path
) -> None:
    await _fill(sqlite_url)
    await copy_database(sqlite_url, postgres)
    await _new_activity_id(postgres)  # the target moves on: one row the source lacks

    with pytest.raises(CopyError, match="already has rows in") as refused:
        await copy_database(sqlite_url, postgres)
    filled = [table for table, rows in _counts().items() if rows]
    assert all(table in str(refused.value) for table in filled)
    assert len((await _dump(postgres))["activity"]) == 5  # nothing was written

    assert await copy_database(sqlite_url, postgres, overwrite=True) == _counts()
    await _expect_same(sqlite_url, postgres)
    assert await _new_activity_id(postgres) == 41

    # Overwriting with an empty source empties the target, and ids restart at 1.
    empty = await _new_sqlite(tmp_path, "empty.sqlite3")
    counts = await copy_database(empty, postgres, overwrite=True)
    assert set(counts.values()) == {0}
    assert all(rows == [] for rows in (await _dump(postgres)).values())
    await _fill_users_only(postgres)
    assert await _new_activity_id(postgres) == 1


async def _fill_users_only(url: str) -> None:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            session.add_all(_users())
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_postgres_to_sqlite_copies_every_row(postgres: str, tmp_path: Path) -> None:
    await _fill(postgres)
    target = await _new_sqlite(tmp_path, "from-postgres.sqlite3")

    assert await copy_database(postgres, target, batch_size=1) == _counts()

    await _expect_same(postgres, target)
    assert await _new_activity_id(target) == 41
    with pytest.raises(CopyError, match="already has rows"):
        await copy_database(postgres, target)
    assert await copy_database(postgres, target, overwrite=True) == _counts()
    await _expect_same(postgres, target)


async def test_sqlite_to_sqlite_in_small_batches(sqlite_url: str, tmp_path: Path) -> None:
    await _fill(sqlite_url)
    target = await _new_sqlite(tmp_path, "copy.sqlite3")

    assert await copy_database(sqlite_url, target, batch_size=2) == _counts()

    await _expect_same(sqlite_url, target)
    with pytest.raises(CopyError, match="already has rows"):
        await copy_database(sqlite_url, target)


async def test_many_rows_are_streamed_in_batches(sqlite_url: str, tmp_path: Path) -> None:
    await _fill_users_only(sqlite_url)
    engine = create_engine(sqlite_url)
    async with engine.begin() as connection:
        await connection.execute(
            insert(Activity),
            [
                {"user_id": 1001, "kind": "shown", "stretch_id": None, "at": NOW}
                for _ in range(12_345)
            ],
        )
    await engine.dispose()
    target = await _new_sqlite(tmp_path, "big.sqlite3")

    counts = await copy_database(sqlite_url, target, batch_size=1000)

    assert counts["activity"] == 12_345
    await _expect_same(sqlite_url, target)


async def test_target_at_another_schema_revision_is_refused(
    sqlite_url: str, tmp_path: Path
) -> None:
    await _fill(sqlite_url)
    older = await _new_sqlite(tmp_path, "older.sqlite3", revision="0002")

    with pytest.raises(CopyError, match=r"schema revisions differ: source \w+, target 0002"):
        await copy_database(sqlite_url, older)


async def test_target_without_schema_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    bare = f"sqlite+aiosqlite:///{tmp_path / 'bare.sqlite3'}"

    with pytest.raises(CopyError, match="target database has no Limber schema"):
        await copy_database(sqlite_url, bare)
    with pytest.raises(CopyError, match="source database has no Limber schema"):
        await copy_database(bare, sqlite_url)


async def test_copy_onto_itself_is_refused(sqlite_url: str) -> None:
    plain = sqlite_url.replace("sqlite+aiosqlite://", "sqlite://")
    with pytest.raises(CopyError, match="same database"):
        await copy_database(sqlite_url, plain, overwrite=True)


async def test_failed_copy_leaves_target_unchanged(sqlite_url: str, tmp_path: Path) -> None:
    await _fill(sqlite_url)
    target = await _new_sqlite(tmp_path, "target.sqlite3")
    await _fill_users_only(target)
    before = await _dump(target)
    # A child row whose parent is missing: the target's foreign key rejects it mid-copy.
    engine = create_engine(sqlite_url)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await connection.execute(
            insert(Check), [{"user_id": 424242, "tier": "none", "checked_at": NOW}]
        )
    await engine.dispose()

    with pytest.raises(Exception, match="FOREIGN KEY"):
        await copy_database(sqlite_url, target, overwrite=True)

    assert await _dump(target) == before
