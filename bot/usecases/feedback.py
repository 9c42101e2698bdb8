"""The answer to "How did that feel?": storing it and what it changes (per-area levels,
stopped stretches), and bringing a stopped stretch back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.catalog.stretches import Stretch
from bot.db import feedback as stored
from bot.db.users import get_user
from bot.domain.feedback import Feeling, PainKind, PainOutcome, PainPlace, levels_after, triage
from bot.domain.precautions import PrecautionAnswers, forbidden_movements, is_allowed
from bot.services import Services

# Answers come the same day, or the next morning at the latest; older questions have expired.
ANSWER_WITHIN = timedelta(days=3)


@dataclass(frozen=True)
class Noted:
    """The answer is stored (and the levels of the areas moved, for "Too easy"/"Too hard")."""

    feeling: Feeling
    stretches: tuple[Stretch, ...]


@dataclass(frozen=True)
class AlreadyNoted:
    """This question was answered before: nothing changes again."""


@dataclass(frozen=True)
class Expired:
    """The question is too old (or from the future: forged) to answer now."""


FeelingResult = Noted | AlreadyNoted | Expired


def _expired(asked_at: datetime, now: datetime) -> bool:
    return not (now - ANSWER_WITHIN <= asked_at <= now + timedelta(minutes=5))


async def record_feeling(
    svc: Services, user_id: int, stretch_ids: Sequence[str], feeling: Feeling, asked_at: datetime
) -> FeelingResult | None:
    """Store how the stretches done at ``asked_at`` felt. "Too easy" and "Too hard" move the
    user's level one step for each area they work. None: no account, or no such stretch."""
    now = svc.clock.now()
    stretches = tuple(s for s in (svc.stretches.get(i) for i in dict.fromkeys(stretch_ids)) if s)
    if not stretches or len(stretches) != len(set(stretch_ids)):
        return None
    if _expired(asked_at, now):
        return Expired()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        new = [
            await stored.record_feeling(session, user_id, stretch.id, feeling, asked_at)
            for stretch in stretches
        ]
        if not any(new):
            return AlreadyNoted()
        areas = [area.value for stretch in stretches for area in stretch.areas]
        levels = levels_after(user.area_levels or {}, user.level, areas, feeling)
        if levels != (user.area_levels or {}):
            user.area_levels = levels
            user.updated_at = now
    return Noted(feeling, stretches)


@dataclass(frozen=True)
class PainResult:
    """What follows "It hurt": the outcome, and whether the easier way suits the user's safety
    answers (it is offered only then)."""

    stretch: Stretch
    outcome: PainOutcome
    easier_allowed: bool


async def answer_pain(
    svc: Services,
    user_id: int,
    stretch_id: str,
    asked_at: datetime,
    place: PainPlace,
    kind: PainKind,
) -> PainResult | None:
    """Where and how it hurt: stop the stretch for the user unless it was a mild stretching
    feeling. Nothing of the answers is kept, only the stop. None when the question is stale
    (no "It hurt" stored for it)."""
    now = svc.clock.now()
    stretch = svc.stretches.get(stretch_id)
    if stretch is None or _expired(asked_at, now):
        return None
    outcome = triage(place, kind)
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        given = await stored.feeling_given(session, user_id, stretch_id, asked_at)
        if user is None or given is not Feeling.HURT:
            return None
        if outcome.stop:
            await stored.stop_stretch(session, user_id, stretch_id, now)
        answers = PrecautionAnswers.stored(user.precaution_answers)
    easier_allowed = is_allowed(stretch.easier_movements, forbidden_movements(answers))
    return PainResult(stretch, outcome, easier_allowed)


async def stopped_stretches(svc: Services, user_id: int) -> list[str]:
    """The ids of the stretches the user stopped, in id order."""
    async with svc.sessions() as session:
        return sorted((await stored.stopped_stretches(session, [user_id])).get(user_id, set()))


async def bring_back(svc: Services, user_id: int, stretch_id: str | None = None) -> int:
    """Let a stopped stretch (or every one, with None) be picked again; how many came back."""
    async with svc.transaction() as session:
        return await stored.bring_back(session, user_id, stretch_id)
