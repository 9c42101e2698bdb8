"""The stretch safety questions: asked once before a first stretch, changed in /settings."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.db.users import precautions_of, record_precaution_answer
from bot.handlers.common import answer_quietly, current_user, show
from bot.handlers.stretch import send_stretch
from bot.render.callbacks import Action, Callback, decode, pattern
from bot.render.precautions import (
    ANSWER_SAVED,
    AnswerPress,
    Origin,
    parse_answer,
    parse_question,
    render_first_run_done,
    render_question,
    render_safety_screen,
)
from bot.render.texts import STALE_BUTTON
from bot.services import Services, services

SAFETY_ACTIONS = (Action.SAFETY_MENU, Action.SAFETY_QUESTION, Action.SAFETY_ANSWER)


async def safety_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    callback = decode(query.data)
    if callback is None:
        await answer_quietly(query, STALE_BUTTON)
    elif callback.action is not Action.SAFETY_ANSWER:
        await _navigate(update, query, svc, callback)
    else:
        press = parse_answer(callback)
        if press is None:
            await answer_quietly(query, STALE_BUTTON)
        else:
            await _answer(update, query, svc, press)


async def _navigate(
    update: Update, query: CallbackQuery, svc: Services, callback: Callback
) -> None:
    """The settings screen for the questions, or one question on it."""
    menu = callback.action is Action.SAFETY_MENU and not callback.args
    precaution = parse_question(callback)
    user = await current_user(update, svc)
    if user is None or not (menu or precaution):
        await answer_quietly(query, STALE_BUTTON)
        return
    await answer_quietly(query)
    if precaution is None:
        await show(query, *render_safety_screen(precautions_of(user)))
    else:
        await show(query, *render_question(precaution, precautions_of(user), Origin.SETTINGS))


async def _answer(update: Update, query: CallbackQuery, svc: Services, press: AnswerPress) -> None:
    """Save an answer, then: the next question, or the stretch the questions stood before,
    or (from settings) the updated screen."""
    if await current_user(update, svc) is None:
        return
    async with svc.transaction() as session:
        recorded = await record_precaution_answer(
            session, query.from_user.id, press.precaution, press.answer, svc.clock.now()
        )
    if recorded is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    user, before = recorded
    after = precautions_of(user)
    if press.origin is Origin.SETTINGS:
        await answer_quietly(query, ANSWER_SAVED)
        await show(query, *render_safety_screen(after))
        return
    await answer_quietly(query)
    unasked = after.next_unasked()
    if unasked is not None:
        await show(query, *render_question(unasked, after, Origin.FIRST_RUN))
        return
    await show(query, render_first_run_done(after), None)
    if not before.complete:  # a second press on an answered question sends nothing more
        await send_stretch(update, svc, user)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(safety_button, pattern=pattern(*SAFETY_ACTIONS)))
