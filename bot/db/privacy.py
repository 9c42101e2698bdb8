"""Everything stored about one user: export it (/mydata) or delete it (/forget)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Base, User

# Tables that hold rows about a user, found through their user_id column (or id for users).
USER_KEY_COLUMNS = {
    table.name: (table.c.id if table.name == User.__tablename__ else table.c.user_id)
    for table in Base.metadata.sorted_tables
    if table.name == User.__tablename__ or "user_id" in table.c
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


async def export_user(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row about the user in every table, as JSON-ready dictionaries."""
    export: dict[str, list[dict[str, Any]]] = {}
    for name, key in USER_KEY_COLUMNS.items():
        rows = (await session.execute(select(key.table).where(key == user_id))).mappings()
        export[name] = [{column: _plain(value) for column, value in row.items()} for row in rows]
    return export


async def delete_user(session: AsyncSession, user_id: int) -> int:
    """Delete every row about the user; children first so no foreign key objects."""
    deleted = 0
    for table in reversed(Base.metadata.sorted_tables):
        key = USER_KEY_COLUMNS.get(table.name)
        if key is not None:
            result = await session.execute(delete(table).where(key == user_id))
            deleted += result.rowcount or 0  # type: ignore[attr-defined]
    return deleted
