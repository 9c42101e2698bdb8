"""The hold timer: start one (stopping the user's previous one), attach its message, stop it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.stretches import Stretch
from bot.db.feedback import personal_holds
from bot.db.guided import delete_timer, replace_timer
from bot.db.models import Timer
from bot.db.users import get_user
from bot.domain.precautions import forbidden_for_stored, is_allowed
from bot.domain.sessions import SessionStep
from bot.domain.timer import Cue, timer_schedule
from bot.services import Services
from bot.usecases.practice import OnHold


@dataclass(frozen=True)
class TimerRef:
    """A timer that was stopped: where its countdown message is (None: never sent), what it
    timed, and whether it had already buzzed its end."""

    chat_id: int
    message_id: int | None
    stretch_id: str
    finished: bool


def stopped_ref(timer: Timer) -> TimerRef:
    schedule = timer_schedule(timer.hold_seconds, timer.holds)
    done = next(i for i, event in enumerate(schedule) if event.cue is Cue.DONE)
    return TimerRef(timer.chat_id, timer.message_id, timer.stretch_id, timer.step > done)


@dataclass(frozen=True)
class TimerStarted:
    started_at: datetime
    hold_seconds: int
    holds: int
    replaced: TimerRef | None  # the user's previous timer, now stopped


async def start_card_timer(
    svc: Services, user_id: int, chat_id: int, stretch: Stretch
) -> TimerStarted | OnHold | None:
    """Time a stretch card's whole dose (every round, each side). None: no such user, or
    the stretch is counted in reps, not timed."""
    if not SessionStep(stretch, stretch.rounds).timed:
        return None
    async with svc.transaction() as session:
        # The user's own hold when weeks of "Good" have grown it (the card shows the same).
        own = await personal_holds(session, user_id, [stretch])
        step = SessionStep(stretch, stretch.rounds, own.get(stretch.id))
        return await begin_timer(session, svc, user_id, chat_id, step, None)


async def begin_timer(
    session: AsyncSession,
    svc: Services,
    user_id: int,
    chat_id: int,
    step: SessionStep,
    session_ref: tuple[int, int] | None,
) -> TimerStarted | OnHold | None:
    """Within a transaction: the user's one timer, for ``step`` (at its ``own_hold`` when
    the user's hold has grown); the previous one stops. None: no such user, or their safety
    answers rule the stretch out (a forged or old button: the same rules as /stretch)."""
    user = await get_user(session, user_id)
    if user is None:
        return None
    if user.on_hold_since is not None:
        return OnHold()
    if not is_allowed(step.stretch.movements, forbidden_for_stored(user.precaution_answers)):
        return None
    now = svc.clock.now()
    hold, holds = step.timer_hold_seconds, step.holds
    first = timer_schedule(hold, holds)[0]
    token, index = session_ref or (None, None)
    replaced = await replace_timer(
        session,
        Timer(
            user_id=user_id,
            chat_id=chat_id,
            message_id=None,
            stretch_id=step.stretch.id,
            hold_seconds=hold,
            holds=holds,
            session_token=token,
            session_step=index,
            started_at=now,
            step=0,
            next_at=now + timedelta(seconds=first.at),
        ),
    )
    ref = stopped_ref(replaced) if replaced is not None else None
    return TimerStarted(now, hold, holds, ref)


async def attach_timer_message(
    svc: Services, user_id: int, started_at: datetime, message_id: int
) -> bool:
    """The countdown message was sent: the tick may edit it now. False when the timer was
    stopped or replaced meanwhile."""
    async with svc.transaction() as session:
        timer = await session.get(Timer, user_id)
        if timer is None or timer.started_at != started_at:
            return False
        timer.message_id = message_id
        return True


async def stop_timer(svc: Services, user_id: int) -> TimerRef | None:
    """Stop the user's timer; where its message is, if one was running."""
    async with svc.transaction() as session:
        timer = await delete_timer(session, user_id)
        return stopped_ref(timer) if timer is not None else None
