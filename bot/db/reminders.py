"""The due queue in the database: claim due reminders atomically, record each result.

A claim runs in one transaction: lock due users (PostgreSQL: ``FOR UPDATE SKIP LOCKED`` so
replicas never take the same rows; SQLite: the ``UPDATE ... RETURNING`` takes the write lock),
insert a delivery per reminder (unique on user, due instant and kind, so a reminder can never
be sent twice), and advance each user's queue entry. Sending happens after the commit.

A delivery then moves pending -> sending -> a final status. ``claimed_at`` and
``claimed_by`` are the claimer's token: a process only starts sending deliveries it still
holds. When a process dies, its pending deliveries are taken over after the lease; its sending
ones may have reached Telegram, so they are marked unknown and never sent again.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    false,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import activity
from bot.db.dialect import insert_for
from bot.db.models import Activity, Delivery, User
from bot.db.types import UTCDateTime
from bot.domain.activity import ActivityKind
from bot.domain.reminders import DeliveryKind, DeliveryStatus, decide_daily, decide_snooze

# Deciding and picking for a claimed batch yields to the event loop after this many users.
YIELD_EVERY = 250
# Who claims, as stored in deliveries.claimed_by: one value per process.
THIS_PROCESS = f"{socket.gethostname()}:{os.getpid()}"[:80]
# The claim time of a released delivery: long past any lease, so the next tick takes it.
RELEASED_AT = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DueUser:
    """A user whose reminder fell due, as locked by the claim."""

    user_id: int
    chat_id: int
    due_at: datetime
    kind: DeliveryKind
    timezone: str
    reminder_time: time | None
    reminder_days: int
    focus_areas: list[str]
    level: int
    precaution_answers: int


StretchChooser = Callable[[DueUser, list[str]], str]


class Claim(NamedTuple):
    """What one claim took: deliveries to send now, and how many missed ones it skipped."""

    deliveries: list[ClaimedDelivery]
    skipped: int


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery this process now owns and must send."""

    delivery_id: int
    user_id: int
    chat_id: int
    kind: DeliveryKind
    due_at: datetime
    stretch_id: str | None
    claimed_at: datetime
    claimed_by: str


def may_receive(now: datetime) -> ColumnElement[bool]:
    """Users who may get a reminder now: neither on hold nor paused.

    The SQL twin of ``domain.reminders.may_receive_reminders`` (a test holds them equal): the
    queue entry is already cleared or moved by a hold or pause, but an old Snooze button, a
    claim made just before the hold, or a stale process must not get around it either.
    """
    pause_over = and_(User.paused_until.is_not(None), User.paused_until <= now)
    return and_(User.on_hold_since.is_(None), or_(User.paused == false(), pause_over))


def _lock_due(column: Any, now: datetime, limit: int) -> Any:
    # `User.active == true()` renders the literal the partial index is defined with.
    return (
        select(User.id)
        .where(User.active == true(), column <= now, may_receive(now))
        .order_by(column)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def _claim_users(
    session: AsyncSession, kind: DeliveryKind, now: datetime, limit: int
) -> list[DueUser]:
    column = User.next_due_at if kind is DeliveryKind.DAILY else User.snooze_due_at
    # The no-op assignment makes this a write, so SQLite takes its write lock before reading
    # the due rows: two ticks can never read the same rows as due.
    statement = (
        update(User)
        .where(User.id.in_(_lock_due(column, now, limit)))
        .values({column: column})
        .returning(
            User.id,
            User.chat_id,
            column,
            User.timezone,
            User.reminder_time,
            User.reminder_days,
            User.focus_areas,
            User.level,
            User.precaution_answers,
        )
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(statement)).all()
    # The WHERE clause compared the due column with now, so it is never NULL here.
    return [
        DueUser(
            user_id=row[0],
            chat_id=row[1],
            due_at=row[2] or now,
            kind=kind,
            timezone=row[3],
            reminder_time=row[4],
            reminder_days=row[5],
            focus_areas=list(row[6] or []),
            level=row[7],
            precaution_answers=row[8],
        )
        for row in rows
    ]


def _insert_ignoring_duplicates(session: AsyncSession) -> Any:
    # On the Core table: the ORM's bulk insert costs several times more per row.
    table = cast(Table, Delivery.__table__)
    return insert_for(session, table).on_conflict_do_nothing(
        index_elements=[table.c.user_id, table.c.due_at, table.c.kind]
    )


async def claim_due_reminders(
    session: AsyncSession,
    now: datetime,
    *,
    limit: int,
    grace: timedelta,
    choose_stretch: StretchChooser,
    claimer: str = THIS_PROCESS,
) -> Claim:
    """Claim up to ``limit`` due reminders; the caller commits, then sends what is returned.

    ``choose_stretch(user: DueUser, recent_ids: list[str]) -> str`` picks each card's stretch
    now, so a delivery recovered after a crash shows the same stretch.
    """
    daily = await _claim_users(session, DeliveryKind.DAILY, now, limit)
    snoozed = await _claim_users(session, DeliveryKind.SNOOZE, now, limit)
    recent = await activity.recent_stretches(session, [u.user_id for u in (*daily, *snoozed)], now)

    rows: list[dict[str, Any]] = []
    next_dues: list[dict[str, Any]] = []
    for index, user in enumerate(daily, 1):
        decision = decide_daily(
            user.due_at, now, grace, user.reminder_time, user.reminder_days, user.timezone
        )
        next_dues.append({"b_id": user.user_id, "b_next_due_at": decision.next_due})
        rows.append(_delivery_row(user, now, claimer, decision.send, choose_stretch, recent))
        if index % YIELD_EVERY == 0:
            # About 30 us of pure Python a user: let the event loop breathe (docs/benchmarks.md).
            await asyncio.sleep(0)
    for user in snoozed:
        rows.append(
            _delivery_row(
                user, now, claimer, decide_snooze(user.due_at, now, grace), choose_stretch, recent
            )
        )
    if next_dues:
        # Core executemany: the ORM's bulk update by primary key costs far more per row.
        users = cast(Table, User.__table__)
        await session.execute(
            update(users)
            .where(users.c.id == bindparam("b_id"))
            .values(next_due_at=bindparam("b_next_due_at", type_=UTCDateTime)),
            next_dues,
        )
    if snoozed:
        await session.execute(
            update(User)
            .where(User.id.in_([u.user_id for u in snoozed]))
            .values(snooze_due_at=None)
            .execution_options(synchronize_session=False)
        )
    deliveries = await _insert_deliveries(
        session, rows, {(u.user_id, u.kind): u for u in (*daily, *snoozed)}, now, claimer
    )
    skipped = sum(1 for row in rows if row["status"] == DeliveryStatus.SKIPPED.value)
    return Claim(deliveries, skipped)


def _delivery_row(
    user: DueUser,
    now: datetime,
    claimer: str,
    send: bool,
    choose_stretch: StretchChooser,
    recent: dict[int, list[str]],
) -> dict[str, Any]:
    return {
        "user_id": user.user_id,
        "due_at": user.due_at,
        "kind": user.kind.value,
        "status": (DeliveryStatus.PENDING if send else DeliveryStatus.SKIPPED).value,
        "attempts": 0,
        "stretch_id": choose_stretch(user, recent.get(user.user_id, [])) if send else None,
        "claimed_at": now,
        "claimed_by": claimer,
        "finished_at": None if send else now,
    }


async def _insert_deliveries(
    session: AsyncSession,
    rows: list[dict[str, Any]],
    users: dict[tuple[int, DeliveryKind], DueUser],
    now: datetime,
    claimer: str,
) -> list[ClaimedDelivery]:
    if not rows:
        return []
    statement = _insert_ignoring_duplicates(session)
    columns = statement.table.c
    inserted = await session.execute(
        statement.returning(
            columns.id, columns.user_id, columns.kind, columns.status, columns.stretch_id
        ),
        rows,
    )
    claimed = []
    for delivery_id, user_id, kind, status, stretch_id in inserted:
        if status != DeliveryStatus.PENDING.value:
            continue
        user = users[(user_id, DeliveryKind(kind))]
        claimed.append(
            ClaimedDelivery(
                delivery_id,
                user_id,
                user.chat_id,
                user.kind,
                user.due_at,
                stretch_id,
                now,
                claimer,
            )
        )
    return claimed


async def reclaim_abandoned(
    session: AsyncSession,
    now: datetime,
    *,
    lease: timedelta,
    grace: timedelta,
    limit: int,
    claimer: str = THIS_PROCESS,
) -> list[ClaimedDelivery]:
    """Take over pending deliveries whose claimer died before sending (lease expired).

    Ones past the grace period are skipped instead, like any reminder missed during downtime.
    Abandoned *sending* ones may have reached Telegram: they become unknown, never resent.
    """
    await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING.value, Delivery.claimed_at < now - lease)
        .values(status=DeliveryStatus.UNKNOWN.value, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    stale = (
        select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING.value, Delivery.claimed_at < now - lease)
        .order_by(Delivery.claimed_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(stale))
            .values(claimed_at=now, claimed_by=claimer)
            .returning(
                Delivery.id, Delivery.user_id, Delivery.kind, Delivery.due_at, Delivery.stretch_id
            )
            .execution_options(synchronize_session=False)
        )
    ).all()
    if not rows:
        return []
    chats = dict(
        (
            await session.execute(
                select(User.id, User.chat_id).where(User.id.in_([r[1] for r in rows]))
            )
        ).all()
    )
    claimed, expired = [], []
    for delivery_id, user_id, kind, due_at, stretch_id in rows:
        if now - due_at >= grace:
            expired.append(delivery_id)
        else:
            claimed.append(
                ClaimedDelivery(
                    delivery_id,
                    user_id,
                    chats[user_id],
                    DeliveryKind(kind),
                    due_at,
                    stretch_id,
                    now,
                    claimer,
                )
            )
    if expired:
        await finish_deliveries(
            session, [(i, DeliveryStatus.SKIPPED, None, 0) for i in expired], now
        )
    return claimed


async def release_pending(session: AsyncSession, claimer: str = THIS_PROCESS) -> int:
    """Give back the pending deliveries ``claimer`` holds (it is shutting down): any process's
    next tick takes them over at once, rather than after the lease. Returns how many."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING.value, Delivery.claimed_by == claimer)
        .values(claimed_at=RELEASED_AT, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def start_sending(
    session: AsyncSession, deliveries: Sequence[ClaimedDelivery], now: datetime
) -> set[int]:
    """Mark deliveries as being sent; returns the ids this process still held and may send.

    Deliveries of users put on hold or paused since the claim are cancelled instead.
    """
    if not deliveries:
        return set()
    first = deliveries[0]
    held_by_us = and_(
        Delivery.id.in_([d.delivery_id for d in deliveries]),
        Delivery.status == DeliveryStatus.PENDING.value,
        Delivery.claimed_at == first.claimed_at,
        Delivery.claimed_by == first.claimed_by,
    )
    user_ids = {d.user_id for d in deliveries}
    may_not = select(User.id).where(User.id.in_(user_ids), ~may_receive(now))
    await session.execute(
        update(Delivery)
        .where(held_by_us, Delivery.user_id.in_(may_not))
        .values(status=DeliveryStatus.CANCELLED.value, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = await session.scalars(
        update(Delivery)
        .where(held_by_us)
        .values(status=DeliveryStatus.SENDING.value)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    return set(rows)


async def finish_deliveries(
    session: AsyncSession,
    results: Iterable[tuple[int, DeliveryStatus, int | None, int]],
    now: datetime,
) -> None:
    """Record results: (delivery id, status, Telegram message id, attempts made).

    PENDING puts a delivery back in the queue (every attempt failed before reaching Telegram);
    the lease then hands it to a later tick.
    """
    params = [
        {
            "b_id": delivery_id,
            "b_status": status.value,
            "b_message_id": message_id,
            "b_attempts": attempts,
            "b_finished_at": None if status is DeliveryStatus.PENDING else now,
        }
        for delivery_id, status, message_id, attempts in results
    ]
    if not params:
        return
    # A Core UPDATE, not the ORM's by-primary-key one: a delivery deleted meanwhile (the user
    # sent /forget) is simply not there any more, which must not fail the whole chunk.
    table = cast(Table, Delivery.__table__)
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status=bindparam("b_status"),
            message_id=bindparam("b_message_id"),
            attempts=bindparam("b_attempts"),
            finished_at=bindparam("b_finished_at", type_=UTCDateTime),
        ),
        params,
    )


async def log_reminders_sent(
    session: AsyncSession, sent: Iterable[tuple[int, str | None]], now: datetime
) -> None:
    """A REMINDER_SENT activity row per (user id, stretch id), in one bulk INSERT.

    One ORM object per row (``activity.log_activity``) made recording a chunk of sends cost
    more than sending it (docs/benchmarks.md).
    """
    sent = list(sent)
    if not sent:
        return
    # Users who sent /forget while their reminder was on its way have no rows to add to;
    # locking the rest keeps a concurrent /forget from deleting them before the insert.
    still_here = set(
        await session.scalars(
            select(User.id).where(User.id.in_({user_id for user_id, _ in sent})).with_for_update()
        )
    )
    rows = [
        {
            "user_id": user_id,
            "kind": ActivityKind.REMINDER_SENT.value,
            "stretch_id": stretch_id,
            "at": now,
        }
        for user_id, stretch_id in sent
        if user_id in still_here
    ]
    if rows:
        await session.execute(insert(Activity), rows)


async def deactivate_users(session: AsyncSession, user_ids: Iterable[int], now: datetime) -> None:
    ids = list(user_ids)
    if ids:
        await session.execute(
            update(User)
            .where(User.id.in_(ids))
            .values(active=False, updated_at=now)
            .execution_options(synchronize_session=False)
        )
