"""What operators may see: counts, never a user."""

from __future__ import annotations

from bot.db.stats import collect_stats
from bot.domain.stats import Stats
from bot.services import Services


async def stats(svc: Services) -> Stats:
    """Users, today's reminders by outcome (UTC day) and check outcomes by tier."""
    now = svc.clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with svc.sessions() as session:
        return await collect_stats(session, day_start)
