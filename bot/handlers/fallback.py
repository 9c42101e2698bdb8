"""Replies for everything no feature handled: unknown commands, free text, stale buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.handlers.common import answer_quietly, reply
from bot.render.texts import FREE_TEXT, STALE_BUTTON, UNKNOWN_COMMAND


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, UNKNOWN_COMMAND)


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, FREE_TEXT)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query is not None:
        await answer_quietly(update.callback_query, STALE_BUTTON)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Register last: within a group the first matching handler wins, so these see only
    what no feature took."""
    private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(private & ~filters.COMMAND, free_text))
    application.add_handler(CallbackQueryHandler(stale_button))
