"""What operators may see: counts, never a user."""

from __future__ import annotations

from dataclasses import replace

from bot.db.stats import collect_retention, collect_stats
from bot.domain.stats import Retention, Stats
from bot.services import Services
from bot.usecases.lateness import LatenessWatch


async def stats(svc: Services, lateness: LatenessWatch | None = None) -> Stats:
    """Users, today's reminders by outcome (UTC day), check outcomes by tier, retention, and
    the lateness outlook when a ``lateness`` watch is given."""
    now = svc.clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with svc.sessions() as session:
        counts = await collect_stats(session, day_start)
        counts = replace(counts, retention=await collect_retention(session, now))
    if lateness is None:
        return counts
    return replace(counts, lateness=await lateness.outlook(svc))


async def retention(svc: Services) -> Retention:
    """Retention and last-seven-days counts (for /metrics)."""
    async with svc.sessions() as session:
        return await collect_retention(session, svc.clock.now())
