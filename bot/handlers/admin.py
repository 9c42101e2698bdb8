"""/stats for the operators named in LIMBER_ADMIN_IDS; an unknown command for everyone else."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.db.stats import Stats, collect_stats
from bot.handlers.common import reply
from bot.render.texts import UNKNOWN_COMMAND
from bot.services import services


def render_stats(stats: Stats) -> str:
    today = stats.deliveries_today
    failures = sum(today.get(status, 0) for status in ("failed", "blocked", "unknown"))
    tiers = ", ".join(f"{escape(t)} {n}" for t, n in sorted(stats.checks_by_tier.items()))
    return "\n".join(
        [
            "<b>Limber stats</b>",
            f"Users: {stats.users} (active {stats.active}, with a reminder {stats.scheduled})",
            f"Reminders today (UTC): sent {today.get('sent', 0)}, skipped "
            f"{today.get('skipped', 0)}, failed {failures}, waiting "
            f"{today.get('pending', 0) + today.get('sending', 0)}",
            f"Red-flag check outcomes: {tiers or 'none yet'}",
        ]
    )


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
