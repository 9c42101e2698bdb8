"""/stats for the operators named in LIMBER_ADMIN_IDS; an unknown command for everyone else."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.handlers.common import reply
from bot.handlers.context import LimberContext
from bot.render.i18n import text
from bot.render.stats import render_stats
from bot.render.texts import UNKNOWN_COMMAND
from bot.usecases import admin


async def stats_command(update: Update, context: LimberContext) -> None:
    svc, sender = context.services, update.effective_user
    if sender is None or sender.id not in svc.settings.admin_id_set:
        await reply(update, text(context.t, UNKNOWN_COMMAND))
        return
    stats = await admin.stats(svc, context.bot_data.lateness)
    await reply(update, render_stats(context.t, stats))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("stats", stats_command))
