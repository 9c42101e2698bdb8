"""The pain check-in's answer buttons, and switching check-ins on or off from /settings."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application

from bot.domain.checkin import PainAnswer
from bot.handlers.common import (
    StaleButton,
    answer_quietly,
    drop_keyboard,
    local_emergency,
    reply,
    routed,
    show,
)
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback
from bot.render.checkin import render_checkin_advice
from bot.render.i18n import text
from bot.render.settings import SAVED, settings_screen
from bot.usecases import checkins


async def answer_checkin(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    answer = PainAnswer(callback.arg() or "")
    advice = await checkins.answer_checkin(
        context.services, context.require_account().user_id, answer
    )
    if advice is None:
        raise StaleButton
    await answer_quietly(query)
    await drop_keyboard(query)
    emergency = local_emergency(update, context)
    await reply(update, *render_checkin_advice(context.t, advice, answer, emergency))


async def toggle_checkins(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    changed = await checkins.set_checkins(
        context.services, context.require_account().user_id, callback.arg() == "1"
    )
    if changed is None:
        raise StaleButton
    await answer_quietly(query, text(context.t, SAVED))
    await show(query, *settings_screen(context.t, changed, context.services.clock.now()))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        routed({Action.CHECKIN_ANSWER: answer_checkin, Action.CHECKIN_TOGGLE: toggle_checkins})
    )
