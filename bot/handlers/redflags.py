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
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.domain.redflags import Outcome, common_length, next_step, progress
from bot.domain.redflags_state import CheckId, decode_state, new_check
from bot.domain.symptom_text import concern
from bot.handlers.common import answer_quietly, drop_keyboard, local_emergency, reply, show
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, decode, pattern
from bot.render.i18n import text
from bot.render.redflags import (
    EXPIRED,
    NOTHING_TO_CANCEL,
    STOPPED,
    render_intro,
    render_outcome,
    render_outcome_notes,
    render_question,
    render_symptom_reply,
    render_timed_out,
)
from bot.render.redflags_buttons import question_keyboard
from bot.render.texts import next_step_keyboard
from bot.usecases import safety

ASKING = 0
MESSAGE_KEY = "redflags_message_id"


async def start_check(update: Update, context: LimberContext) -> int:
    svc = context.services
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    checklist, t = context.content.redflags, context.t
    emergency = local_emergency(update, context)
    await reply(update, render_intro(t, checklist, emergency, common_length(checklist)))
    first = next_step(checklist, {})
    assert not isinstance(first, Outcome), "a checklist starts with a question"
    number, total = progress(checklist, {})
    now = svc.clock.now()
    message = await reply(
        update,
        render_question(t, first, number, total),
        question_keyboard(t, checklist, first, {}, new_check(now), now),
    )
    if message is not None and context.chat_data is not None:
        context.chat_data[MESSAGE_KEY] = message.message_id
    return ASKING


async def on_answer(update: Update, context: LimberContext) -> int:
    query = update.callback_query
    if query is None:
        return ConversationHandler.END
    svc = context.services
    callback = decode(query.data)
    now = svc.clock.now()
    idle = timedelta(seconds=svc.settings.redflags_idle_seconds)
    checklist = context.content.redflags
    state = decode_state(checklist, callback.args, now, idle) if callback else None
    if state is None:
        expired = text(context.t, EXPIRED)
        await answer_quietly(query, expired)
        await show(query, expired, None)
        return ConversationHandler.END
    await answer_quietly(query)
    step = next_step(checklist, state.answers)
    if isinstance(step, Outcome):
        if context.chat_data is not None:
            context.chat_data.pop(MESSAGE_KEY, None)
        await _finish(update, context, step, state.check)
        return ConversationHandler.END
    if context.chat_data is not None and query.message is not None:
        context.chat_data[MESSAGE_KEY] = query.message.message_id
    number, total = progress(checklist, state.answers)
    await show(
        query,
        render_question(context.t, step, number, total),
        question_keyboard(context.t, checklist, step, state.answers, state.check, now),
    )
    return ASKING


async def _finish(update: Update, context: LimberContext, outcome: Outcome, check: CheckId) -> None:
    """Save the outcome once per check, hold reminders when care is advised, show the advice.

    The advice goes out as a new message, so it is the newest thing in the chat; then the
    question goes, so its buttons cannot be pressed again.
    """
    query = update.callback_query
    if query is None:
        return
    svc = context.services
    recorded = await safety.finish_check(svc, query.from_user.id, outcome, check.key)
    t = context.t
    notes = render_outcome_notes(t, outcome, recorded)
    emergency = local_emergency(update, context)
    # All clear: on to a stretch. Where care is advised, the advice is the next step.
    onward = None if outcome.places_hold else next_step_keyboard(t)
    await reply(
        update, render_outcome(t, context.content.redflags, outcome, emergency, notes), onward
    )
    try:
        await query.delete_message()
    except BadRequest:  # too old to delete, or gone already: at least take the buttons off
        await drop_keyboard(query)


async def _close_question(context: LimberContext, chat_id: int | None, text: str) -> None:
    """Replace the open question (if we know it) so its buttons cannot be pressed any more."""
    message_id = context.chat_data.pop(MESSAGE_KEY, None) if context.chat_data else None
    if message_id is None or chat_id is None:
        return
    with suppress(BadRequest):  # already edited or deleted: nothing left to close
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)


async def on_stop(update: Update, context: LimberContext) -> int:
    query = update.callback_query
    if query is not None:
        await answer_quietly(query)
        await show(query, text(context.t, STOPPED), next_step_keyboard(context.t, check_again=True))
        if context.chat_data is not None:
            context.chat_data.pop(MESSAGE_KEY, None)
    return ConversationHandler.END


async def on_cancel(update: Update, context: LimberContext) -> int:
    chat_id = update.effective_chat.id if update.effective_chat else None
    await _close_question(context, chat_id, text(context.t, STOPPED))
    await reply(update, text(context.t, STOPPED), next_step_keyboard(context.t, check_again=True))
    return ConversationHandler.END


async def on_text_during_check(update: Update, context: LimberContext) -> int:
    """Typing during the check: the emergency line if the words call for it, then the buttons."""
    message = update.effective_message
    typed = message.text if message is not None and message.text else ""
    emergency = local_emergency(update, context)
    await reply(update, render_symptom_reply(context.t, concern(typed), emergency, in_check=True))
    return ASKING


async def on_timeout(update: Update, context: LimberContext) -> None:
    message = render_timed_out(context.t, context.services.settings.redflags_idle_seconds)
    chat_id = update.effective_chat.id if update.effective_chat else None
    await _close_question(context, chat_id, message)
    if update.effective_chat is not None:
        await update.effective_chat.send_message(message)


async def nothing_to_cancel(update: Update, context: LimberContext) -> None:
    await reply(update, text(context.t, NOTHING_TO_CANCEL))


def register(application: Application, idle_seconds: float) -> None:  # type: ignore[type-arg]
    answers = CallbackQueryHandler(
        on_answer, pattern=pattern(Action.REDFLAGS_ANSWER, Action.REDFLAGS_BACK)
    )
    stop = CallbackQueryHandler(on_stop, pattern=pattern(Action.REDFLAGS_STOP))
    start_button = CallbackQueryHandler(start_check, pattern=pattern(Action.REDFLAGS_START))
    command = CommandHandler("redflags", start_check)
    # The deep link t.me/<bot>?start=redflags opens the check too.
    deep_link = CommandHandler(
        "start", start_check, filters=filters.Regex(r"^/start(?:@\w+)?\s+redflags\s*$")
    )
    typed = MessageHandler(
        filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED & filters.TEXT & ~filters.COMMAND,
        on_text_during_check,
    )
    # Handlers returning a state are typed BaseHandler[..., int]; the list wants ..., object.
    in_check: list[BaseHandler[Update, LimberContext, object]] = [
        answers,  # type: ignore[list-item]
        stop,  # type: ignore[list-item]
        command,  # type: ignore[list-item]
        deep_link,  # type: ignore[list-item]
        start_button,  # type: ignore[list-item]
    ]
    # PTB warns that per_message=False does not track buttons per message; that is intended:
    # one check per chat, and the buttons carry their own state.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        conversation: ConversationHandler[LimberContext] = ConversationHandler(
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
