"""/stats for the operators named in LIMBER_ADMIN_IDS; an unknown command for everyone else."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.db.stats import collect_stats
from bot.handlers.common import reply
from bot.render.stats import render_stats
from bot.render.texts import UNKNOWN_COMMAND
from bot.services import services


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    sender = update.effective_user
    if sender is None or sender.id not in svc.settings.admin_id_set:
        await reply(update, UNKNOWN_COMMAND)
        return
    now = svc.clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with svc.sessions() as session:
        stats = await collect_stats(session, day_start)
    await reply(update, render_stats(stats))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("stats", stats_command))
