"""Values the bot keeps for itself between runs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import AppState


async def get_or_create(session: AsyncSession, key: str, make_value: str) -> str:
    """The stored value for ``key``; stores ``make_value`` first if there is none.

    Insert-if-absent, so replicas starting together all end up with the same value.
    """
    await session.execute(
        insert_for(session, AppState)
        .values(key=key, value=make_value)
        .on_conflict_do_nothing(index_elements=[AppState.key])
    )
    stored = await session.get(AppState, key)
    assert stored is not None
    return stored.value


HEARTBEAT_KEY = "heartbeat"


async def write_heartbeat(session: AsyncSession, value: str) -> None:
    """Overwrite the heartbeat row: /healthz proves with it that the database takes writes."""
    statement = insert_for(session, AppState).values(key=HEARTBEAT_KEY, value=value)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[AppState.key], set_={"value": statement.excluded.value}
        )
    )
