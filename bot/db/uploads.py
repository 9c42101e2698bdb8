"""Telegram file ids of the drawings the bot uploaded, by the drawing's digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import UploadedFile


async def file_id_for(session: AsyncSession, digest: str) -> str | None:
    found: str | None = await session.scalar(
        select(UploadedFile.file_id).where(UploadedFile.digest == digest)
    )
    return found


async def remember_file_id(
    session: AsyncSession, digest: str, kind: str, file_id: str, now: datetime
) -> None:
    """Store (or replace) the file id of the drawing with ``digest``."""
    statement = insert_for(session, UploadedFile).values(
        digest=digest, kind=kind, file_id=file_id, uploaded_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[UploadedFile.digest],
            set_={"file_id": statement.excluded.file_id, "uploaded_at": now},
        )
    )


async def forget_file_id(session: AsyncSession, digest: str, file_id: str) -> None:
    """Drop a file id Telegram refused; a newer one stored meanwhile stays."""
    await session.execute(
        delete(UploadedFile).where(UploadedFile.digest == digest, UploadedFile.file_id == file_id)
    )
