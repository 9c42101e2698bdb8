"""/mydata and /forget: everything stored about a user, exported or deleted."""

from __future__ import annotations

from typing import Any

from bot.db.engine import checkpoint_wal
from bot.db.privacy import delete_user, export_user
from bot.services import Services

Export = dict[str, list[dict[str, Any]]]


async def export(svc: Services, user_id: int) -> Export:
    """Every row about the user in every table, JSON-ready (empty lists when there are none)."""
    async with svc.sessions() as session:
        return await export_user(session, user_id)


async def forget(svc: Services, user_id: int) -> None:
    """Delete every row about the user, and make sure the deleted rows leave the disk too."""
    async with svc.transaction() as session:
        await delete_user(session, user_id)
    await checkpoint_wal(svc.sessions)
