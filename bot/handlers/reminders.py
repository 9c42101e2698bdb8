"""Buttons under a daily reminder: Snooze and Skip today (Done and Another are the card's)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Update
from telegram.ext import Application

from bot.domain.reminders import SnoozeRefusal
from bot.domain.schedule import format_clock
from bot.handlers.common import answer_quietly, drop_keyboard, reply, routed
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback
from bot.render.dates import describe_next
from bot.render.texts import render_skipped, render_snooze_refused, render_snoozed
from bot.usecases import reminders


async def snooze(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    minutes = int(callback.arg() or 15)
    result = await reminders.snooze(context.services, context.require_account().user_id, minutes)
    if result is None:
        return
    if isinstance(result, SnoozeRefusal):
        message = render_snooze_refused(context.t, result)
    else:
        back_at = result.until.astimezone(ZoneInfo(result.timezone))
        message = render_snoozed(context.t, minutes, format_clock(back_at))
    await answer_quietly(query)
    await drop_keyboard(query)
    await reply(update, message)


async def skip_today(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    now = context.services.clock.now()
    skipped = await reminders.skip_today(context.services, context.require_account().user_id)
    if skipped is None:
        return
    zone = ZoneInfo(skipped.timezone)
    t = context.t
    upcoming = describe_next(t, skipped.next_due_at, zone, now) if skipped.next_due_at else None
    await answer_quietly(query)
    await drop_keyboard(query)
    await reply(update, render_skipped(t, upcoming))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(routed({Action.SNOOZE: snooze, Action.SKIP_TODAY: skip_today}))
