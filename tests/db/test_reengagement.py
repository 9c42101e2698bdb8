"""The re-engagement step at the claim, on SQLite and PostgreSQL: one offer per user however
many replicas claim at once, then the self-pause, and replies read from the log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.activity import log_activity
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Delivery, User
from bot.db.reengagement import OFFER_MARK
from bot.db.reminders import claim_due_reminders
from bot.db.users import ensure_user
from bot.domain.activity import ActivityKind
from bot.domain.reminders import DeliveryStatus
from bot.reminders.kinds.stretch import DailyStretch, DueUser

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
GRACE = timedelta(hours=2)
KINDS = [DailyStretch(lambda user, recent: "glute-bridge")]
USERS = 60


def first_stretch(user: DueUser, recent: list[str]) -> str:
    return "glute-bridge"


async def ignoring_users(
    sessions: async_sessionmaker[AsyncSession],
    ids: range,
    *,
    sent: int = 7,
    offer: bool = False,
    offer_status: DeliveryStatus = DeliveryStatus.SENT,
) -> None:
    """Users who set their reminder a month ago and received ``sent`` daily reminders (the
    newest the offer, if ``offer``) without a reply; the next is due now."""
    async with sessions() as session, session.begin():
        rows = []
        for user_id in ids:
            user = await ensure_user(session, user_id, user_id, NOW - timedelta(days=30))
            user.reminder_time = time(7, 0)
            user.next_due_at = NOW
            for day in range(1, sent + 1):
                due = NOW - timedelta(days=day)
                rows.append(
                    {
                        "user_id": user_id,
                        "due_at": due,
                        "kind": "daily",
                        "status": (
                            offer_status if offer and day == 1 else DeliveryStatus.SENT
                        ).value,
                        "attempts": 1,
                        "stretch_id": OFFER_MARK if offer and day == 1 else "glute-bridge",
                        "claimed_at": due,
                        "finished_at": due,
                    }
                )
        await session.execute(insert(Delivery), rows)


async def claim_all(factory: async_sessionmaker[AsyncSession], now: datetime = NOW) -> list[str]:
    shown: list[str] = []
    while True:
        async with factory() as session, session.begin():
            batch = await claim_due_reminders(session, now, kinds=KINDS, limit=7, grace=GRACE)
        if not batch.deliveries:
            return shown
        shown.extend(d.stretch_id or "" for d in batch.deliveries)


async def test_replicas_send_one_offer_per_user_then_pause_them(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await ignoring_users(sessions, range(1, USERS + 1))
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        factories = [create_session_factory(engine) for engine in engines]
        results = await asyncio.gather(*(claim_all(factory) for factory in factories))
    finally:
        for engine in engines:
            await engine.dispose()
    shown = [item for result in results for item in result]
    assert shown == [OFFER_MARK] * USERS
    async with sessions() as session:
        offers = await session.scalar(select(func.count()).where(Delivery.stretch_id == OFFER_MARK))
    assert offers == USERS

    # The offers went out; a day later nobody answered: paused, nothing claimed.
    async with sessions() as session, session.begin():
        await session.execute(
            Delivery.__table__.update()  # type: ignore[attr-defined]
            .where(Delivery.stretch_id == OFFER_MARK, Delivery.due_at == NOW)
            .values(status=DeliveryStatus.SENT.value)
        )
    for _ in range(USERS // 7 + 1):  # ticks: a batch of lapsed users sends nothing
        assert await claim_all(sessions, NOW + timedelta(days=1)) == []
    async with sessions() as session:
        users = (await session.scalars(select(User))).all()
    assert [(u.paused, u.paused_until, u.next_due_at) for u in users] == [
        (True, None, None)
    ] * USERS


async def test_a_reply_in_the_log_or_a_settings_change_means_not_ignored(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await ignoring_users(sessions, range(1, 5))
    await ignoring_users(sessions, range(5, 6), sent=6)  # only six so far
    async with sessions() as session, session.begin():
        await log_activity(session, 1, ActivityKind.DONE, NOW - timedelta(days=3))
        await log_activity(session, 2, ActivityKind.SHOWN, NOW - timedelta(days=6, hours=1))
        user = await session.get(User, 3)
        assert user is not None
        user.updated_at = NOW - timedelta(hours=1)  # changed a setting
        # user 4 only received reminders: the log holds just those
        await log_activity(session, 4, ActivityKind.REMINDER_SENT, NOW - timedelta(days=1))
    async with sessions() as session, session.begin():
        batch = await claim_due_reminders(session, NOW, kinds=KINDS, limit=10, grace=GRACE)
    shown = {d.user_id: d.stretch_id for d in batch.deliveries}
    assert shown == {
        1: "glute-bridge",
        2: "glute-bridge",
        3: "glute-bridge",
        4: OFFER_MARK,
        5: "glute-bridge",
    }


async def test_an_unanswered_offer_pauses_without_a_delivery(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await ignoring_users(sessions, range(1, 2), sent=8, offer=True)
    async with sessions() as session, session.begin():
        batch = await claim_due_reminders(session, NOW, kinds=KINDS, limit=10, grace=GRACE)
    assert batch.deliveries == [] and batch.skipped == 0
    async with sessions() as session:
        user = await session.get(User, 1)
        due_now = await session.scalar(select(func.count()).where(Delivery.due_at == NOW))
    assert user is not None and user.paused and user.next_due_at is None
    assert due_now == 0


async def test_an_offer_that_may_have_arrived_is_not_made_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # The offer's send timed out after the request went out: Telegram may have delivered it.
    await ignoring_users(
        sessions, range(1, 2), sent=8, offer=True, offer_status=DeliveryStatus.UNKNOWN
    )
    async with sessions() as session, session.begin():
        batch = await claim_due_reminders(session, NOW, kinds=KINDS, limit=10, grace=GRACE)
    assert batch.deliveries == []  # no second offer: the unanswered one lapses
    async with sessions() as session:
        user = await session.get(User, 1)
    assert user is not None and user.paused
