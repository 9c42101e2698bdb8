"""The due queue on real databases: claims are atomic, exactly once, and survive crashes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Delivery, User
from bot.db.reminders import (
    ClaimedDelivery,
    claim_due_reminders,
    finish_deliveries,
    reclaim_abandoned,
    start_sending,
)
from bot.db.users import account_of, ensure_user, reschedule
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers
from bot.domain.reminders import DeliveryKind, DeliveryStatus, may_receive_reminders
from bot.reminders.kinds.stretch import DueUser, stretch_kinds

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday
GRACE = timedelta(hours=2)
LEASE = timedelta(minutes=5)


def first_stretch(user: DueUser, recent: list[str]) -> str:
    return "glute-bridge"


KINDS = stretch_kinds(first_stretch)


async def add_user(
    sessions: async_sessionmaker[AsyncSession],
    user_id: int,
    *,
    due: datetime | None,
    snooze: datetime | None = None,
    active: bool = True,
    at: time = time(7, 0),
) -> None:
    async with sessions() as session, session.begin():
        user = await ensure_user(session, user_id, user_id, NOW - timedelta(days=30))
        user.reminder_time = at
        user.next_due_at = due
        user.snooze_due_at = snooze
        user.active = active


async def claim(sessions: async_sessionmaker[AsyncSession], now: datetime = NOW) -> list[int]:
    async with sessions() as session, session.begin():
        claimed = await claim_due_reminders(session, now, limit=500, grace=GRACE, kinds=KINDS)
    return sorted(c.user_id for c in claimed.deliveries)


async def stored(sessions: async_sessionmaker[AsyncSession], user_id: int) -> User:
    async with sessions() as session:
        user = await session.get(User, user_id)
    assert user is not None
    return user


async def delivery_statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with sessions() as session:
        rows = await session.execute(select(Delivery.user_id, Delivery.status))
    return dict(rows.all())


async def test_due_users_are_claimed_once_and_the_queue_moves_on(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=3))
    await add_user(sessions, 2, due=NOW + timedelta(minutes=1))  # not yet due
    await add_user(sessions, 3, due=NOW - timedelta(minutes=1), active=False)  # blocked us
    await add_user(sessions, 4, due=None)  # no reminder

    assert await claim(sessions) == [1]
    assert await claim(sessions) == []  # the queue moved: nothing is claimed twice
    user = await stored(sessions, 1)
    assert user.next_due_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    assert await delivery_statuses(sessions) == {1: DeliveryStatus.PENDING.value}


async def test_the_claim_hands_each_users_safety_answers_to_the_chooser(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    hip = PrecautionAnswers().with_answer(Precaution.HIP_REPLACEMENT, Answer.YES)
    await add_user(sessions, 1, due=NOW - timedelta(seconds=3))
    await add_user(sessions, 2, due=None, snooze=NOW - timedelta(seconds=1))
    async with sessions() as session, session.begin():
        for user_id in (1, 2):
            user = await session.get(User, user_id)
            assert user is not None
            user.precaution_answers = hip.code + user_id - 1
    seen: dict[int, int] = {}

    def remember(user: DueUser, recent: list[str]) -> str:
        seen[user.user_id] = user.precaution_answers
        return "glute-bridge"

    async with sessions() as session, session.begin():
        await claim_due_reminders(
            session, NOW, limit=10, grace=GRACE, kinds=stretch_kinds(remember)
        )
    assert seen == {1: hip.code, 2: hip.code + 1}


async def test_downtime_within_grace_sends_once_late_older_is_skipped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Each due instant is an occurrence of the user's own reminder time.
    await add_user(sessions, 1, due=NOW - timedelta(minutes=90), at=time(5, 30))
    await add_user(sessions, 2, due=NOW - timedelta(hours=3), at=time(4, 0))
    # Days offline: one skip, no flood of missed reminders.
    await add_user(sessions, 3, due=NOW - timedelta(days=5, hours=3), at=time(4, 0))

    async with sessions() as session, session.begin():
        result = await claim_due_reminders(session, NOW, limit=500, grace=GRACE, kinds=KINDS)
    assert ([c.user_id for c in result.deliveries], result.skipped) == ([1], 2)
    assert await delivery_statuses(sessions) == {
        1: DeliveryStatus.PENDING.value,
        2: DeliveryStatus.SKIPPED.value,
        3: DeliveryStatus.SKIPPED.value,
    }
    tomorrow = datetime(2026, 3, 3, tzinfo=UTC)
    assert [(await stored(sessions, user_id)).next_due_at for user_id in (1, 2, 3)] == [
        tomorrow.replace(hour=5, minute=30),
        tomorrow.replace(hour=4),
        tomorrow.replace(hour=4),
    ]


async def test_snooze_is_sent_once_without_moving_the_daily_schedule(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    daily = NOW + timedelta(hours=20)
    await add_user(sessions, 1, due=daily, snooze=NOW - timedelta(seconds=1))
    async with sessions() as session, session.begin():
        claimed = await claim_due_reminders(session, NOW, limit=10, grace=GRACE, kinds=KINDS)
    assert [(c.user_id, c.kind) for c in claimed.deliveries] == [(1, DeliveryKind.SNOOZE)]
    user = await stored(sessions, 1)
    assert (user.snooze_due_at, user.next_due_at) == (None, daily)
    assert await claim(sessions) == []


async def test_a_crash_before_commit_loses_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await claim_due_reminders(session, NOW, limit=10, grace=GRACE, kinds=KINDS)
            raise RuntimeError("process killed mid-tick")
    assert await claim(sessions) == [1]  # still due, claimed by the next tick


async def test_claimed_but_never_sent_is_recovered_after_the_lease(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    assert await claim(sessions) == [1]  # committed; the process dies before sending

    async def reclaim(now: datetime) -> list[ClaimedDelivery]:
        async with sessions() as session, session.begin():
            return await reclaim_abandoned(
                session, now, kinds=KINDS, lease=LEASE, grace=GRACE, limit=10
            )

    assert await reclaim(NOW + timedelta(minutes=1)) == []  # its owner may still be sending
    [recovered] = await reclaim(NOW + timedelta(minutes=6))
    assert (recovered.user_id, recovered.stretch_id) == (1, "glute-bridge")
    assert await reclaim(NOW + timedelta(minutes=7)) == []  # the new owner holds the lease
    async with sessions() as session, session.begin():
        await finish_deliveries(session, [(recovered.delivery_id, DeliveryStatus.SENT, 99, 1)], NOW)
    assert await reclaim(NOW + timedelta(minutes=30)) == []  # sent: never again


async def test_abandoned_past_the_grace_is_skipped_not_sent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    await claim(sessions)
    async with sessions() as session, session.begin():
        found = await reclaim_abandoned(
            session, NOW + timedelta(hours=3), kinds=KINDS, lease=LEASE, grace=GRACE, limit=10
        )
    assert found == []
    assert await delivery_statuses(sessions) == {1: DeliveryStatus.SKIPPED.value}


async def test_pause_and_resume_move_the_queue_entry(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=None)
    async with sessions() as session, session.begin():
        user = await session.get(User, 1)
        assert user is not None
        user.paused, user.paused_until = True, NOW + timedelta(days=3)
        reschedule(user, NOW)
    assert (await stored(sessions, 1)).next_due_at == datetime(2026, 3, 6, 7, 0, tzinfo=UTC)
    async with sessions() as session, session.begin():
        user = await session.get(User, 1)
        assert user is not None
        user.paused, user.paused_until = True, None
        reschedule(user, NOW)
    assert (await stored(sessions, 1)).next_due_at is None
    async with sessions() as session, session.begin():
        user = await session.get(User, 1)
        assert user is not None
        user.paused = False
        reschedule(user, NOW)
    assert (await stored(sessions, 1)).next_due_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_four_concurrent_tickers_claim_each_reminder_exactly_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        for user_id in range(1, 2001):
            user = await ensure_user(session, user_id, user_id, NOW - timedelta(days=1))
            user.reminder_time = time(7, 0)
            user.next_due_at = NOW - timedelta(seconds=user_id % 60)
    engines = [create_engine(database_url) for _ in range(4)]
    try:
        factories = [create_session_factory(engine) for engine in engines]

        async def ticker(factory: async_sessionmaker[AsyncSession]) -> list[int]:
            claimed: list[int] = []
            while True:
                async with factory() as session, session.begin():
                    batch = await claim_due_reminders(
                        session, NOW, limit=50, grace=GRACE, kinds=KINDS
                    )
                if not batch.deliveries:
                    return claimed
                claimed.extend(c.user_id for c in batch.deliveries)

        results = await asyncio.gather(*(ticker(factory) for factory in factories))
    finally:
        for engine in engines:
            await engine.dispose()
    everything = [user_id for claimed in results for user_id in claimed]
    assert sorted(everything) == list(range(1, 2001))  # all of them, none twice
    assert all(results), "every ticker should have done part of the work"
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 2000


async def claim_deliveries(
    sessions: async_sessionmaker[AsyncSession], now: datetime = NOW
) -> list[ClaimedDelivery]:
    async with sessions() as session, session.begin():
        claim = await claim_due_reminders(session, now, limit=500, grace=GRACE, kinds=KINDS)
    return claim.deliveries


async def test_a_delivery_killed_while_sending_is_never_sent_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    claimed = await claim_deliveries(sessions)
    async with sessions() as session, session.begin():
        assert await start_sending(session, claimed, NOW, kinds=KINDS) == {claimed[0].delivery_id}
    # The process dies mid-request: Telegram may have the message.
    async with sessions() as session, session.begin():
        found = await reclaim_abandoned(
            session, NOW + LEASE * 2, kinds=KINDS, lease=LEASE, grace=GRACE, limit=10
        )
    assert found == []
    assert await delivery_statuses(sessions) == {1: DeliveryStatus.UNKNOWN.value}


async def test_a_slow_claimer_cannot_send_what_another_took_over(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    slow = await claim_deliveries(sessions)
    async with sessions() as session, session.begin():
        taken = await reclaim_abandoned(
            session,
            NOW + LEASE * 2,
            kinds=KINDS,
            lease=LEASE,
            grace=GRACE,
            limit=10,
            claimer="replica-2:42",
        )
    async with sessions() as session, session.begin():
        assert (
            await start_sending(session, slow, NOW, kinds=KINDS) == set()
        )  # its claim token is stale
        assert await start_sending(session, taken, NOW, kinds=KINDS) == {taken[0].delivery_id}
    async with sessions() as session:
        assert await session.scalar(select(Delivery.claimed_by)) == "replica-2:42"


async def test_a_send_that_never_reached_telegram_goes_back_to_the_queue(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    [claimed] = await claim_deliveries(sessions)
    async with sessions() as session, session.begin():
        await start_sending(session, [claimed], NOW, kinds=KINDS)
        await finish_deliveries(
            session, [(claimed.delivery_id, DeliveryStatus.PENDING, None, 5)], NOW
        )
    async with sessions() as session, session.begin():
        [again] = await reclaim_abandoned(
            session, NOW + LEASE * 2, kinds=KINDS, lease=LEASE, grace=GRACE, limit=10
        )
    assert again.delivery_id == claimed.delivery_id


HOLD_AND_PAUSE_CASES = [
    # (on hold, paused, paused until)
    (False, False, None),
    (True, False, None),
    (False, True, None),  # paused until resumed
    (False, True, NOW + timedelta(days=1)),  # paused, not over yet
    (False, True, NOW - timedelta(minutes=1)),  # a pause that is over
    (True, True, NOW - timedelta(minutes=1)),
]


@pytest.mark.parametrize(("on_hold", "paused", "paused_until"), HOLD_AND_PAUSE_CASES)
async def test_no_reminder_of_any_kind_reaches_a_held_or_paused_user(
    sessions: async_sessionmaker[AsyncSession],
    on_hold: bool,
    paused: bool,
    paused_until: datetime | None,
) -> None:
    """The claim states the hold-and-pause rule in SQL, equal to the domain's rule: a snooze
    set from an old card, or a queue entry left behind, cannot get around it."""
    due = NOW - timedelta(seconds=1)
    await add_user(sessions, 1, due=due)
    await add_user(sessions, 2, due=None, snooze=due)
    async with sessions() as session, session.begin():
        for user_id in (1, 2):
            user = await session.get(User, user_id)
            assert user is not None
            user.on_hold_since = NOW - timedelta(hours=1) if on_hold else None
            user.paused, user.paused_until = paused, paused_until
            expected = may_receive_reminders(account_of(user).reminder_settings, NOW)
    assert await claim(sessions) == ([1, 2] if expected else [])


async def test_a_hold_placed_after_the_claim_cancels_the_delivery(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_user(sessions, 1, due=NOW - timedelta(seconds=1))
    await add_user(sessions, 2, due=NOW - timedelta(seconds=1))
    claimed = await claim_deliveries(sessions)
    async with sessions() as session, session.begin():
        user = await session.get(User, 1)
        assert user is not None
        user.on_hold_since = NOW  # a red-flag outcome lands between claim and send
    async with sessions() as session, session.begin():
        sending = await start_sending(session, claimed, NOW, kinds=KINDS)
    assert sending == {c.delivery_id for c in claimed if c.user_id == 2}
    assert await delivery_statuses(sessions) == {
        1: DeliveryStatus.CANCELLED.value,
        2: DeliveryStatus.SENDING.value,
    }
