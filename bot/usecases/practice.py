"""Stretching on demand: the next stretch to show, Done, Easier/Harder, and ending a hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.stretches import Stretch
from bot.db import activity
from bot.db.feedback import personal_holds, stopped_stretches
from bot.db.users import account_of, get_user, reschedule, reschedule_weekly
from bot.domain.abilities import cannot_of
from bot.domain.account import Account
from bot.domain.activity import ActivityKind, current_streak
from bot.domain.picking import NothingToPick, PickFor, adjusted_level
from bot.domain.precautions import Precaution, PrecautionAnswers, forbidden_movements, is_allowed
from bot.domain.progress import LOG_LOOKBACK
from bot.domain.weekly import on_by_first_week
from bot.services import Services

# Streaks look back this far: long enough for any streak worth celebrating.


@dataclass(frozen=True)
class OnHold:
    """A red-flag check advised care: no stretch until the user says they were checked."""


@dataclass(frozen=True)
class AskPrecaution:
    """The stretch safety questions come first, once: this one is next."""

    precaution: Precaution
    answers: PrecautionAnswers


@dataclass(frozen=True)
class Shown:
    stretch: Stretch
    # The user's own hold for it (it grows over weeks of "Good"); None for a drill.
    hold_seconds: int | None = None


@dataclass(frozen=True)
class NothingLeft:
    """Every stretch safe for the user is one they stopped."""


StretchOffer = OnHold | AskPrecaution | Shown | NothingLeft


def comes_first(account: Account) -> OnHold | AskPrecaution | None:
    """What must come before any stretch or session: the safety hold after a red-flag check,
    then the stretch safety questions not yet asked."""
    if account.on_hold:
        return OnHold()
    unasked = account.precautions.next_unasked()
    return AskPrecaution(unasked, account.precautions) if unasked is not None else None


async def pick_for(session: AsyncSession, account: Account, now: datetime) -> PickFor:
    """What stretches are picked for: the user's answers, levels and focus, what they saw
    lately (sessions included) and what they stopped."""
    user_id = account.user_id
    return PickFor(
        forbidden=forbidden_movements(account.precautions),
        cannot=cannot_of(account.cannot),
        focus_areas=account.focus_areas,
        level=account.level,
        area_levels=account.area_levels,
        recent_ids=(await activity.recent_stretches(session, [user_id], now)).get(user_id, []),
        stopped_ids=(await stopped_stretches(session, [user_id])).get(user_id, set()),
    )


async def next_stretch(svc: Services, user_id: int) -> StretchOffer | None:
    """Pick the user's next stretch (focus, level, variety, safety answers) and log it as
    shown; or say what must come first. None when the user has no account."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        account = account_of(user)
        first = comes_first(account)
        if first is not None:
            return first
        try:
            stretch = svc.picker.pick_for(await pick_for(session, account, now), rng=svc.rng)
        except NothingToPick:
            return NothingLeft()
        await activity.log_activity(session, user_id, ActivityKind.SHOWN, now, stretch.id)
        holds = await personal_holds(session, user_id, [stretch])
        return Shown(stretch, holds.get(stretch.id))


async def record_done(svc: Services, user_id: int, stretch_id: str) -> int | None:
    """Log a finished stretch; the streak it makes, in local days (None: no account)."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        await activity.log_activity(session, user_id, ActivityKind.DONE, now, stretch_id)
        if on_by_first_week(user.weekly_summary, user.created_at, now):
            # Active in the first week: the weekly summary is on unless they turn it off.
            user.weekly_summary = True
            reschedule_weekly(user, now)
        return await streak_of(session, user_id, user.timezone, now)


async def streak_of(session: AsyncSession, user_id: int, timezone: str, now: datetime) -> int:
    """The user's streak in local days, counting what this transaction logged."""
    await session.flush()
    zone = ZoneInfo(timezone)
    log = (await activity.done_log(session, [user_id], now - LOG_LOOKBACK)).get(user_id, [])
    days = (at.astimezone(zone).date() for at, _ in log)
    return current_streak(days, now.astimezone(zone).date())


@dataclass(frozen=True)
class Variant:
    """The easier or harder way of a stretch; withheld when the user's safety answers rule
    its movements out."""

    stretch: Stretch
    easier: bool
    allowed: bool
    answers: PrecautionAnswers


async def change_level(
    svc: Services, user_id: int, stretch: Stretch, *, easier: bool
) -> Variant | OnHold | None:
    """The user asked for easier or harder work: move their level and show the variant."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        account = account_of(user)
        if account.on_hold:  # an old card's Easier/Harder sends no stretch either
            return OnHold()
        user.level = adjusted_level(user.level, -1 if easier else 1)
        user.updated_at = now
        kind = ActivityKind.EASIER if easier else ActivityKind.HARDER
        await activity.log_activity(session, user_id, kind, now, stretch.id)
    forbidden = forbidden_movements(account.precautions)
    allowed = is_allowed(stretch.variant_movements(easier=easier), forbidden)
    return Variant(stretch, easier, allowed, account.precautions)


async def lift_hold(svc: Services, user_id: int) -> Account | None:
    """The user has been checked by a clinician: stretches and reminders resume."""
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        user.on_hold_since = None
        reschedule(user, now)
        return account_of(user)
