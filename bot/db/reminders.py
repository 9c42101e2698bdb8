"""The due queue in the database: claim due reminders atomically, record each result.

Each kind of reminder (``QueueKind``: the daily stretch card, a snoozed one...) keeps its queue
entry in its own ``users`` column. A claim runs in one transaction over every kind: lock due
users (PostgreSQL: ``FOR UPDATE SKIP LOCKED`` so replicas never take the same rows; SQLite: the
``UPDATE ... RETURNING`` takes the write lock), insert a delivery per reminder (unique on user,
due instant and kind, so a reminder can never be sent twice), and advance each user's entry as
the kind decides. Sending happens after the commit.

What a claim takes, and the order it is sent in, is ``domain.send_order``'s: earliest due first
across every kind, who waited longer last time first among reminders due together, a late
backlog held to its share. Each kind's partial index is in that order, so every query of the
claim is an index range scan.

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
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    String,
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
from sqlalchemy.orm import QueryableAttribute

from bot.db.dialect import insert_for
from bot.db.models import Activity, Delivery, User
from bot.db.types import UTCDateTime
from bot.domain.activity import ActivityKind
from bot.domain.reminders import DeliveryStatus, DueDecision
from bot.domain.send_order import Bounds, Lateness, SendKey, plan_claim

# Deciding and picking for a claimed batch yields to the event loop after this many users.
YIELD_EVERY = 250
# Who claims, as stored in deliveries.claimed_by: one value per process.
THIS_PROCESS = f"{socket.gethostname()}:{os.getpid()}"[:80]
# The claim time of a released delivery: long past any lease, so the next tick takes it.
RELEASED_AT = datetime(1970, 1, 1, tzinfo=UTC)
# The longest kind name deliveries.kind can store.
KIND_NAME_LENGTH = cast(String, cast(Table, Delivery.__table__).c.kind.type).length or 0
# A claimed row as a kind loads it: users.id, users.chat_id, the due instant, then its columns.
DueRow = Sequence[Any]


class DueEntry(Protocol):
    """What the claim needs of every due row a kind loads: whose it is and when it fell due."""

    @property
    def user_id(self) -> int: ...

    @property
    def chat_id(self) -> int: ...

    @property
    def due_at(self) -> datetime: ...


DueT = TypeVar("DueT", bound=DueEntry)
# Picks what a delivery shows (stored in deliveries.stretch_id), or None.
Chooser = Callable[[DueT], str | None]


class QueueKind(Protocol[DueT]):
    """The queue half of a reminder kind: what the claim and the last check before sending
    need. ``bot.reminders.kinds.ReminderKind`` documents each member and adds the message."""

    name: str  # stored in deliveries.kind (at most KIND_NAME_LENGTH characters)
    due_column: QueryableAttribute[datetime | None]  # on users, with a partial index
    columns: tuple[QueryableAttribute[Any], ...]  # read after users.id, chat_id, the due instant

    def audience(self, now: datetime) -> ColumnElement[bool] | None: ...

    def load(self, row: DueRow) -> DueT: ...

    def decide(self, due: DueT, now: datetime, grace: timedelta) -> DueDecision: ...

    async def prepare(
        self, session: AsyncSession, due: Sequence[DueT], now: datetime
    ) -> Sequence[DueT]: ...

    async def chooser(
        self, session: AsyncSession, due: Sequence[DueT], now: datetime
    ) -> Chooser[DueT]: ...


class Claim(NamedTuple):
    """What one claim took: deliveries to send now, and how many missed ones it skipped."""

    deliveries: list[ClaimedDelivery]
    skipped: int


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery this process now owns and must send, with the user's chat and language (read
    by the claim and by reclaim_abandoned), so each kind composes it in that language."""

    delivery_id: int
    user_id: int
    chat_id: int
    kind: str
    due_at: datetime
    stretch_id: str | None  # what the kind chose to show at the claim, if anything
    claimed_at: datetime
    claimed_by: str
    language: str | None = None
    # How late the user's previous reminder went out (seconds): the send order's tie-break.
    waited_seconds: int = 0


def may_receive(now: datetime) -> ColumnElement[bool]:
    """Users who may get a reminder now: neither on hold nor paused.

    The SQL twin of ``domain.reminders.may_receive_reminders`` (a test holds them equal): the
    queue entry is already cleared or moved by a hold or pause, but an old Snooze button, a
    claim made just before the hold, or a stale process must not get around it either.
    """
    pause_over = and_(User.paused_until.is_not(None), User.paused_until <= now)
    return and_(User.on_hold_since.is_(None), or_(User.paused == false(), pause_over))


def _due_in(kind: QueueKind[Any], bounds: Bounds, part: Lateness) -> list[ColumnElement[bool]]:
    """Active users in ``kind``'s audience whose entry is in ``part`` of the queue."""
    column = kind.due_column
    # `User.active == true()` renders the literal the partial index is defined with.
    conditions = [User.active == true()]
    if part is Lateness.EXPIRED:
        conditions.append(column < bounds.expired_before)
    elif part is Lateness.BACKLOG:
        conditions += [column >= bounds.expired_before, column < bounds.backlog_before]
    else:
        conditions += [column >= bounds.backlog_before, column <= bounds.now]
    audience = kind.audience(bounds.now)
    if audience is not None:
        conditions.append(audience)
    return conditions


def _in_send_order(kind: QueueKind[Any]) -> tuple[Any, ...]:
    # The order of the kind's partial index (models.py): domain.send_order.SendKey.
    return (kind.due_column, User.last_lateness_seconds.desc())


async def _candidates(
    session: AsyncSession, kind: QueueKind[Any], bounds: Bounds, limit: int
) -> dict[Lateness, list[SendKey]]:
    """The first ``limit`` due entries of each part of ``kind``'s queue, in send order: what
    ``plan_claim`` weighs against the other kinds. Unlocked: the claim locks what it takes."""
    column = kind.due_column
    parts = {}
    for part in Lateness:
        rows = await session.execute(
            select(column, User.last_lateness_seconds)
            .where(*_due_in(kind, bounds, part))
            .order_by(*_in_send_order(kind))
            .limit(limit)
        )
        # The WHERE clause compared the due column with an instant, so it is never NULL here.
        parts[part] = [SendKey.of(cast(datetime, due), waited) for due, waited in rows.all()]
    return parts


def _lock_due(kind: QueueKind[Any], bounds: Bounds, part: Lateness, limit: int) -> Any:
    return (
        select(User.id)
        .where(*_due_in(kind, bounds, part))
        .order_by(*_in_send_order(kind))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def _claim_due(
    session: AsyncSession,
    kind: QueueKind[DueT],
    bounds: Bounds,
    part: Lateness,
    limit: int,
    users: dict[int, tuple[str | None, int]],
) -> list[DueT]:
    """Lock and read the first ``limit`` due users of ``part`` of ``kind``'s queue; notes each
    one's language and last lateness in ``users``."""
    column = kind.due_column
    # The no-op assignment makes this a write, so SQLite takes its write lock before reading
    # the due rows: two ticks can never read the same rows as due.
    statement = (
        update(User)
        .where(User.id.in_(_lock_due(kind, bounds, part, limit)))
        .values({column: column})
        .returning(
            User.id,
            User.chat_id,
            column,
            *kind.columns,
            User.language,
            User.last_lateness_seconds,
        )
        .execution_options(synchronize_session=False)
    )
    due = []
    # The WHERE clause compared the due column with now, so it is never NULL here.
    for row in (await session.execute(statement)).all():
        users[row[0]] = (row[-2], row[-1])
        due.append(kind.load(row[:-2]))
    return due


async def _store_next_dues(
    session: AsyncSession,
    column: QueryableAttribute[datetime | None],
    moved: list[dict[str, Any]],
    cleared: list[int],
) -> None:
    if moved:
        # Core executemany: the ORM's bulk update by primary key costs far more per row.
        users = cast(Table, User.__table__)
        await session.execute(
            update(users)
            .where(users.c.id == bindparam("b_id"))
            .values({column.key: bindparam("b_next_due", type_=UTCDateTime)}),
            moved,
        )
    if cleared:
        await session.execute(
            update(User)
            .where(User.id.in_(cleared))
            .values({column: None})
            .execution_options(synchronize_session=False)
        )


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
    kinds: Iterable[QueueKind[Any]],
    limit: int,
    grace: timedelta,
    claimer: str = THIS_PROCESS,
) -> Claim:
    """Claim the first ``limit`` due reminders to send across all kinds, in send order
    (``domain.send_order``), plus up to ``limit`` of each kind's expired ones (recorded as
    skipped); the caller commits, then sends what is returned, in the order returned. What each
    delivery shows is chosen now, so a recovered one shows the same."""
    kinds = list(kinds)
    bounds = Bounds.at(now, grace)
    plan = plan_claim(
        {kind.name: await _candidates(session, kind, bounds, limit) for kind in kinds}, limit
    )
    rows: list[dict[str, Any]] = []
    claimed: dict[tuple[int, str], DueEntry] = {}
    users: dict[int, tuple[str | None, int]] = {}
    decided = 0
    for kind in kinds:
        claimed_due: list[Any] = []
        for part, count in sorted(plan[kind.name].items()):
            if count:
                claimed_due += await _claim_due(session, kind, bounds, part, count, users)
        due = await kind.prepare(session, claimed_due, now) if claimed_due else claimed_due
        if not due:
            continue
        choose = await kind.chooser(session, due, now)
        moved: list[dict[str, Any]] = []
        cleared: list[int] = []
        for entry in due:
            decision = kind.decide(entry, now, grace)
            if decision.next_due is None:
                cleared.append(entry.user_id)
            else:
                moved.append({"b_id": entry.user_id, "b_next_due": decision.next_due})
            rows.append(_delivery_row(entry, kind.name, now, claimer, decision.send, choose))
            claimed[(entry.user_id, kind.name)] = entry
            decided += 1
            if decided % YIELD_EVERY == 0:
                # About 30 us of Python a user: let the event loop breathe (docs/benchmarks.md).
                await asyncio.sleep(0)
        await _store_next_dues(session, kind.due_column, moved, cleared)
    deliveries = await _insert_deliveries(session, rows, claimed, users, now, claimer)
    skipped = sum(1 for row in rows if row["status"] == DeliveryStatus.SKIPPED.value)
    return Claim(sorted(deliveries, key=send_key), skipped)


def send_key(delivery: ClaimedDelivery) -> SendKey:
    """Where a claimed delivery stands in the send order (``domain.send_order``)."""
    return SendKey.of(delivery.due_at, delivery.waited_seconds)


def _delivery_row(
    entry: DueT,
    kind: str,
    now: datetime,
    claimer: str,
    send: bool,
    choose: Chooser[DueT],
) -> dict[str, Any]:
    return {
        "user_id": entry.user_id,
        "due_at": entry.due_at,
        "kind": kind,
        "status": (DeliveryStatus.PENDING if send else DeliveryStatus.SKIPPED).value,
        "attempts": 0,
        "stretch_id": choose(entry) if send else None,
        "claimed_at": now,
        "claimed_by": claimer,
        "finished_at": None if send else now,
    }


async def _insert_deliveries(
    session: AsyncSession,
    rows: list[dict[str, Any]],
    claimed: dict[tuple[int, str], DueEntry],
    users: dict[int, tuple[str | None, int]],
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
    deliveries = []
    for delivery_id, user_id, kind, status, stretch_id in inserted:
        if status != DeliveryStatus.PENDING.value:
            continue
        entry = claimed[(user_id, kind)]
        language, waited = users.get(user_id, (None, 0))
        deliveries.append(
            ClaimedDelivery(
                delivery_id,
                user_id,
                entry.chat_id,
                kind,
                entry.due_at,
                stretch_id,
                now,
                claimer,
                language,
                waited,
            )
        )
    return deliveries


async def reclaim_abandoned(
    session: AsyncSession,
    now: datetime,
    *,
    kinds: Iterable[QueueKind[Any]],
    lease: timedelta,
    grace: timedelta,
    limit: int,
    claimer: str = THIS_PROCESS,
) -> list[ClaimedDelivery]:
    """Take over pending deliveries of ``kinds`` whose claimer died before sending (lease
    expired). Other kinds are left for a process that knows them (a newer release, during a
    rolling update).

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
        .where(
            Delivery.status == DeliveryStatus.PENDING.value,
            Delivery.claimed_at < now - lease,
            Delivery.kind.in_([kind.name for kind in kinds]),
            or_(Delivery.retry_at.is_(None), Delivery.retry_at <= now),
        )
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
    users = {
        user_id: (chat_id, language, waited)
        for user_id, chat_id, language, waited in await session.execute(
            select(User.id, User.chat_id, User.language, User.last_lateness_seconds).where(
                User.id.in_([r[1] for r in rows])
            )
        )
    }
    claimed, expired = [], []
    for delivery_id, user_id, kind, due_at, stretch_id in rows:
        if now - due_at >= grace:
            expired.append(delivery_id)
        else:
            claimed.append(
                ClaimedDelivery(
                    delivery_id,
                    user_id,
                    users[user_id][0],
                    kind,
                    due_at,
                    stretch_id,
                    now,
                    claimer,
                    users[user_id][1],
                    users[user_id][2],
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


async def requeue_deliveries(
    session: AsyncSession, refused: Iterable[tuple[int, int, datetime]]
) -> None:
    """Put deliveries Telegram refused with 429 back in the queue: (delivery id, attempts made,
    not before). Released, so whichever process ticks after that instant sends them."""
    params = [
        {"b_id": delivery_id, "b_attempts": attempts, "b_retry_at": retry_at}
        for delivery_id, attempts, retry_at in refused
    ]
    if not params:
        return
    table = cast(Table, Delivery.__table__)
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status=DeliveryStatus.PENDING.value,
            attempts=bindparam("b_attempts"),
            retry_at=bindparam("b_retry_at", type_=UTCDateTime),
            claimed_at=RELEASED_AT,
            claimed_by=None,
        ),
        params,
    )


async def start_sending(
    session: AsyncSession,
    deliveries: Sequence[ClaimedDelivery],
    now: datetime,
    *,
    kinds: Iterable[QueueKind[Any]],
) -> set[int]:
    """Mark deliveries as being sent; returns the ids this process still held and may send.

    Deliveries whose user left the kind's audience since the claim (put on hold or paused)
    are cancelled instead.
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
    present = {d.kind for d in deliveries}
    for kind in kinds:
        audience = kind.audience(now) if kind.name in present else None
        if audience is None:
            continue
        user_ids = {d.user_id for d in deliveries if d.kind == kind.name}
        may_not = select(User.id).where(User.id.in_(user_ids), ~audience)
        await session.execute(
            update(Delivery)
            .where(held_by_us, Delivery.kind == kind.name, Delivery.user_id.in_(may_not))
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


async def record_lateness(session: AsyncSession, late: Iterable[tuple[int, float]]) -> None:
    """Store how late each (user id, seconds) user's reminder went out: the next time many are
    due together, who waited longer goes first."""
    params = [{"b_id": user_id, "b_late": max(0, round(seconds))} for user_id, seconds in late]
    if params:
        users = cast(Table, User.__table__)
        await session.execute(
            update(users)
            .where(users.c.id == bindparam("b_id"))
            .values(last_lateness_seconds=bindparam("b_late")),
            params,
        )


async def log_reminders_sent(
    session: AsyncSession, sent: Iterable[tuple[int, ActivityKind, str | None]], now: datetime
) -> None:
    """An activity row per (user id, activity, stretch id), in one bulk INSERT.

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
            select(User.id)
            .where(User.id.in_({user_id for user_id, _, _ in sent}))
            .with_for_update()
        )
    )
    rows = [
        {"user_id": user_id, "kind": activity.value, "stretch_id": stretch_id, "at": now}
        for user_id, activity, stretch_id in sent
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
