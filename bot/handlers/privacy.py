"""/mydata (see and export everything) and /forget (delete everything, after a confirmation)."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.db.engine import checkpoint_wal
from bot.db.privacy import delete_user, export_user
from bot.handlers.common import answer_quietly, reply, show
from bot.render.callbacks import Action, decode
from bot.render.privacy import (
    FORGET_CANCELLED,
    FORGET_DONE,
    FORGET_QUESTION,
    export_file_bytes,
    forget_keyboard,
    render_data_summary,
)
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
    await reply(update, FORGET_QUESTION, forget_keyboard())


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, sender = update.callback_query, update.effective_user
    if query is None or sender is None:
        return
    callback = decode(query.data)
    await answer_quietly(query)
    if callback is not None and callback.action is Action.FORGET_CONFIRM:
        async with services(context).transaction() as session:
            await delete_user(session, sender.id)
        await checkpoint_wal(services(context).sessions)  # the deleted rows leave the disk too
        await show(query, FORGET_DONE, None)
    else:
        await show(query, FORGET_CANCELLED, None)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("mydata", mydata_command))
    application.add_handler(CommandHandler("forget", forget_command))
    pattern = f"^1:({Action.FORGET_CONFIRM.value}|{Action.FORGET_CANCEL.value})$"
    application.add_handler(CallbackQueryHandler(forget_button, pattern=pattern))
