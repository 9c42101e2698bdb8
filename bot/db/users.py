"""Queries about users and their settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import User
from bot.domain.account import Account
from bot.domain.checkin import first_checkin
from bot.domain.onboarding import FIRST_STEP
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers
from bot.domain.reminders import next_daily_due
from bot.domain.schedule import EVERY_DAY
from bot.domain.weekly import next_weekly_due


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


class NotPrivateChat(ValueError):
    """Reminders and data belong to the user's private chat, never a group or channel."""


async def ensure_user(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    now: datetime,
    *,
    language: str | None = None,
) -> User:
    """The user's row, created with defaults on first contact; a returning user is active again.

    ``chat_id`` must be the user's private chat, whose id Telegram makes equal to the user's:
    anything else is a group or channel, where reminders must never be moved to.
    """
    if chat_id != user_id:
        raise NotPrivateChat(f"chat {chat_id} is not the private chat of user {user_id}")
    user = await session.get(User, user_id)
    if user is None:
        # Two first messages handled at once both find no row: insert-if-absent, then read
        # whichever insert won, instead of failing one of them on the primary key.
        await session.execute(
            insert_for(session, User)
            .values(
                id=user_id,
                chat_id=chat_id,
                language=language[:16] if language else None,
                timezone="UTC",
                reminder_time=None,
                reminder_days=EVERY_DAY,
                focus_areas=[],
                level=1,
                paused=False,
                paused_until=None,
                precaution_answers=0,
                onboarding_step=FIRST_STEP,
                cannot=0,
                awaiting_reply=None,
                zone_chosen=False,
                active=True,
                checkin_due_at=first_checkin(now),
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=[User.id])
        )
        found = await session.get(User, user_id)
        assert found is not None
        return found
    if not user.active or user.chat_id != chat_id:
        user.active = True
        user.chat_id = chat_id  # repairs a row moved to a group by an older version
        user.updated_at = now
    return user


def account_of(user: User) -> Account:
    """The row as the plain value the rest of the bot reads."""
    return Account(
        user_id=user.id,
        language=user.language,
        timezone=user.timezone,
        reminder_time=user.reminder_time,
        reminder_days=user.reminder_days,
        focus_areas=tuple(user.focus_areas),
        level=user.level,
        paused=user.paused,
        paused_until=user.paused_until,
        on_hold_since=user.on_hold_since,
        next_due_at=user.next_due_at,
        snooze_due_at=user.snooze_due_at,
        precautions=PrecautionAnswers.stored(user.precaution_answers),
        active=user.active,
        created_at=user.created_at,
        area_levels=dict(user.area_levels or {}),
        onboarding_step=user.onboarding_step,
        cannot=user.cannot,
        awaiting_reply=user.awaiting_reply,
        zone_chosen=user.zone_chosen,
        weekly_summary=user.weekly_summary,
        weekly_day=user.weekly_day,
        weekly_time=user.weekly_time,
        weekly_due_at=user.weekly_due_at,
        checkin_due_at=user.checkin_due_at,
    )


def precautions_of(user: User) -> PrecautionAnswers:
    return PrecautionAnswers.stored(user.precaution_answers)


async def record_precaution_answer(
    session: AsyncSession, user_id: int, precaution: Precaution, answer: Answer, now: datetime
) -> tuple[User, PrecautionAnswers] | None:
    """Store one stretch safety answer: the updated user and the answers before it, or None
    when there is no such user.

    The row is locked, so of two quick presses on a last question only one sees the
    questions incomplete before it.
    """
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        return None
    before = precautions_of(user)
    user.precaution_answers = before.with_answer(precaution, answer).code
    user.updated_at = now
    return user, before


def reschedule(user: User, now: datetime) -> None:
    """Recompute the user's place in the due queue after any change to their settings."""
    account = account_of(user)
    user.next_due_at = next_daily_due(account.reminder_settings, now)
    user.weekly_due_at = next_weekly_due(account.weekly_settings, now, user.weekly_due_at)
    user.updated_at = now


def reschedule_weekly(user: User, now: datetime, not_before: datetime | None = None) -> None:
    """Recompute only the weekly summary's queue entry (its own settings changed); with no
    entry queued, never in an earlier week than ``not_before``."""
    queued = user.weekly_due_at or not_before
    user.weekly_due_at = next_weekly_due(account_of(user).weekly_settings, now, queued)
    user.updated_at = now
