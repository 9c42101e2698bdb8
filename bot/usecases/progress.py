"""What the user has done: the progress /progress and the weekly summary show."""

from __future__ import annotations

from bot.db.activity import done_log
from bot.db.users import get_user
from bot.domain.progress import LOG_LOOKBACK, Progress, StretchLookup, progress_from_log
from bot.services import Services


async def progress(svc: Services, user_id: int, stretches: StretchLookup) -> Progress | None:
    """The user's progress now, with stretch names from ``stretches`` (their language)."""
    now = svc.clock.now()
    async with svc.sessions() as session:
        user = await get_user(session, user_id)
        if user is None:
            return None
        zone = user.timezone
        log = (await done_log(session, [user_id], now - LOG_LOOKBACK)).get(user_id, [])
    return progress_from_log(log, now, zone, stretches)
