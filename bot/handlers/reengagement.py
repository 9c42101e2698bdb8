"""The buttons of the re-engagement offer (sent by the daily reminder kind)."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application

from bot.domain.reengagement import OfferChoice
from bot.handlers.common import StaleButton, answer_quietly, drop_keyboard, reply, routed
from bot.handlers.context import LimberContext
from bot.handlers.reminder_time import show_time_screen
from bot.render.callbacks import Action, Callback
from bot.render.reengagement import render_offer_answer
from bot.usecases import reengagement


async def answer_offer(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    choice = OfferChoice(callback.arg() or "")
    account = await reengagement.answer_offer(
        context.services, context.require_account().user_id, choice
    )
    if account is None:
        raise StaleButton
    context.account = account
    await answer_quietly(query)
    await drop_keyboard(query)
    await reply(update, render_offer_answer(context.t, choice))
    if choice is OfferChoice.TIME:  # the settings' own time screen: it waits for a typed time
        await show_time_screen(update, context)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(routed({Action.REENGAGE: answer_offer}))
