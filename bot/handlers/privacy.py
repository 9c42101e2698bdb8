"""/mydata (see and export everything) and /forget (delete everything, after a confirmation)."""

from __future__ import annotations

from telegram import CallbackQuery, InputFile, Message, Update
from telegram.ext import Application, CommandHandler

from bot.domain.buttons import confirmation_is_valid
from bot.handlers.common import answer_quietly, reply, routed, show
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback
from bot.render.i18n import text
from bot.render.privacy import (
    EXPORT_CAPTION,
    EXPORT_FILENAME,
    FORGET_CANCELLED,
    FORGET_DONE,
    FORGET_EXPIRED,
    FORGET_QUESTION,
    export_file_bytes,
    forget_keyboard,
    render_data_summary,
)
from bot.usecases import privacy


async def mydata_command(update: Update, context: LimberContext) -> None:
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        return
    export = await privacy.export(context.services, sender.id)
    await reply(update, render_data_summary(context.t, export))
    if export.get("users"):
        await chat.send_document(
            InputFile(export_file_bytes(export), filename=EXPORT_FILENAME),
            caption=text(context.t, EXPORT_CAPTION),
        )


async def forget_command(update: Update, context: LimberContext) -> None:
    # The confirm button names the message it is shown on: it deletes only from there, never
    # from a forged or replayed press on another message.
    question = await reply(update, text(context.t, FORGET_QUESTION))
    if question is not None:
        await question.edit_reply_markup(forget_keyboard(context.t, question.message_id))


async def forget_confirmed(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    message, svc = query.message, context.services
    if not isinstance(message, Message) or not confirmation_is_valid(
        callback.arg(), message.message_id, message.date, svc.clock.now()
    ):
        await answer_quietly(query, text(context.t, FORGET_EXPIRED))
        return
    await answer_quietly(query)
    await privacy.forget(svc, query.from_user.id)
    await show(query, text(context.t, FORGET_DONE), None)


async def forget_cancelled(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await show(query, text(context.t, FORGET_CANCELLED), None)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("mydata", mydata_command))
    application.add_handler(CommandHandler("forget", forget_command))
    application.add_handler(
        routed({Action.FORGET_CONFIRM: forget_confirmed, Action.FORGET_CANCEL: forget_cancelled})
    )
