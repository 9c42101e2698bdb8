"""/redflags: the red-flag check, one question at a time, and the safety hold it can set.

The answers travel inside the buttons (see ``render.redflags_buttons``), so the check survives
a restart and is never stored; only the outcome tier, its time and the check's identity are
saved, once per check. The ConversationHandler adds /cancel, the polite end after a stretch
of idleness, and a reminder to use the buttons when someone types during the check.
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
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.catalog.redflags import Tier
from bot.db.checks import record_check
from bot.db.models import User
from bot.db.users import ensure_user, get_user, reschedule
from bot.domain.redflags import Outcome, common_length, next_step, progress
from bot.domain.symptom_text import concern
from bot.handlers.common import answer_quietly, drop_keyboard, local_emergency, reply, show
from bot.render.callbacks import Action, decode, pattern
from bot.render.redflags import (
    DATA_DELETED_NOTE,
    EXPIRED,
    HOLD_NOTE_REMINDERS,
    HOLD_NOTE_STRETCHES,
    STOPPED,
    TIMED_OUT,
    render_intro,
    render_outcome,
    render_question,
    render_symptom_reply,
)
from bot.render.redflags_buttons import CheckId, decode_state, new_check, question_keyboard
from bot.services import Services, services

ASKING = 0
MESSAGE_KEY = "redflags_message_id"
HOLD_TIERS = frozenset({Tier.EMERGENCY, Tier.URGENT})
NOTHING_TO_CANCEL = "There's nothing to cancel right now. Send /help to see what I can do."


async def start_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    svc = services(context)
    sender, chat = update.effective_user, update.effective_chat
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    elif sender is not None and chat is not None:
        # The command is first contact for some users; a button press never creates a row.
        async with svc.transaction() as session:
            await ensure_user(session, sender.id, chat.id, svc.clock.now())
    checklist = svc.redflags
    emergency = await local_emergency(update, svc)
    await reply(update, render_intro(checklist, emergency, common_length(checklist)))
    first = next_step(checklist, {})
    assert not isinstance(first, Outcome), "a checklist starts with a question"
    number, total = progress(checklist, {})
    now = svc.clock.now()
    message = await reply(
        update,
        render_question(first, number, total),
        question_keyboard(checklist, first, {}, new_check(now), now),
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
    now = svc.clock.now()
    idle = timedelta(seconds=svc.settings.redflags_idle_seconds)
    state = decode_state(svc.redflags, callback, now, idle) if callback else None
    if state is None:
        await answer_quietly(query, EXPIRED)
        await show(query, EXPIRED, None)
        return ConversationHandler.END
    await answer_quietly(query)
    step = next_step(svc.redflags, state.answers)
    if isinstance(step, Outcome):
        if context.chat_data is not None:
            context.chat_data.pop(MESSAGE_KEY, None)
        await _finish(update, svc, step, state.check)
        return ConversationHandler.END
    if context.chat_data is not None and query.message is not None:
        context.chat_data[MESSAGE_KEY] = query.message.message_id
    number, total = progress(svc.redflags, state.answers)
    await show(
        query,
        render_question(step, number, total),
        question_keyboard(svc.redflags, step, state.answers, state.check, now),
    )
    return ASKING


async def _finish(update: Update, svc: Services, outcome: Outcome, check: CheckId) -> None:
    """Save the outcome once per check, hold reminders when care is advised, show the advice.

    The advice goes out as a new message, so it is the newest thing in the chat; then the
    question goes, so its buttons cannot be pressed again.
    """
    sender, query = update.effective_user, update.callback_query
    if sender is None or query is None:
        return
    now = svc.clock.now()
    async with svc.transaction() as session:
        user = await get_user(session, sender.id)
        if user is None:
            notes = [DATA_DELETED_NOTE]  # /forget since the check began: store nothing
        else:
            stored = await record_check(session, user.id, outcome.tier.value, check.key, now)
            if stored and outcome.tier in HOLD_TIERS:
                user.on_hold_since = now
                user.snooze_due_at = None
                reschedule(user, now)
            notes = _hold_notes(user, outcome)
    emergency = await local_emergency(update, svc)
    await reply(update, render_outcome(svc.redflags, outcome, emergency, notes))
    try:
        await query.delete_message()
    except BadRequest:  # too old to delete, or gone already: at least take the buttons off
        await drop_keyboard(query)


def _hold_notes(user: User, outcome: Outcome) -> list[str]:
    """What the hold means for this user; nothing about reminders they never set."""
    if outcome.tier not in HOLD_TIERS or user.on_hold_since is None:
        return []
    has_reminders = user.reminder_time is not None and not user.paused
    return [HOLD_NOTE_REMINDERS if has_reminders else HOLD_NOTE_STRETCHES]


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


async def on_text_during_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Typing during the check: the emergency line if the words call for it, then the buttons."""
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    emergency = await local_emergency(update, services(context))
    await reply(update, render_symptom_reply(concern(text), emergency, in_check=True))
    return ASKING


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
        on_answer, pattern=pattern(Action.REDFLAGS_ANSWER, Action.REDFLAGS_BACK)
    )
    stop = CallbackQueryHandler(on_stop, pattern=pattern(Action.REDFLAGS_STOP))
    start_button = CallbackQueryHandler(start_check, pattern=pattern(Action.REDFLAGS_START))
    command = CommandHandler("redflags", start_check)
    typed = MessageHandler(
        filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED & filters.TEXT & ~filters.COMMAND,
        on_text_during_check,
    )
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
                ASKING: [*in_check, typed],  # type: ignore[list-item]
                ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
            },
            fallbacks=[CommandHandler("cancel", on_cancel)],
            conversation_timeout=idle_seconds,
            allow_reentry=True,
            name="redflags",
        )
    application.add_handler(conversation)
    application.add_handler(CommandHandler("cancel", nothing_to_cancel))
