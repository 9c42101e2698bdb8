"""Buttons under a daily reminder: Snooze and Skip today (Done and Another are the card's)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.db import activity
from bot.db.users import ensure_user
from bot.domain.activity import ActivityKind
from bot.domain.schedule import describe_next, format_clock, snooze_until
from bot.handlers.common import answer_quietly, drop_keyboard, reply
from bot.render.callbacks import Action, decode
from bot.render.texts import STALE_BUTTON, render_skipped, render_snoozed
from bot.services import services

SNOOZE_CHOICES = {"15", "60"}


async def reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, sender, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or sender is None or chat is None:
        return
    svc = services(context)
    callback = decode(query.data)
    snoozing = callback is not None and callback.action is Action.SNOOZE
    if callback is None or (snoozing and callback.arg() not in SNOOZE_CHOICES):
        await answer_quietly(query, STALE_BUTTON)
        return
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await ensure_user(session, sender.id, chat.id, now)
        zone = ZoneInfo(user.timezone)
        if snoozing:
            minutes = int(callback.arg() or 15)
            user.snooze_due_at = snooze_until(now, minutes)
            kind = ActivityKind.SNOOZED
            clock = format_clock(user.snooze_due_at.astimezone(zone))
            text = render_snoozed(minutes, clock)
        else:
            user.snooze_due_at = None
            kind = ActivityKind.SKIPPED
            upcoming = describe_next(user.next_due_at, zone, now) if user.next_due_at else None
            text = render_skipped(upcoming)
        user.updated_at = now
        await activity.log_activity(session, user.id, kind, now)
    await answer_quietly(query)
    await drop_keyboard(query)
    await reply(update, text)


def register(application: Application) -> None:  # type: ignore[type-arg]
    pattern = f"^1:({Action.SNOOZE.value}|{Action.SKIP_TODAY.value})(:|$)"
    application.add_handler(CallbackQueryHandler(reminder_button, pattern=pattern))
