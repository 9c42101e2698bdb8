"""Queries about the weekly summary."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Delivery
from bot.domain.reminders import DeliveryStatus

# A summary in any of these states went out, or may have.
GONE_OUT = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.UNKNOWN,
)


async def last_summary_due(session: AsyncSession, user_id: int, kind: str) -> datetime | None:
    """The due instant of the user's latest summary that went out (or may have), if any."""
    result: datetime | None = await session.scalar(
        select(func.max(Delivery.due_at)).where(
            Delivery.user_id == user_id,
            Delivery.kind == kind,
            Delivery.status.in_([status.value for status in GONE_OUT]),
        )
    )
    return result
