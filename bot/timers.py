"""The hold timers' tick: every second, each timer with an event due edits its countdown or
sends its buzz.

State lives in the ``timers`` table, not in memory: a restarted bot (or another replica)
picks up where the last left off, and a timer that ran out while nobody was running is
closed with one polite message. Each event is taken by a compare-and-set on the timer's
step before it is sent, so with several replicas exactly one sends it. An edit Telegram
refuses is never retried (the next one is seconds away); a buzz is retried once after a
short 429.

Telegram's overall budget (about 30 calls a second, edits included) caps what one tick
sends: buzzes go first, then the edits that have waited longest; the rest stay due and
collapse into a later edit, so a crowd of timers makes countdowns coarser, never late buzzes
or a flood of 429s.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.catalog.stretches import Stretch
from bot.db.guided import DueTimer, TimerMove, due_timers, take_timer_steps
from bot.db.models import Timer
from bot.domain.timer import Cue, TimerStep, due_step, timer_schedule
from bot.render.guided import (
    card_timer_end_keyboard,
    render_buzz,
    render_closed_late,
    render_countdown,
    session_timer_end_keyboard,
)
from bot.render.i18n import Catalogs, Translator
from bot.services import Services

log = logging.getLogger(__name__)

# A buzz refused with a longer wait than this is dropped: it would arrive too late to help.
MAX_BUZZ_RETRY_SECONDS = 5.0
GONE = ("message to edit not found", "message can't be edited", "chat not found")


@dataclass(frozen=True)
class TimerTickReport:
    edits: int = 0
    buzzes: int = 0
    closed_late: int = 0
    failed: int = 0


class TimerTicker:
    def __init__(self, services: Services, bot: Bot, catalogs: Catalogs) -> None:
        self.services = services
        self.bot = bot
        self.catalogs = catalogs
        # After a 429 Telegram holds the whole bot back: no timer call until then.
        self.quiet_until: datetime | None = None

    def budget(self) -> int:
        """Calls one tick may make: the overall send rate over the tick's interval."""
        settings = self.services.settings
        return max(1, int(settings.send_rate_per_second * settings.timer_tick_seconds))

    async def tick(self) -> TimerTickReport:
        """Take the due events (compare-and-set, one transaction), then send them."""
        svc = self.services
        now = svc.clock.now()
        if self.quiet_until is not None and now < self.quiet_until:
            return TimerTickReport()  # what is due now collapses into a later edit
        candidates: list[tuple[DueTimer, TimerStep, datetime | None]] = []
        async with svc.transaction() as session:
            for due in await due_timers(session, now):
                schedule = timer_schedule(due.hold_seconds, due.holds)
                step = due_step(schedule, due.step, (now - due.started_at).total_seconds())
                if step.event is None and not step.closed_late:
                    continue
                next_at = (
                    due.started_at + timedelta(seconds=schedule[step.next_index].at)
                    if step.next_index < len(schedule)
                    else None
                )
                candidates.append((due, step, next_at))
            # Buzzes and polite closes first; due_timers lists the longest waiting first.
            candidates.sort(key=lambda c: not (c[1].closed_late or _buzzes(c[1])))
            chosen = candidates[: self.budget()]
            moves = [TimerMove(due, step.next_index, next_at) for due, step, next_at in chosen]
            won = await take_timer_steps(session, moves)
            taken = [(due, step) for due, step, _ in chosen if due.user_id in won]
        results = await asyncio.gather(*(self._perform(due, step) for due, step in taken))
        report: dict[str, int] = {}
        for result in results:
            report[result] = report.get(result, 0) + 1
        return TimerTickReport(**report)

    async def _perform(self, due: DueTimer, step: TimerStep) -> str:
        """Make the call; which kind it was, for the report ("failed" when refused)."""
        t = self.catalogs.translator(due.language)
        stretch = self._stretch(due.stretch_id, t)
        if stretch is None:  # gone from the library since: nothing sensible to show
            await self._forget(due)
            return "failed"
        try:
            if step.closed_late:
                await self._send(
                    due, render_closed_late(t, stretch), self._end_keyboard(t, due, stretch)
                )
                return "closed_late"
            event = step.event
            assert event is not None
            if event.cue.buzzes:
                keyboard = self._end_keyboard(t, due, stretch) if event.cue is Cue.DONE else None
                await self._send(due, render_buzz(t, stretch, event), keyboard)
                return "buzzes"
            await self.bot.edit_message_text(
                render_countdown(t, stretch, event),
                chat_id=due.chat_id,
                message_id=due.message_id,
                parse_mode=ParseMode.HTML,
            )
            return "edits"
        except Forbidden:  # blocked: the timer has nobody to talk to
            await self._forget(due)
        except BadRequest as error:
            reason = error.message.lower()
            if "not modified" in reason:
                return "edits"
            if any(gone in reason for gone in GONE):  # the user deleted the countdown
                await self._forget(due)
            log.info("timer event for a user refused: %s", error.message)
        except RetryAfter as error:
            log.info("timer call skipped: Telegram asked to slow down")
            self.quiet_until = self.services.clock.now() + _seconds(error.retry_after)
        except TelegramError as error:
            log.warning("timer event not sent: %s", type(error).__name__)
        except Exception:  # one timer's trouble must not stop the others' tick
            log.exception("timer event failed")
        return "failed"

    async def _send(self, due: DueTimer, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
        """A new message (it buzzes), retried once after a short 429."""
        for attempt in (1, 2):
            try:
                await self.bot.send_message(
                    due.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
                )
                return
            except RetryAfter as error:
                wait = _seconds(error.retry_after)
                if attempt == 2 or wait > timedelta(seconds=MAX_BUZZ_RETRY_SECONDS):
                    raise
                await asyncio.sleep(wait.total_seconds())

    def _end_keyboard(self, t: Translator, due: DueTimer, stretch: Stretch) -> InlineKeyboardMarkup:
        if due.session_token is not None and due.session_step is not None:
            return session_timer_end_keyboard(t, due.session_token, due.session_step)
        return card_timer_end_keyboard(t, stretch)

    def _stretch(self, stretch_id: str, t: Translator) -> Stretch | None:
        catalog = self.services.catalog
        english = catalog.stretches.get(stretch_id)
        return catalog.in_language(t.language).stretches.get(stretch_id) or english

    async def _forget(self, due: DueTimer) -> None:
        """Drop this timer (not a newer one the user started meanwhile)."""
        async with self.services.transaction() as session:
            await session.execute(
                delete(Timer).where(
                    Timer.user_id == due.user_id, Timer.started_at == due.started_at
                )
            )


def _buzzes(step: TimerStep) -> bool:
    return step.event is not None and step.event.cue.buzzes


def _seconds(retry_after: int | timedelta) -> timedelta:
    return retry_after if isinstance(retry_after, timedelta) else timedelta(seconds=retry_after)
