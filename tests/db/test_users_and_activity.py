"""User and activity queries on a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import activity
from bot.db.models import User
from bot.db.privacy import delete_user
from bot.db.stats import count_users
from bot.db.users import NotPrivateChat, ensure_user, precautions_of, record_precaution_answer
from bot.domain.activity import ActivityKind
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers
from bot.domain.stats import UserCounts

NOW = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)


async def test_ensure_user_creates_once_with_defaults(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        first = await ensure_user(session, 42, 42, NOW)
    async with sessions() as session, session.begin():
        again = await ensure_user(session, 42, 42, NOW + timedelta(days=1))
    assert (first.id, again.id) == (42, 42)
    assert again.created_at == NOW  # round-trips as aware UTC on both engines
    assert again.timezone == "UTC" and again.reminder_days == 0b1111111 and again.active


async def test_returning_blocked_user_is_active_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        user = await ensure_user(session, 7, 7, NOW)
        user.active = False
    async with sessions() as session, session.begin():
        await ensure_user(session, 7, 7, NOW)
    async with sessions() as session:
        stored = await session.get(User, 7)
    assert stored is not None and stored.active


async def test_recent_stretches_newest_first_and_only_shown_kinds(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await ensure_user(session, 1, 1, NOW)
        for minutes, kind, stretch_id in [
            (0, ActivityKind.SHOWN, "a"),
            (1, ActivityKind.DONE, "a"),
            (2, ActivityKind.REMINDER_SENT, "b"),
            (3, ActivityKind.SHOWN, "c"),
        ]:
            await activity.log_activity(
                session, 1, kind, NOW + timedelta(minutes=minutes), stretch_id
            )
    async with sessions() as session:
        recent = await activity.recent_stretches(session, [1], NOW + timedelta(days=1))
        assert recent == {1: ["c", "b", "a"]}
        done = await activity.done_log(session, [1], NOW - timedelta(days=1))
    assert done == {1: [(NOW + timedelta(minutes=1), "a")]}


async def test_deleting_user_cascades_to_activity(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await ensure_user(session, 5, 5, NOW)
        await activity.log_activity(session, 5, ActivityKind.SHOWN, NOW, "a")
    async with sessions() as session, session.begin():
        user = await session.get(User, 5)
        assert user is not None
        await session.delete(user)
    async with sessions() as session:
        assert await activity.recent_stretches(session, [5], NOW) == {}


async def test_user_counts_for_stats_and_metrics(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        for user_id, active, due in [(1, True, NOW), (2, True, None), (3, False, NOW)]:
            user = await ensure_user(session, user_id, user_id, NOW)
            user.active, user.next_due_at = active, due
    async with sessions() as session:
        assert await count_users(session) == UserCounts(users=3, active=2, scheduled=1)


@pytest.mark.parametrize("group_chat_id", [-4242, -1001234567890])
async def test_ensure_user_never_moves_the_chat_to_a_group(
    sessions: async_sessionmaker[AsyncSession], group_chat_id: int
) -> None:
    async with sessions() as session, session.begin():
        await ensure_user(session, 42, 42, NOW)
    with pytest.raises(NotPrivateChat):
        async with sessions() as session, session.begin():
            await ensure_user(session, 42, group_chat_id, NOW)
    async with sessions() as session:
        user = await session.get(User, 42)
    assert user is not None and user.chat_id == 42


async def test_first_messages_handled_at_once_create_one_user_without_an_error(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A new user's first messages are handled concurrently: one row, no failed update."""

    async def first_contact() -> int:
        async with sessions() as session, session.begin():
            return (await ensure_user(session, 99, 99, NOW)).id

    assert await asyncio.gather(*(first_contact() for _ in range(8))) == [99] * 8
    async with sessions() as session:
        user = await session.get(User, 99)
    assert user is not None and user.focus_areas == [] and user.created_at == NOW


async def test_safety_answers_start_unasked_are_stored_one_by_one_and_forgotten(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        new = await ensure_user(session, 9, 9, NOW)
    assert precautions_of(new) == PrecautionAnswers() and new.precaution_answers == 0

    for precaution, answer in [
        (Precaution.HIP_REPLACEMENT, Answer.YES),
        (Precaution.PREGNANCY, Answer.SKIPPED),
        (Precaution.OSTEOPOROSIS, Answer.NO),
    ]:
        async with sessions() as session, session.begin():
            recorded = await record_precaution_answer(session, 9, precaution, answer, NOW)
        assert recorded is not None
    async with sessions() as session:
        stored = await session.get(User, 9)
    assert stored is not None
    answers = precautions_of(stored)
    assert [answers.answer(p) for p in Precaution] == [Answer.YES, Answer.SKIPPED, Answer.NO]
    async with sessions() as session, session.begin():
        recorded = await record_precaution_answer(
            session, 9, Precaution.HIP_REPLACEMENT, Answer.NO, NOW
        )
    assert recorded is not None and recorded[1] == answers  # the answers before this one
    assert precautions_of(recorded[0]).answer(Precaution.HIP_REPLACEMENT) is Answer.NO

    async with sessions() as session, session.begin():
        assert (
            await record_precaution_answer(session, 404, Precaution.PREGNANCY, Answer.NO, NOW)
            is None
        )
        await delete_user(session, 9)
    async with sessions() as session:
        assert await session.get(User, 9) is None
