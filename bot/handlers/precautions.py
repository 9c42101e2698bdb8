"""The stretch safety questions: asked once before a first stretch, changed in /settings."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application

from bot.handlers import onboarding
from bot.handlers.common import StaleButton, answer_quietly, routed, show
from bot.handlers.context import LimberContext
from bot.handlers.guided import session_command
from bot.handlers.stretch import send_stretch
from bot.render.callbacks import Action, Callback
from bot.render.i18n import text
from bot.render.precautions import (
    ANSWER_SAVED,
    Origin,
    parse_answer,
    parse_question,
    render_first_run_done,
    render_question,
    render_safety_screen,
)
from bot.usecases import accounts


async def safety_screen(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await show(query, *render_safety_screen(context.t, context.require_account().precautions))


async def one_question(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    precaution = parse_question(callback)
    if precaution is None:
        raise StaleButton
    await answer_quietly(query)
    answers = context.require_account().precautions
    await show(query, *render_question(context.t, precaution, answers, Origin.SETTINGS))


async def answer(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    """Save an answer, then: the next question, or what the questions stood before (a
    stretch, the session menu, onboarding's next step), or (from settings) the updated screen."""
    press = parse_answer(callback)
    if press is None:
        raise StaleButton
    recorded = await accounts.answer_precaution(
        context.services, context.require_account().user_id, press.precaution, press.answer
    )
    if recorded is None:
        raise StaleButton
    context.account, before = recorded
    after = context.account.precautions
    if press.origin is Origin.SETTINGS:
        await answer_quietly(query, text(context.t, ANSWER_SAVED))
        await show(query, *render_safety_screen(context.t, after))
        return
    await answer_quietly(query)
    unasked = after.next_unasked()
    if unasked is not None:
        await show(query, *render_question(context.t, unasked, after, press.origin))
        return
    if press.origin is Origin.ONBOARDING:
        await onboarding.show_step(update, context, query)
        return
    await show(query, render_first_run_done(context.t, after), None)
    if before.complete:  # a second press on an answered question sends nothing more
        return
    if press.origin is Origin.SESSION:  # the routines again: the one chosen may be ruled out now
        await session_command(update, context)
    else:
        await send_stretch(update, context)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        routed(
            {
                Action.SAFETY_MENU: safety_screen,
                Action.SAFETY_QUESTION: one_question,
                Action.SAFETY_ANSWER: answer,
            }
        )
    )
