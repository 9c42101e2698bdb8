"""The claim's queries in send order are index range scans (SQLite's plan): no sort per tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects import sqlite

from bot.db.engine import create_engine
from bot.db.models import User
from bot.db.reminders import _due_in, _in_send_order, _lock_due
from bot.domain.send_order import Bounds, Lateness
from bot.reminders.kinds.stretch import stretch_kinds

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


async def test_every_part_of_every_kind_is_read_through_its_index_in_order(sqlite_url: str) -> None:
    bounds = Bounds.at(NOW, timedelta(hours=2))
    engine = create_engine(sqlite_url)
    async with engine.connect() as connection:
        for kind in stretch_kinds(lambda user, recent: "glute-bridge"):
            for part in Lateness:
                for query in (
                    select(kind.due_column, User.last_lateness_seconds)
                    .where(*_due_in(kind, bounds, part))
                    .order_by(*_in_send_order(kind))
                    .limit(10),
                    _lock_due(kind, bounds, part, 10),
                ):
                    sql = query.compile(
                        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
                    )
                    plan = " ".join(
                        str(row[-1])
                        for row in await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
                    )
                    assert f"USING INDEX ix_users_{kind.due_column.key}_active" in plan, plan
                    assert "TEMP B-TREE" not in plan, plan
    await engine.dispose()
