"""The weekly summary's settings: its screen under /settings, and Stop on the summary itself."""

from __future__ import annotations

from datetime import time

from telegram import CallbackQuery, Update
from telegram.ext import Application

from bot.handlers.common import StaleButton, answer_quietly, drop_keyboard, reply, routed, show
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback
from bot.render.i18n import text
from bot.render.settings import SAVED
from bot.render.weekly import render_weekly_saved, weekly_screen
from bot.usecases import weekly


async def open_weekly(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await show(query, *weekly_screen(context.t, context.require_account().weekly_settings))


async def change_weekly(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    svc, user_id = context.services, context.require_account().user_id
    argument = callback.arg() or ""
    if callback.action is Action.WEEKLY_SET:
        account = await weekly.set_weekly(svc, user_id, argument == "1")
    elif callback.action is Action.WEEKLY_DAY:
        account = await weekly.set_weekly_day(svc, user_id, int(argument))
    else:
        value = None if argument == "r" else time(int(argument[:2]), int(argument[2:]))
        account = await weekly.set_weekly_time(svc, user_id, value)
    if account is None:
        raise StaleButton
    t = context.t
    if callback.action is Action.WEEKLY_SET and callback.arg(1) == "m":
        # Pressed on a summary: the summary stays, its buttons go, and the answer says where
        # to turn it back on.
        await answer_quietly(query)
        await drop_keyboard(query)
        await reply(update, render_weekly_saved(t, account.weekly_settings))
        return
    await answer_quietly(query, text(t, SAVED))
    await show(query, *weekly_screen(t, account.weekly_settings))


def register(application: Application) -> None:  # type: ignore[type-arg]
    changes = (Action.WEEKLY_SET, Action.WEEKLY_DAY, Action.WEEKLY_TIME)
    application.add_handler(
        routed({Action.WEEKLY_MENU: open_weekly, **dict.fromkeys(changes, change_weekly)})
    )
