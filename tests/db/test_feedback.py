"""How stretches felt and stopped stretches, on a real database (SQLite file and PostgreSQL):
one answer per question, stops per user, export and delete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from bot.db import feedback
from bot.db.privacy import delete_user, export_user
from bot.db.users import account_of, ensure_user
from bot.domain.feedback import Answered, Feeling

NOW = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)


async def test_one_answer_per_question_and_the_history_per_stretch(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await ensure_user(session, 42, 42, NOW)
        first = await feedback.record_feeling(session, 42, "cat-cow", Feeling.GOOD, NOW)
        again = await feedback.record_feeling(session, 42, "cat-cow", Feeling.HURT, NOW)
        later = NOW + timedelta(days=3)
        await feedback.record_feeling(session, 42, "cat-cow", Feeling.TOO_HARD, later)
        await feedback.record_feeling(session, 42, "open-book", Feeling.GOOD, NOW)
    assert (first, again) == (True, False)  # the repeated press stored nothing
    async with sessions() as session:
        assert await feedback.feeling_given(session, 42, "cat-cow", NOW) is Feeling.GOOD
        assert await feedback.feeling_given(session, 42, "cat-cow", NOW + timedelta(1)) is None
        history = await feedback.answers_about(session, 42, ["cat-cow"])
    assert sorted(history["cat-cow"], key=lambda a: a.day) == [
        Answered(NOW.date(), Feeling.GOOD),
        Answered(later.date(), Feeling.TOO_HARD),
    ]


async def test_stops_are_per_user_and_come_back(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        for user_id in (1, 2):
            await ensure_user(session, user_id, user_id, NOW)
        await feedback.stop_stretch(session, 1, "pigeon-pose", NOW)
        await feedback.stop_stretch(session, 1, "pigeon-pose", NOW)  # twice: still one stop
        await feedback.stop_stretch(session, 1, "frog-stretch", NOW)
        await feedback.stop_stretch(session, 2, "frog-stretch", NOW)
    async with sessions() as session:
        stopped = await feedback.stopped_stretches(session, [1, 2, 3])
    assert stopped == {1: {"pigeon-pose", "frog-stretch"}, 2: {"frog-stretch"}}
    async with sessions() as session, session.begin():
        assert await feedback.bring_back(session, 1, "pigeon-pose") == 1
        assert await feedback.bring_back(session, 2) == 1
    async with sessions() as session:
        assert await feedback.stopped_stretches(session, [1, 2]) == {1: {"frog-stretch"}}


async def test_area_levels_round_trip_and_everything_is_exported_then_deleted(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        user = await ensure_user(session, 42, 42, NOW)
        assert account_of(user).area_levels == {}  # no entry: every area at `level`
        user.area_levels = {"glutes": 2}
        await feedback.record_feeling(session, 42, "cat-cow", Feeling.TOO_EASY, NOW)
        await feedback.stop_stretch(session, 42, "pigeon-pose", NOW)
    async with sessions() as session:
        export = await export_user(session, 42)
    assert export["users"][0]["area_levels"] == {"glutes": 2}
    assert [(r["stretch_id"], r["feeling"]) for r in export["stretch_feedback"]] == [
        ("cat-cow", "too_easy")
    ]
    assert [r["stretch_id"] for r in export["stopped_stretches"]] == ["pigeon-pose"]
    async with sessions() as session, session.begin():
        await delete_user(session, 42)
    async with sessions() as session:
        export = await export_user(session, 42)
    assert all(rows == [] for rows in export.values())


async def test_personal_holds_grow_with_good_weeks_and_drills_have_none(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    library = load_catalog(DEFAULT_CONTENT_DIR).stretches
    held, drill = library.get("butterfly-stretch"), library.get("cat-cow")
    assert held is not None and drill is not None and held.hold_seconds == 30
    async with sessions() as session, session.begin():
        await ensure_user(session, 42, 42, NOW)
        for days in (0, 4, 8):
            at = NOW + timedelta(days=days)
            await feedback.record_feeling(session, 42, held.id, Feeling.GOOD, at)
    async with sessions() as session:
        assert await feedback.personal_holds(session, 42, [held, drill]) == {held.id: 45}
        assert await feedback.personal_holds(session, 7, [held]) == {held.id: 30}
