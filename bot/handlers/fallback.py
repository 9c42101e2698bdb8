"""Replies for everything no feature handled: unknown commands, free text, stale buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.domain.symptom_text import Concern, concern
from bot.handlers.common import StaleButton, local_emergency, reply
from bot.handlers.context import LimberContext
from bot.render.i18n import text
from bot.render.redflags import render_symptom_reply
from bot.render.texts import FREE_TEXT, UNKNOWN_COMMAND


async def unknown_command(update: Update, context: LimberContext) -> None:
    await reply(update, text(context.t, UNKNOWN_COMMAND))


async def free_text(update: Update, context: LimberContext) -> None:
    """Free text about symptoms is answered with the red-flag check, never with a stretch."""
    message = update.effective_message
    found = concern(message.text if message is not None and message.text else "")
    if found is Concern.NONE:
        await reply(update, text(context.t, FREE_TEXT))
        return
    emergency = local_emergency(update, context)
    await reply(update, render_symptom_reply(context.t, found, emergency, in_check=False))


async def stale_button(update: Update, context: LimberContext) -> None:
    raise StaleButton  # no feature routes this data: answered by the error handler


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Register last: within a group the first matching handler wins, so these see only
    what no feature took."""
    private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(private & ~filters.COMMAND, free_text))
    application.add_handler(CallbackQueryHandler(stale_button))
