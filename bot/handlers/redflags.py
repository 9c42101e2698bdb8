"""/redflags: the red-flag check, one question at a time, and the safety hold it can set.

The answers travel inside the buttons (see ``render.redflags_buttons``), so the check survives
a restart and is never stored; only the outcome tier and its time are saved. The
ConversationHandler adds /cancel and the polite end after a stretch of idleness.
"""

from __future__ import annotations

import warnings
from contextlib import suppress
from datetime import timedelta

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

from bot.catalog.redflags import Tier
from bot.db.models import Check
from bot.db.users import ensure_user, reschedule
from bot.domain.emergency_numbers import EmergencyNumber, emergency_number
from bot.domain.redflags import Outcome, next_step, progress
from bot.handlers.common import answer_quietly, reply, show
from bot.render.callbacks import Action, decode
from bot.render.redflags import render_intro, render_outcome, render_question
from bot.render.redflags_buttons import decode_state, question_keyboard
from bot.services import Services, services

ASKING = 0
MESSAGE_KEY = "redflags_message_id"
HOLD_TIERS = frozenset({Tier.EMERGENCY, Tier.URGENT})

EXPIRED = "This check has ended. Send /redflags to start a new one."
STOPPED = "Check stopped. Nothing was saved. Send /redflags whenever you want to run it."
TIMED_OUT = (
    "I closed the red-flag check after {minutes} minutes without an answer. Nothing was saved. "
    "Send /redflags to start again."
)
HOLD_NOTE = (
    "⏸ I've paused your daily stretch reminders until a clinician has checked you. "
    "When they have, send /stretch and tap <b>I've been checked, resume</b>."
)
NOTHING_TO_CANCEL = "There's nothing to cancel right now. Send /help to see what I can do."


def _emergency(update: Update, zone: str | None) -> EmergencyNumber | None:
    language = update.effective_user.language_code if update.effective_user else None
    return emergency_number(
        timezone=zone if zone and zone != "UTC" else None, language_code=language
    )


async def _user_zone(update: Update, svc: Services) -> str | None:
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        return None
    async with svc.transaction() as session:
        user = await ensure_user(session, sender.id, chat.id, svc.clock.now())
        return user.timezone


async def start_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    svc = services(context)
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    zone = await _user_zone(update, svc)
    checklist = svc.redflags
    await reply(update, render_intro(checklist, _emergency(update, zone)))
    first = next_step(checklist, {})
    assert not isinstance(first, Outcome), "a checklist starts with a question"
    number, total = progress(checklist, {})
    message = await reply(
        update,
        render_question(first, number, total),
        question_keyboard(checklist, first, {}, svc.clock.now()),
    )
    if message is not None and context.chat_data is not None:
        context.chat_data[MESSAGE_KEY] = message.message_id
    return ASKING


async def on_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    if query is None:
        return ConversationHandler.END
    svc = services(context)
    callback = decode(query.data)
    state = decode_state(svc.redflags, callback) if callback else None
    now = svc.clock.now()
    idle = timedelta(seconds=svc.settings.redflags_idle_seconds)
    if state is None or now - state.shown_at > idle + timedelta(minutes=1):
        await answer_quietly(query, EXPIRED)
        await show(query, EXPIRED, None)
        return ConversationHandler.END
    await answer_quietly(query)
    if context.chat_data is not None and query.message is not None:
        context.chat_data[MESSAGE_KEY] = query.message.message_id
    step = next_step(svc.redflags, state.answers)
    if isinstance(step, Outcome):
        await _finish(update, svc, step)
        return ConversationHandler.END
    number, total = progress(svc.redflags, state.answers)
    await show(
        query,
        render_question(step, number, total),
        question_keyboard(svc.redflags, step, state.answers, now),
    )
    return ASKING


async def _finish(update: Update, svc: Services, outcome: Outcome) -> None:
    """Save only the tier and time, hold reminders when care is advised, show the advice."""
    sender, chat, query = update.effective_user, update.effective_chat, update.callback_query
    if sender is None or chat is None or query is None:
        return
    now = svc.clock.now()
    hold = outcome.tier in HOLD_TIERS
    async with svc.transaction() as session:
        user = await ensure_user(session, sender.id, chat.id, now)
        session.add(Check(user_id=user.id, tier=outcome.tier.value, checked_at=now))
        if hold:
            user.on_hold_since = now
            user.snooze_due_at = None
            reschedule(user, now)
        zone = user.timezone
    await show(query, render_outcome(svc.redflags, outcome, _emergency(update, zone)), None)
    if hold:
        await reply(update, HOLD_NOTE)


async def _close_question(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int | None, text: str
) -> None:
    """Replace the open question (if we know it) so its buttons cannot be pressed any more."""
    message_id = context.chat_data.pop(MESSAGE_KEY, None) if context.chat_data else None
    if message_id is None or chat_id is None:
        return
    with suppress(BadRequest):  # already edited or deleted: nothing left to close
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)


async def on_stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    if query is not None:
        await answer_quietly(query)
        await show(query, STOPPED, None)
        if context.chat_data is not None:
            context.chat_data.pop(MESSAGE_KEY, None)
    return ConversationHandler.END


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    chat_id = update.effective_chat.id if update.effective_chat else None
    await _close_question(context, chat_id, STOPPED)
    await reply(update, STOPPED)
    return ConversationHandler.END


async def on_timeout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    minutes = round(services(context).settings.redflags_idle_seconds / 60)
    text = TIMED_OUT.format(minutes=minutes)
    chat_id = update.effective_chat.id if update.effective_chat else None
    await _close_question(context, chat_id, text)
    if update.effective_chat is not None:
        await update.effective_chat.send_message(text)


async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, NOTHING_TO_CANCEL)


def register(application: Application, idle_seconds: float) -> None:  # type: ignore[type-arg]
    answers = CallbackQueryHandler(
        on_answer, pattern=f"^1:({Action.REDFLAGS_ANSWER.value}|{Action.REDFLAGS_BACK.value})(:|$)"
    )
    stop = CallbackQueryHandler(on_stop, pattern=f"^1:{Action.REDFLAGS_STOP.value}$")
    start_button = CallbackQueryHandler(start_check, pattern=f"^1:{Action.REDFLAGS_START.value}$")
    command = CommandHandler("redflags", start_check)
    # Handlers returning a state are typed BaseHandler[..., int]; the list wants ..., object.
    in_check: list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, object]] = [
        answers,  # type: ignore[list-item]
        stop,  # type: ignore[list-item]
        command,  # type: ignore[list-item]
        start_button,  # type: ignore[list-item]
    ]
    # PTB warns that per_message=False does not track buttons per message; that is intended:
    # one check per chat, and the buttons carry their own state.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        conversation = ConversationHandler(
            # Answer buttons are entry points too: after a restart, a press carries the check.
            entry_points=in_check,
            states={
                ASKING: in_check,
                ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
            },
            fallbacks=[CommandHandler("cancel", on_cancel)],
            conversation_timeout=idle_seconds,
            allow_reentry=True,
            name="redflags",
        )
    application.add_handler(conversation)
    application.add_handler(CommandHandler("cancel", nothing_to_cancel))
