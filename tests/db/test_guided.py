"""Guided sessions and hold timers on a real database (SQLite file and PostgreSQL): the use
cases end to end below Telegram, and the compare-and-set that gives each timer event to one
process."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog, load_catalog
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.db import activity, feedback
from bot.db.guided import TimerMove, due_timers, take_timer_steps
from bot.db.models import Activity, GuidedSession, Timer
from bot.db.privacy import delete_user, export_user
from bot.db.users import ensure_user
from bot.domain.feedback import Feeling
from bot.domain.precautions import (
    Answer,
    Precaution,
    PrecautionAnswers,
    forbidden_movements,
    is_allowed,
)
from bot.render.guided import render_session_step, session_step_keyboard
from bot.render.i18n import Catalogs
from bot.services import Services
from bot.timers import TimerTicker
from bot.usecases import guided, timers
from bot.usecases.practice import AskPrecaution, OnHold
from bot.usecases.progress import progress

NOW = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
USER = 42
CATALOG: Catalog = load_catalog(DEFAULT_CONTENT_DIR)
ALL_NO = PrecautionAnswers(0b010101)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def svc(sessions: async_sessionmaker[AsyncSession], clock: FakeClock) -> Services:
    return Services(
        settings=Settings(),
        clock=clock,
        sessions=sessions,
        catalog=CATALOG,
        rng=random.Random(5),
    )


async def make_user(svc: Services, answers: PrecautionAnswers = ALL_NO) -> None:
    async with svc.transaction() as session:
        user = await ensure_user(session, USER, USER, NOW)
        user.precaution_answers = answers.code


async def test_a_session_runs_to_one_activity_record_with_each_step(svc: Services) -> None:
    await make_user(svc)
    view = await guided.start_session(svc, USER)
    assert isinstance(view, guided.SessionView) and len(view.steps) == 5
    assert await guided.move_on(svc, USER, view.token, 1, guided.Outcome.DONE) is None  # ahead
    for index, outcome in enumerate("sdddd"):
        moved = await guided.move_on(svc, USER, view.token, index, guided.Outcome(outcome))
        assert moved is not None and not isinstance(moved, OnHold)
    assert isinstance(moved.session, guided.SessionEnded)
    assert (moved.session.done, moved.session.skipped, moved.session.streak) == (4, 1, 1)
    # The same Next again is stale: the session is over.
    assert await guided.move_on(svc, USER, view.token, 4, guided.Outcome.DONE) is None

    async with svc.sessions() as session:
        (record,) = (await session.scalars(select(Activity))).all()
        assert await session.get(GuidedSession, USER) is None
        recent = await activity.recent_stretches(session, [USER], NOW + timedelta(hours=1))
    assert record.kind == "session" and record.detail is not None
    assert [s["outcome"] for s in record.detail["steps"]] == ["skipped"] + ["done"] * 4
    assert recent[USER] == [s.stretch.id for s in reversed(view.steps)]  # recent, newest first

    # The next session leaves those stretches for another day.
    again = await guided.start_session(svc, USER)
    assert isinstance(again, guided.SessionView)
    done_lately = {step.stretch.id for step in view.steps[1:4]}
    assert not {step.stretch.id for step in again.steps[1:4]} & done_lately


async def test_a_new_session_records_what_was_done_in_an_unfinished_one(
    svc: Services, clock: FakeClock
) -> None:
    await make_user(svc)
    first = await guided.start_session(svc, USER, "morning")
    assert isinstance(first, guided.SessionView)
    clock.advance(timedelta(minutes=2))
    await guided.move_on(svc, USER, first.token, 0, guided.Outcome.DONE)
    last_step_at = clock.now()
    clock.advance(timedelta(hours=5))  # left half way; later, another session
    second = await guided.start_session(svc, USER)
    assert isinstance(second, guided.SessionView) and second.token != first.token

    async with svc.sessions() as session:
        (record,) = (await session.scalars(select(Activity))).all()
        stored = await session.get(GuidedSession, USER)
    assert record.kind == "session" and record.at == last_step_at and record.detail is not None
    assert record.detail["stopped"] is True and record.detail["routine"] == "morning"
    assert [step["outcome"] for step in record.detail["steps"]] == ["done"]
    assert stored is not None and stored.token == second.token and stored.outcomes == ""
    # The old session's buttons are stale now.
    assert await guided.move_on(svc, USER, first.token, 1, guided.Outcome.DONE) is None

    # Nothing done in it: nothing recorded.
    third = await guided.start_session(svc, USER)
    assert isinstance(third, guided.SessionView)
    async with svc.sessions() as session:
        assert len((await session.scalars(select(Activity))).all()) == 1


async def test_a_sessions_done_steps_count_in_progress_and_the_streak(svc: Services) -> None:
    await make_user(svc)
    view = await guided.start_session(svc, USER, "morning")
    assert isinstance(view, guided.SessionView)
    for index, outcome in enumerate("ddsdd"):
        moved = await guided.move_on(svc, USER, view.token, index, guided.Outcome(outcome))
    assert isinstance(moved, guided.Moved) and isinstance(moved.session, guided.SessionEnded)
    assert moved.session.streak == 1
    shown = await progress(svc, USER, CATALOG.stretches.get)
    assert shown is not None and shown.total == 4 and shown.streaks.current == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # replicas share it
async def test_the_same_last_press_on_two_replicas_finishes_the_session_once(
    svc: Services,
) -> None:
    await make_user(svc)
    view = await guided.start_session(svc, USER, "morning")
    assert isinstance(view, guided.SessionView)
    for index in range(len(view.steps) - 1):
        await guided.move_on(svc, USER, view.token, index, guided.Outcome.DONE)
    last = len(view.steps) - 1
    both = await asyncio.gather(
        *(guided.move_on(svc, USER, view.token, last, guided.Outcome.DONE) for _ in range(2))
    )
    finished = [m for m in both if isinstance(m, guided.Moved)]
    assert len(finished) == 1 and both.count(None) == 1
    async with svc.sessions() as session:
        records = (await session.scalars(select(Activity))).all()
    assert len(records) == 1


async def test_safety_comes_first_and_holds_mid_session(svc: Services) -> None:
    await make_user(svc, PrecautionAnswers(0))
    assert isinstance(await guided.start_session(svc, USER), AskPrecaution)

    pregnant = ALL_NO.with_answer(Precaution.PREGNANCY, Answer.YES)
    await make_user(svc, pregnant)
    view = await guided.start_session(svc, USER, "morning")
    assert isinstance(view, guided.SessionView) and view.replaced >= 1
    assert all(
        is_allowed(step.stretch.movements, forbidden_movements(pregnant)) for step in view.steps
    )

    async with svc.transaction() as session:
        user = await ensure_user(session, USER, USER, NOW)
        user.on_hold_since = NOW
    assert isinstance(await guided.move_on(svc, USER, view.token, 0, guided.Outcome.DONE), OnHold)
    assert isinstance(await guided.start_session(svc, USER), OnHold)
    assert await guided.start_step_timer(svc, USER, USER, view.token, 1) is None  # ended
    held = CATALOG.stretches.get("standing-quad")
    assert held is not None
    assert isinstance(await timers.start_card_timer(svc, USER, USER, held), OnHold)


async def test_a_steps_card_button_and_timer_use_the_users_grown_hold(
    svc: Services, clock: FakeClock
) -> None:
    await make_user(svc)
    async with svc.transaction() as session:
        for days in (0, 4, 8):  # three good days over a week: one rung up, 30 -> 45 s
            at = NOW + timedelta(days=days)
            await feedback.record_feeling(session, USER, "lying-figure-four", Feeling.GOOD, at)
    view = await guided.start_session(svc, USER, "morning")
    assert isinstance(view, guided.SessionView)
    index = [step.stretch.id for step in view.steps].index("lying-figure-four")
    step = view.steps[index]
    assert step.stretch.hold_seconds == 30 and step.timer_hold_seconds == 45
    t = Catalogs().translator("en")
    card = render_session_step(t, step.stretch, step, index, len(view.steps))
    assert "Hold 45 s" in card
    keyboard = session_step_keyboard(t, view.token, index, step)
    assert keyboard.inline_keyboard[0][0].text == "▶️ Start 45 s"
    for at in range(index):
        moved = await guided.move_on(svc, USER, view.token, at, guided.Outcome.SKIPPED)
        assert isinstance(moved, guided.Moved)
    started = await guided.start_step_timer(svc, USER, USER, view.token, index)
    assert started is not None
    assert isinstance(started[1], timers.TimerStarted) and started[1].hold_seconds == 45


async def test_one_timer_per_user_and_a_step_timer_stops_with_its_step(
    svc: Services, clock: FakeClock
) -> None:
    await make_user(svc)
    held = CATALOG.stretches.get("standing-quad")
    assert held is not None
    first = await timers.start_card_timer(svc, USER, USER, held)
    assert isinstance(first, timers.TimerStarted) and first.replaced is None
    assert first.holds == 4  # two rounds, each side
    assert await timers.attach_timer_message(svc, USER, first.started_at, 100)

    clock.advance(timedelta(seconds=3))
    view = await guided.start_session(svc, USER, "desk-break")
    assert isinstance(view, guided.SessionView)
    started = await guided.start_step_timer(svc, USER, USER, view.token, 0)
    assert started is not None
    _view, second = started
    assert isinstance(second, timers.TimerStarted)
    assert second.replaced == timers.TimerRef(USER, 100, "standing-quad", finished=False)
    # The first timer's message can no longer be attached to anything.
    assert not await timers.attach_timer_message(svc, USER, first.started_at, 101)

    moved = await guided.move_on(svc, USER, view.token, 0, guided.Outcome.DONE)
    assert moved is not None and not isinstance(moved, OnHold)
    assert moved.stopped_timer is not None and moved.stopped_timer.stretch_id == "marching-warm-up"
    async with svc.sessions() as session:
        assert await session.get(Timer, USER) is None


async def test_each_timer_event_is_taken_once(svc: Services) -> None:
    await make_user(svc)
    held = CATALOG.stretches.get("standing-quad")
    assert held is not None
    started = await timers.start_card_timer(svc, USER, USER, held)
    assert isinstance(started, timers.TimerStarted)
    async with svc.sessions() as session:
        assert await due_timers(session, NOW + timedelta(seconds=5)) == []  # no message yet
    await timers.attach_timer_message(svc, USER, started.started_at, 7)
    async with svc.sessions() as session:
        (due,) = await due_timers(session, NOW + timedelta(seconds=5))
    assert (due.message_id, due.step, due.holds) == (7, 0, 4)
    move = TimerMove(due, 3, NOW + timedelta(seconds=5))
    async with svc.transaction() as session:
        assert await take_timer_steps(session, [move]) == {USER}
    async with svc.transaction() as session:
        assert await take_timer_steps(session, [move]) == set()  # taken already
    async with svc.sessions() as session:
        (again,) = await due_timers(session, NOW + timedelta(seconds=5))
    assert again.step == 3
    async with svc.transaction() as session:
        assert await take_timer_steps(session, [TimerMove(again, 99, None)]) == {USER}  # gone
    async with svc.sessions() as session:
        assert await session.get(Timer, USER) is None


async def test_export_and_delete_include_sessions_and_timers(svc: Services) -> None:
    await make_user(svc)
    view = await guided.start_session(svc, USER, "desk-break")
    assert isinstance(view, guided.SessionView)
    await guided.start_step_timer(svc, USER, USER, view.token, 0)
    async with svc.sessions() as session:
        export = await export_user(session, USER)
    assert export["guided_sessions"][0]["routine"] == "desk-break"
    assert export["timers"][0]["stretch_id"] == "marching-warm-up"
    async with svc.transaction() as session:
        await delete_user(session, USER)
    async with svc.sessions() as session:
        assert await session.get(GuidedSession, USER) is None
        assert await session.get(Timer, USER) is None


async def test_no_timer_for_a_stretch_the_safety_answers_rule_out(svc: Services) -> None:
    await make_user(svc, ALL_NO.with_answer(Precaution.HIP_REPLACEMENT, Answer.YES))
    pigeon = CATALOG.stretches.get("pigeon-pose")  # deep flexion, crossing the midline
    assert pigeon is not None
    assert await timers.start_card_timer(svc, USER, USER, pigeon) is None
    async with svc.sessions() as session:
        assert await session.get(Timer, USER) is None


class StubBot:
    """Telegram answering every call at once."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def edit_message_text(self, text: str, **_kwargs: object) -> None:
        self.calls.append(text)

    async def send_message(self, _chat_id: int, text: str, **_kwargs: object) -> None:
        self.calls.append(text)


async def test_a_crowd_of_timers_stays_within_the_send_budget_buzzes_first(
    sessions: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    settings = Settings.model_validate(
        {"LIMBER_SEND_RATE_PER_SECOND": 2, "LIMBER_TIMER_TICK_SECONDS": 1}
    )
    svc = Services(settings=settings, clock=clock, sessions=sessions, catalog=CATALOG)
    held = CATALOG.stretches.get("standing-quad")
    assert held is not None
    for user_id in (1, 2, 3, 4):
        async with svc.transaction() as session:
            user = await ensure_user(session, user_id, user_id, clock.now())
            user.precaution_answers = ALL_NO.code
        started = await timers.start_card_timer(svc, user_id, user_id, held)
        assert isinstance(started, timers.TimerStarted)
        await timers.attach_timer_message(svc, user_id, started.started_at, 10)
        clock.advance(timedelta(seconds=30 if user_id == 1 else 0))
    clock.advance(timedelta(seconds=5))  # user 1's first hold ends; the others' count is due
    bot = StubBot()
    ticker = TimerTicker(svc, bot, Catalogs())  # type: ignore[arg-type]

    first = await ticker.tick()
    assert (first.buzzes, first.edits) == (1, 1) and bot.calls[0] == "🔄 Switch sides"
    second = await ticker.tick()
    assert (second.buzzes, second.edits) == (0, 2)  # the two left waiting, a tick late
    assert (await ticker.tick()).edits == 0
