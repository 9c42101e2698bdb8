"""Guided sessions: start one (for the user, or a named routine), go through its steps with
Next, Skip and the hold timer, stop it; a finished one becomes one activity record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import activity
from bot.db.feedback import personal_holds
from bot.db.guided import delete_timer, get_guided_session, get_timer, replace_guided_session
from bot.db.models import GuidedSession, User
from bot.db.users import account_of, get_user
from bot.domain.activity import ActivityKind
from bot.domain.precautions import forbidden_movements, is_allowed
from bot.domain.sessions import SessionStep
from bot.services import Services
from bot.usecases.practice import AskPrecaution, OnHold, comes_first, pick_for, streak_of
from bot.usecases.timers import TimerRef, TimerStarted, begin_timer, stopped_ref

FOR_ME = None  # the routine of a session composed for the user
TOKEN_LIMIT = 10**6


class Outcome(StrEnum):
    DONE = "d"
    SKIPPED = "s"


@dataclass(frozen=True)
class SessionView:
    """A session in progress, at its current step."""

    token: int
    routine: str | None
    steps: tuple[SessionStep, ...]
    outcomes: str
    replaced: int  # steps a routine swapped for safe ones (safety answers)

    @property
    def index(self) -> int:
        return len(self.outcomes)

    @property
    def step(self) -> SessionStep:
        return self.steps[self.index]

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds() for step in self.steps)


@dataclass(frozen=True)
class SessionEnded:
    """A session finished (every step done or skipped) or stopped early."""

    routine: str | None
    steps: tuple[SessionStep, ...]
    outcomes: str
    stopped: bool
    streak: int | None  # None: nothing was done, so nothing recorded

    @property
    def done(self) -> int:
        return self.outcomes.count(Outcome.DONE)

    @property
    def done_ids(self) -> list[str]:
        """The stretches done, in order (what "How did that feel?" asks about)."""
        return [
            step.stretch.id
            for step, outcome in zip(self.steps, self.outcomes, strict=False)
            if outcome == Outcome.DONE
        ]

    @property
    def skipped(self) -> int:
        return self.outcomes.count(Outcome.SKIPPED)


@dataclass(frozen=True)
class Moved:
    """The result of Next, Skip or Stop: where the session is now, and the timer stopped
    on the way (its countdown message to close), if one was running for that step."""

    session: SessionView | SessionEnded
    stopped_timer: TimerRef | None


SessionOffer = OnHold | AskPrecaution | SessionView


async def start_session(
    svc: Services, user_id: int, routine_id: str | None = FOR_ME
) -> SessionOffer | None:
    """A new session: composed for the user's focus, level, safety answers and what they did
    lately, or a named routine made safe for them. An unfinished one ends as stopped, what was
    done in it recorded as of its last step. Like /stretch, a safety hold or unasked safety
    questions come first. None: no such user, or no such routine."""
    routine = svc.catalog.routine(routine_id) if routine_id is not FOR_ME else None
    if routine_id is not FOR_ME and routine is None:
        return None
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        account = account_of(user)
        first = comes_first(account)
        if first is not None:
            return first
        user_for = await pick_for(session, account, now)
        if routine is None:
            steps, replaced = svc.composer.compose(user_for, rng=svc.rng), 0
        else:
            steps, replaced = svc.composer.routine(
                routine,
                user_for.forbidden,
                svc.rng,
                cannot=user_for.cannot,
                stopped_ids=user_for.stopped_ids,
            )
        unfinished = await get_guided_session(session, user_id, for_update=True)
        if unfinished is not None:
            view = await _view(session, svc, unfinished)
            await _end(session, unfinished, view, unfinished.updated_at, stopped=True)
        guided = GuidedSession(
            user_id=user_id,
            token=svc.rng.randrange(1, TOKEN_LIMIT),
            routine=routine.id if routine is not None else None,
            steps=[[step.stretch.id, step.rounds] for step in steps],
            outcomes="",
            replaced=replaced,
            started_at=now,
            updated_at=now,
        )
        await replace_guided_session(session, guided)
        return await _view(session, svc, guided)


async def current_step(svc: Services, user_id: int, token: int, index: int) -> SessionView | None:
    """The session at step ``index``, when that is where it is (else None: a stale button)."""
    async with svc.sessions() as session:
        guided = await get_guided_session(session, user_id)
        return await _at(session, svc, guided, token, index)


async def move_on(
    svc: Services, user_id: int, token: int, index: int, outcome: Outcome
) -> Moved | OnHold | None:
    """Step ``index`` done (Next) or skipped: the next step, or the session's end. None: the
    button is stale (another session, or that step is behind).

    The safety rules hold mid-session too: after a red-flag check put the user on hold the
    session stops (what was done is kept), and a step their safety answers now rule out is
    skipped."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        guided = await get_guided_session(session, user_id, for_update=True)
        user = await get_user(session, user_id)
        view = await _at(session, svc, guided, token, index)
        if guided is None or user is None or view is None:
            return None
        stopped = await _stop_step_timer(session, user_id, token)
        guided.outcomes += outcome.value
        guided.updated_at = now
        if user.on_hold_since is not None:
            await _end(session, guided, view, now, stopped=True)
            return OnHold()
        forbidden = forbidden_movements(account_of(user).precautions)
        while len(guided.outcomes) < len(view.steps) and not is_allowed(
            view.steps[len(guided.outcomes)].stretch.movements, forbidden
        ):
            guided.outcomes += Outcome.SKIPPED.value
        if len(guided.outcomes) < len(view.steps):
            return Moved(await _view(session, svc, guided), stopped)
        return Moved(await _end(session, guided, view, now, stopped=False), stopped)


async def stop_session(svc: Services, user_id: int, token: int) -> Moved | None:
    """End the session early; what was done so far is recorded. None: a stale button."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        guided = await get_guided_session(session, user_id, for_update=True)
        if guided is None or guided.token != token:
            return None
        view = await _view(session, svc, guided)
        stopped = await _stop_step_timer(session, user_id, token)
        return Moved(await _end(session, guided, view, now, stopped=True), stopped)


async def start_step_timer(
    svc: Services, user_id: int, chat_id: int, token: int, index: int
) -> tuple[SessionView, TimerStarted | OnHold] | None:
    """Start the hold timer for the session's current step. None: a stale button, or the
    step is counted in reps."""
    async with svc.transaction() as session:
        guided = await get_guided_session(session, user_id, for_update=True)
        view = await _at(session, svc, guided, token, index)
        if view is None or not view.step.timed:
            return None
        started = await begin_timer(session, svc, user_id, chat_id, view.step, (token, index))
        return (view, started) if started is not None else None


async def _stop_step_timer(session: AsyncSession, user_id: int, token: int) -> TimerRef | None:
    """Leaving a step stops its timer (a timer of a card shown meanwhile keeps going)."""
    timer = await get_timer(session, user_id)
    if timer is None or timer.session_token != token:
        return None
    await delete_timer(session, user_id)
    return stopped_ref(timer)


async def _end(
    session: AsyncSession, guided: GuidedSession, view: SessionView, now: datetime, *, stopped: bool
) -> SessionEnded:
    """The session's one activity record (when anything was done) and its row gone."""
    outcomes = guided.outcomes
    streak = None
    if Outcome.DONE in outcomes:
        detail: dict[str, Any] = {
            "routine": guided.routine,
            "stopped": stopped,
            "steps": [
                {"id": step.stretch.id, "rounds": step.rounds, "outcome": _outcome_name(outcome)}
                for step, outcome in zip(view.steps, outcomes, strict=False)
            ],
        }
        await activity.log_activity(
            session, guided.user_id, ActivityKind.SESSION, now, detail=detail
        )
        user = await session.get(User, guided.user_id)
        streak = await streak_of(session, guided.user_id, user.timezone if user else "UTC", now)
    await session.delete(guided)
    return SessionEnded(guided.routine, view.steps, outcomes, stopped, streak)


def _outcome_name(letter: str) -> str:
    return "done" if letter == Outcome.DONE else "skipped"


async def _at(
    session: AsyncSession, svc: Services, guided: GuidedSession | None, token: int, index: int
) -> SessionView | None:
    if guided is None or guided.token != token or len(guided.outcomes) != index:
        return None
    view = await _view(session, svc, guided)
    return view if index < len(view.steps) else None


async def _view(session: AsyncSession, svc: Services, guided: GuidedSession) -> SessionView:
    """The stored session with its stretches looked up (a stretch gone from the library
    since it started is left out) and the user's own holds, so the step's card, its Start
    button and its timer agree."""
    found = [
        (stretch, int(rounds))
        for stretch_id, rounds in guided.steps
        if (stretch := svc.stretches.get(str(stretch_id))) is not None
    ]
    holds = await personal_holds(session, guided.user_id, [stretch for stretch, _ in found])
    steps = tuple(SessionStep(stretch, rounds, holds.get(stretch.id)) for stretch, rounds in found)
    return SessionView(guided.token, guided.routine, steps, guided.outcomes, guided.replaced)
