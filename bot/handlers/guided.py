"""/session and the hold timer: choose a session, go through its steps (Start timer, Next,
Skip, Stop), and time a single stretch card ("Start 30 s")."""

from __future__ import annotations

from contextlib import suppress

from telegram import CallbackQuery, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler

from bot.catalog.stretches import Stretch
from bot.handlers.common import StaleButton, answer_quietly, drop_keyboard, reply, routed
from bot.handlers.context import LimberContext
from bot.handlers.feedback import ask_feedback
from bot.handlers.stretch import in_their_language, send_illustration
from bot.render.callbacks import Action, Callback
from bot.render.guided import (
    FOR_ME,
    render_countdown,
    render_session_end,
    render_session_intro,
    render_session_menu,
    render_session_step,
    render_timer_stopped,
    session_end_keyboard,
    session_step_keyboard,
    session_title,
)
from bot.render.precautions import Origin, render_question
from bot.render.stretch_card import on_hold_screen
from bot.usecases import guided, timers
from bot.usecases.practice import AskPrecaution, OnHold
from bot.usecases.timers import TimerRef, TimerStarted


async def session_command(update: Update, context: LimberContext) -> None:
    await reply(update, *render_session_menu(context.t, context.content.routines))


async def session_menu(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await drop_keyboard(query)
    await session_command(update, context)


async def start_session(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    routine_id = callback.arg()
    user_id = context.require_account().user_id
    offer = await guided.start_session(
        context.services, user_id, None if routine_id == FOR_ME else routine_id
    )
    t = context.t
    if offer is None:  # a routine that is gone from the content
        raise StaleButton
    await answer_quietly(query)
    if isinstance(offer, OnHold):
        await reply(update, *on_hold_screen(t))
    elif isinstance(offer, AskPrecaution):
        await reply(update, *render_question(t, offer.precaution, offer.answers, Origin.SESSION))
    else:
        await drop_keyboard(query)
        routine = next((r for r in context.content.routines if r.id == offer.routine), None)
        intro = render_session_intro(
            t, session_title(t, routine), offer.steps, offer.total_seconds, offer.replaced
        )
        await reply(update, intro)
        await _show_step(update, context, offer)


async def _show_step(update: Update, context: LimberContext, view: guided.SessionView) -> None:
    """The current step: its picture, then its card with the session's buttons."""
    stretch = in_their_language(context, view.step.stretch)
    await send_illustration(update, context, stretch)
    card = render_session_step(context.t, stretch, view.step, view.index, len(view.steps))
    await reply(update, card, session_step_keyboard(context.t, view.token, view.index, view.step))


def _session_args(callback: Callback) -> tuple[int, int]:
    return int(callback.arg(0) or 0), int(callback.arg(1) or 0)


async def next_or_skip(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    token, index = _session_args(callback)
    outcome = (
        guided.Outcome.DONE if callback.action is Action.SESSION_NEXT else guided.Outcome.SKIPPED
    )
    moved = await guided.move_on(
        context.services, context.require_account().user_id, token, index, outcome
    )
    if moved is None:
        raise StaleButton
    await answer_quietly(query)
    await drop_keyboard(query)
    t = context.t
    if isinstance(moved, OnHold):
        await reply(update, *on_hold_screen(t))
        return
    await _close_countdown(context, moved.stopped_timer)
    if isinstance(moved.session, guided.SessionView):
        await _show_step(update, context, moved.session)
    else:
        await _show_end(update, context, moved.session)


async def stop(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    token = int(callback.arg(0) or 0)
    moved = await guided.stop_session(context.services, context.require_account().user_id, token)
    if moved is None:
        raise StaleButton
    await answer_quietly(query)
    await drop_keyboard(query)
    await _close_countdown(context, moved.stopped_timer)
    if isinstance(moved.session, guided.SessionEnded):
        await _show_end(update, context, moved.session)


async def _show_end(update: Update, context: LimberContext, ended: guided.SessionEnded) -> None:
    """The session's summary, with "How did that feel?" about what was done (which adapts
    levels and holds) and the offer of another session."""
    t = context.t
    summary = render_session_end(
        t,
        done=ended.done,
        skipped=ended.skipped,
        count=len(ended.steps),
        stopped=ended.stopped,
        streak=ended.streak,
    )
    if ended.done_ids:
        await ask_feedback(
            update, context, ended.done_ids, lead=summary, more=session_end_keyboard(t)
        )
    else:
        await reply(update, summary, session_end_keyboard(t))


async def session_timer(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    token, index = _session_args(callback)
    chat = update.effective_chat
    user_id = context.require_account().user_id
    started = await guided.start_step_timer(
        context.services, user_id, chat.id if chat else user_id, token, index
    )
    if started is None:
        raise StaleButton
    view, timer = started
    await _run_timer(update, context, view.step.stretch, timer)
    await answer_quietly(query)  # last: the countdown is running once the press is answered


async def card_timer(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    stretch = context.services.stretches.get(callback.arg() or "")
    if stretch is None:
        raise StaleButton
    chat = update.effective_chat
    user_id = context.require_account().user_id
    timer = await timers.start_card_timer(
        context.services, user_id, chat.id if chat else user_id, stretch
    )
    if timer is None:
        raise StaleButton
    await _run_timer(update, context, stretch, timer)
    await answer_quietly(query)


async def _run_timer(
    update: Update, context: LimberContext, stretch: Stretch, timer: TimerStarted | OnHold
) -> None:
    """Send the countdown message (the tick edits it from then on); the timer it replaced
    says it stopped."""
    t = context.t
    if isinstance(timer, OnHold):
        await reply(update, *on_hold_screen(t))
        return
    await _close_countdown(context, timer.replaced)
    shown = in_their_language(context, stretch)
    message = await reply(update, render_countdown(t, shown, None))
    if message is not None:
        await timers.attach_timer_message(
            context.services,
            context.require_account().user_id,
            timer.started_at,
            message.message_id,
        )


async def _close_countdown(context: LimberContext, ref: TimerRef | None) -> None:
    """A stopped timer's countdown says so (once; a deleted or unchanged message is fine)."""
    if ref is None or ref.message_id is None:
        return
    t = context.t
    stretch = context.content.stretches.get(ref.stretch_id)
    shown = render_timer_stopped(t, stretch, finished=ref.finished)
    with suppress(BadRequest):
        await context.bot.edit_message_text(
            shown, chat_id=ref.chat_id, message_id=ref.message_id, parse_mode=ParseMode.HTML
        )


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("session", session_command))
    application.add_handler(
        routed(
            {
                Action.SESSION_MENU: session_menu,
                Action.SESSION_START: start_session,
                Action.SESSION_NEXT: next_or_skip,
                Action.SESSION_SKIP: next_or_skip,
                Action.SESSION_STOP: stop,
                Action.SESSION_TIMER: session_timer,
                Action.TIMER_START: card_timer,
            }
        )
    )
