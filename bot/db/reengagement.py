"""What the re-engagement rule (``domain.reengagement``) reads for a claimed batch, and the
self-pause it can lead to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db.models import Activity, Delivery, User
from bot.domain.activity import USER_ACTIONS
from bot.domain.reengagement import IGNORED_IN_A_ROW, SentReminder, Step, reengagement_step
from bot.domain.reminders import DeliveryKind, DeliveryStatus

# Stored in deliveries.stretch_id for a daily delivery that carried the offer instead of a
# stretch: no stretch id can start with "~" (render.callbacks.STRETCH_ID).
OFFER_MARK = "~offer"
# Reminders that reached the user, or may have (a timeout after sending: never resent, and
# counted as delivered here too, so an offer is never made twice).
DELIVERED = (DeliveryStatus.SENT.value, DeliveryStatus.UNKNOWN.value)


async def reengagement_steps(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, Step]:
    """The step of each user whose daily reminder is due; users left out are on REMIND.

    Only users with at least seven delivered daily reminders and nothing of theirs recorded
    since the seventh-newest can be due an offer or a lapse, so one query finds them (a few
    index lookups each: the seventh-newest delivery, then any activity after it) and a second
    loads their few deliveries since then.
    """
    if not user_ids:
        return {}
    sent = aliased(Delivery)
    delivered_daily = and_(
        sent.user_id == User.id,
        sent.kind == DeliveryKind.DAILY.value,
        sent.status.in_(DELIVERED),
    )
    seventh = (
        select(sent.due_at)
        .where(delivered_daily)
        .order_by(sent.due_at.desc())
        .limit(1)
        .offset(IGNORED_IN_A_ROW - 1)
        .scalar_subquery()
    )
    # Materialized, so each user's seventh-newest delivery is looked up once (both engines
    # would otherwise inline it into every condition that reads it).
    users = (
        select(User.id.label("user_id"), User.updated_at, seventh.label("seventh"))
        .where(User.id.in_(user_ids))
        .cte("users_seventh")
        .prefix_with("MATERIALIZED")
    )
    engaged = exists().where(
        Activity.user_id == users.c.user_id,
        Activity.at > users.c.seventh,
        Activity.kind.in_([kind.value for kind in USER_ACTIONS]),
    )
    quiet = {
        user_id: since
        for user_id, since in await session.execute(
            select(users.c.user_id, users.c.seventh).where(
                users.c.seventh.is_not(None), users.c.updated_at <= users.c.seventh, ~engaged
            )
        )
    }
    if not quiet:
        return {}
    history: dict[int, list[SentReminder]] = {user_id: [] for user_id in quiet}
    # The status is checked here rather than in SQL: SQLite would pick the status index and
    # read every delivered reminder of every user, instead of these users' last few days.
    rows = await session.execute(
        select(Delivery.user_id, Delivery.due_at, Delivery.stretch_id, Delivery.status).where(
            Delivery.user_id.in_(quiet),
            Delivery.kind == DeliveryKind.DAILY.value,
            Delivery.due_at >= min(quiet.values()),
        )
    )
    for user_id, due_at, shown, status in rows:
        if status in DELIVERED and due_at >= quiet[user_id]:
            history[user_id].append(SentReminder(due_at, offer=shown == OFFER_MARK))
    # Nothing of theirs since the seventh-newest reminder, so every one listed was ignored.
    return {user_id: reengagement_step(sent_list, None) for user_id, sent_list in history.items()}


async def pause_lapsed(session: AsyncSession, user_ids: Sequence[int]) -> None:
    """Pause reminders until the user resumes: the offer went unanswered. ``updated_at`` is
    left alone, since it records the user's own changes (a sign they are still here)."""
    if not user_ids:
        return
    await session.execute(
        update(User)
        .where(User.id.in_(user_ids))
        .values(paused=True, paused_until=None, next_due_at=None, snooze_due_at=None)
        .execution_options(synchronize_session=False)
    )
