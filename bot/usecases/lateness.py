"""The lateness outlook: what the due queue implies at the configured send rates.

Counting the next day's due entries reads an index entry per scheduled user, so the outlook is
computed at most once per ``REFRESH`` and shared by /stats, /metrics and the tick (which keeps
it fresh and logs a warning when it exceeds the target).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import QueryableAttribute

from bot.db.stats import due_per_minute
from bot.domain.forecast import Outlook, outlook
from bot.domain.pacing import paid_lane_on, reminder_rate
from bot.services import Services

log = logging.getLogger(__name__)

HORIZON = timedelta(hours=24)
REFRESH = timedelta(minutes=5)

DueColumns = Sequence[QueryableAttribute[datetime | None]]


class LatenessWatch:
    """The latest outlook of one process, refreshed when older than ``REFRESH``."""

    def __init__(self, due_columns: DueColumns) -> None:
        self.due_columns = due_columns
        self._latest: Outlook | None = None

    async def outlook(self, svc: Services) -> Outlook:
        now = svc.clock.now()
        latest = self._latest
        if latest is None or not timedelta(0) <= now - latest.at < REFRESH:
            latest = self._latest = await compute_outlook(svc, self.due_columns)
            warn_if_over_target(latest)
        return latest


async def compute_outlook(svc: Services, due_columns: DueColumns) -> Outlook:
    """Count what falls due from the grace window back to a day ahead, then forecast."""
    settings, now = svc.settings, svc.clock.now()
    grace = timedelta(minutes=settings.reminder_grace_minutes)
    async with svc.sessions() as session:
        counts = await due_per_minute(session, due_columns, now - grace, now + HORIZON)
    # The rates the send budget gives reminders: the free budget less the replies' reserve,
    # and with paid broadcast on, that plus the paid lane.
    free = reminder_rate(settings.send_rate_per_second, settings.reply_reserve_per_second)
    paid_on = paid_lane_on(settings.paid_broadcast_rate, settings.paid_broadcast_daily_stars)
    paid = free + settings.paid_broadcast_rate if paid_on else 0.0
    return outlook(
        counts,
        now,
        free_rate=free,
        paid_rate=paid,
        target_seconds=settings.target_lateness_seconds,
    )


def warn_if_over_target(latest: Outlook) -> None:
    for budget in latest.over_target():
        forecast = latest.forecasts[budget]
        worst = forecast.worst
        assert worst is not None  # over a positive target, so some minute is late
        log.warning(
            "lateness forecast over target: at %g/s (%s) the reminders due at %s UTC would go "
            "out up to %.0f s late (target %.0f s)",
            forecast.rate,
            budget,
            worst.start.strftime("%H:%M"),
            worst.lateness_seconds,
            latest.target_seconds,
        )
