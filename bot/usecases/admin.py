"""What operators may see: counts, never a user."""

from __future__ import annotations

from dataclasses import replace

from bot.db.stats import collect_retention, collect_stats
from bot.domain.stats import Retention, Stats
from bot.services import Services


async def stats(svc: Services) -> Stats:
    """Users, today's reminders by outcome (UTC day), check outcomes by tier, retention."""
    now = svc.clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with svc.sessions() as session:
        counts = await collect_stats(session, day_start)
        return replace(counts, retention=await collect_retention(session, now))


async def retention(svc: Services) -> Retention:
    """Retention and last-seven-days counts (for /metrics)."""
    async with svc.sessions() as session:
        return await collect_retention(session, svc.clock.now())
