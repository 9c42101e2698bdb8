"""/start, /help and /about."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.handlers.common import current_user, reply
from bot.render.callbacks import Action, encode
from bot.render.texts import ABOUT, render_help, render_welcome
from bot.services import services

START_KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("🧘 Stretch now", callback_data=encode(Action.STRETCH_NOW))],
        [
            InlineKeyboardButton(
                "⏰ Set a daily reminder", callback_data=encode(Action.SET_REMINDER)
            )
        ],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await current_user(update, services(context))
    first_name = update.effective_user.first_name if update.effective_user else None
    await reply(update, render_welcome(first_name), START_KEYBOARD)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, render_help())


async def about_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, ABOUT)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("about", about_command))
