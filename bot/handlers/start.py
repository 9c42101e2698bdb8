"""/start, /help and /about."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.common import reply
from bot.handlers.context import LimberContext
from bot.render.i18n import text
from bot.render.texts import ABOUT, render_help, render_welcome, start_keyboard


async def start(update: Update, context: LimberContext) -> None:
    first_name = update.effective_user.first_name if update.effective_user else None
    await reply(update, render_welcome(context.t, first_name), start_keyboard(context.t))


async def help_command(update: Update, context: LimberContext) -> None:
    await reply(update, render_help(context.t))


async def about_command(update: Update, context: LimberContext) -> None:
    await reply(update, text(context.t, ABOUT))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("about", about_command))
