"""/start, /help and /about."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.onboarding import in_onboarding
from bot.handlers import onboarding
from bot.handlers.common import command_argument, reply
from bot.handlers.context import LimberContext
from bot.handlers.settings import settings_command
from bot.handlers.stretch import send_stretch
from bot.render.i18n import text
from bot.render.texts import ABOUT, render_help, render_welcome, start_keyboard


async def start(update: Update, context: LimberContext) -> None:
    """A deep link goes where it points; a new user gets onboarding (at the step they were
    at); everyone else a short welcome back and the menu. (``/start redflags`` is the
    red-flag check's own entry point.)"""
    link = command_argument(update).lower()
    if link == "stretch":
        await send_stretch(update, context)
    elif link == "settings":
        await settings_command(update, context)
    elif in_onboarding(context.account):
        await onboarding.show_step(update, context, welcome=True)
    else:
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
