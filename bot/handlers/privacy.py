"""/mydata (see and export everything) and /forget (delete everything, after a confirmation)."""

from __future__ import annotations

from telegram import InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.db.engine import checkpoint_wal
from bot.db.privacy import delete_user, export_user
from bot.domain.buttons import confirmation_is_valid
from bot.handlers.common import answer_quietly, reply, show
from bot.render.callbacks import Action, decode, pattern
from bot.render.privacy import (
    FORGET_CANCELLED,
    FORGET_DONE,
    FORGET_EXPIRED,
    FORGET_QUESTION,
    export_file_bytes,
    forget_keyboard,
    render_data_summary,
)
from bot.render.texts import STALE_BUTTON
from bot.services import services


async def mydata_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        return
    async with services(context).transaction() as session:
        export = await export_user(session, sender.id)
    await reply(update, render_data_summary(export))
    if export.get("users"):
        await chat.send_document(
            InputFile(export_file_bytes(export), filename="limber-my-data.json"),
            caption="Everything Limber stores about you, as JSON.",
        )


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The confirm button names the message it is shown on: it deletes only from there, never
    # from a forged or replayed press on another message.
    question = await reply(update, FORGET_QUESTION)
    if question is not None:
        await question.edit_reply_markup(forget_keyboard(question.message_id))


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, sender = update.callback_query, update.effective_user
    if query is None or sender is None:
        return
    svc = services(context)
    callback = decode(query.data)
    if callback is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    if callback.action is Action.FORGET_CANCEL:
        await answer_quietly(query)
        await show(query, FORGET_CANCELLED, None)
        return
    message = query.message
    if not isinstance(message, Message) or not confirmation_is_valid(
        callback.arg(), message.message_id, message.date, svc.clock.now()
    ):
        await answer_quietly(query, FORGET_EXPIRED)
        return
    await answer_quietly(query)
    async with svc.transaction() as session:
        await delete_user(session, sender.id)
    await checkpoint_wal(svc.sessions)  # the deleted rows leave the disk too
    await show(query, FORGET_DONE, None)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("mydata", mydata_command))
    application.add_handler(CommandHandler("forget", forget_command))
    application.add_handler(
        CallbackQueryHandler(
            forget_button, pattern=pattern(Action.FORGET_CONFIRM, Action.FORGET_CANCEL)
        )
    )
