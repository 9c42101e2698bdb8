"""Buttons under a daily reminder: Snooze and Skip today (Done and Another are the card's)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.db import activity
from bot.db.users import get_user, reminder_settings
from bot.domain.activity import ActivityKind
from bot.domain.reminders import snooze_refusal
from bot.domain.schedule import describe_next, format_clock, snooze_until
from bot.handlers.common import answer_quietly, drop_keyboard, reply
from bot.render.callbacks import Action, decode, pattern
from bot.render.texts import (
    STALE_BUTTON,
    render_skipped,
    render_snooze_refused,
    render_snoozed,
)
from bot.services import services


async def reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, sender = update.callback_query, update.effective_user
    if query is None or sender is None:
        return
    svc = services(context)
    callback = decode(query.data)
    if callback is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    now = svc.clock.now()
    refused = None
    async with svc.transaction() as session:
        user = await get_user(session, sender.id)
        if user is None:  # the stale-button guard answers presses from deleted accounts
            return
        zone = ZoneInfo(user.timezone)
        if callback.action is Action.SNOOZE:
            refused = snooze_refusal(reminder_settings(user), now)
        if refused is not None:
            text = render_snooze_refused(refused)
        elif callback.action is Action.SNOOZE:
            minutes = int(callback.arg() or 15)
            user.snooze_due_at = snooze_until(now, minutes)
            clock = format_clock(user.snooze_due_at.astimezone(zone))
            text = render_snoozed(minutes, clock)
            await activity.log_activity(session, user.id, ActivityKind.SNOOZED, now)
        else:
            user.snooze_due_at = None
            upcoming = describe_next(user.next_due_at, zone, now) if user.next_due_at else None
            text = render_skipped(upcoming)
            await activity.log_activity(session, user.id, ActivityKind.SKIPPED, now)
        user.updated_at = now
    await answer_quietly(query)
    await drop_keyboard(query)
    await reply(update, text)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        CallbackQueryHandler(reminder_button, pattern=pattern(Action.SNOOZE, Action.SKIP_TODAY))
    )
