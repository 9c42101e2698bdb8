"""A new user's /start: one screen at a time (focus, level, what they can do, the safety
questions, a reminder time and zone), every step skippable, ending with the first stretch.

The step is stored on the user, so /start after a restart or a command typed half-way shows
the step they were at.
"""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application

from bot.catalog.stretches import Area, Need
from bot.domain.awaiting import AWAIT_TIME, pending_time
from bot.domain.onboarding import Step, current_step
from bot.domain.zone_guess import likely_zones
from bot.handlers.common import StaleButton, answer_quietly, present, routed
from bot.handlers.context import LimberContext
from bot.handlers.stretch import send_stretch
from bot.render import onboarding as screens
from bot.render.callbacks import Action, Callback
from bot.render.i18n import text
from bot.render.precautions import Origin, render_question
from bot.usecases import accounts

AREAS = frozenset(area.value for area in Area)
NEEDS = {need.value: need for need in Need}


async def show_step(
    update: Update,
    context: LimberContext,
    query: CallbackQuery | None = None,
    *,
    welcome: bool = False,
) -> None:
    """The screen of the step the user is at; the first stretch once they are through."""
    account = context.require_account()
    step = current_step(account.onboarding_step)
    t = context.t
    if step is Step.SAFETY:
        unasked = account.precautions.next_unasked()
        if unasked is None:  # answered before (a /stretch came first): nothing to ask
            context.account = await accounts.leave_onboarding_step(
                context.services, account.user_id, Step.SAFETY
            )
            await show_step(update, context, query, welcome=welcome)
            return
        screen = render_question(t, unasked, account.precautions, Origin.ONBOARDING)
    elif step is Step.FOCUS:
        screen = screens.focus_step(t, account)
    elif step is Step.LEVEL:
        screen = screens.level_step(t)
    elif step is Step.ABILITIES:
        screen = screens.abilities_step(t, account)
    elif step is Step.TIME:
        context.account = await accounts.await_reply(context.services, account.user_id, AWAIT_TIME)
        screen = screens.time_step(t)
    elif step is Step.ZONE:
        pending = pending_time(account.awaiting_reply)
        sender = update.effective_user
        likely = likely_zones(sender.language_code if sender else account.language)
        screen = screens.zone_step(t, pending, likely)
    else:
        await finish(update, context, query)
        return
    if welcome:
        user = update.effective_user
        screen = (
            screens.render_welcome(t, user.first_name if user else None) + "\n\n" + screen[0],
            screen[1],
        )
    await present(update, query, screen)


async def finish(update: Update, context: LimberContext, query: CallbackQuery | None) -> None:
    """Onboarding is over: say so, then the first stretch."""
    context.account = await accounts.finish_onboarding(
        context.services, context.require_account().user_id
    )
    await present(update, query, (text(context.t, screens.FINISHED), None))
    await send_stretch(update, context)


async def _leave(update: Update, context: LimberContext, query: CallbackQuery, step: Step) -> None:
    context.account = await accounts.leave_onboarding_step(
        context.services, context.require_account().user_id, step
    )
    await show_step(update, context, query)


async def toggle_focus(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    area = callback.arg() or ""
    if area not in AREAS:
        raise StaleButton
    await answer_quietly(query)
    user_id = context.require_account().user_id
    context.account = await accounts.toggle_focus(context.services, user_id, area)
    await show_step(update, context, query)


async def choose_level(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    await answer_quietly(query)
    user_id = context.require_account().user_id
    if current_step(context.require_account().onboarding_step) is Step.LEVEL:
        await accounts.set_level(context.services, user_id, int(callback.arg() or "1"))
    await _leave(update, context, query, Step.LEVEL)


async def toggle_need(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    need = NEEDS.get(callback.arg() or "")
    if need is None:
        raise StaleButton
    await answer_quietly(query)
    user_id = context.require_account().user_id
    context.account = await accounts.toggle_cannot(context.services, user_id, need)
    await show_step(update, context, query)


async def next_step(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    """Next or Skip: move past the step the button belongs to."""
    await answer_quietly(query)
    await _leave(update, context, query, Step(int(callback.arg() or "1")))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        routed(
            {
                Action.ONBOARD_FOCUS: toggle_focus,
                Action.ONBOARD_LEVEL: choose_level,
                Action.ONBOARD_NEED: toggle_need,
                Action.ONBOARD_NEXT: next_step,
            }
        )
    )
