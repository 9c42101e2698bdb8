"""One tick of the due queue: claim what is due, commit, send, record. Run every few seconds."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import InlineKeyboardMarkup

from bot import metrics
from bot.db.reminders import (
    ClaimedDelivery,
    DueUser,
    claim_due_reminders,
    deactivate_users,
    finish_deliveries,
    log_reminders_sent,
    reclaim_abandoned,
    start_sending,
)
from bot.domain.precautions import EVERY_PRECAUTION, forbidden_for_stored
from bot.domain.reminders import DeliveryKind, DeliveryStatus
from bot.reminders.sender import OutgoingMessage, ReminderSender, SendResult
from bot.render.stretch_card import reminder_card_keyboard, render_stretch_card
from bot.services import Services

log = logging.getLogger(__name__)

# A chunk marked as sending goes out at once, so it must fit the reminder connection pool.
MAX_CHUNK = 128

HEADINGS = {
    DeliveryKind.DAILY: "⏰ Time for your daily stretch!",
    DeliveryKind.SNOOZE: "⏰ Snoozed reminder: here is your stretch.",
}


@dataclass
class TickReport:
    claimed: int = 0
    statuses: Counter[DeliveryStatus] = field(default_factory=Counter)
    seconds: float = 0.0


def chunked(items: Sequence[ClaimedDelivery], size: int) -> Iterator[Sequence[ClaimedDelivery]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ReminderTicker:
    def __init__(self, services: Services, sender: ReminderSender, *, lease: timedelta) -> None:
        self._svc = services
        self._sender = sender
        self._lease = lease
        self._lock = asyncio.Lock()
        # Monotonic time of the last sign of life (a tick started, a chunk sent, a tick ended).
        self.last_progress: float | None = None
        self._cards: dict[tuple[str | None, DeliveryKind], tuple[str, InlineKeyboardMarkup]] = {}

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self._svc.settings.reminder_grace_minutes)

    async def tick(self) -> TickReport:
        """Claim one batch and send it; ticks never overlap within a process.

        The batch goes out in chunks of about a second's worth of sends: each chunk is marked
        as sending just before it goes out, so a process killed mid-batch leaves only chunks
        whose requests were already written in doubt (never resent), and the rest pending for
        another process. A chunk's results are recorded while the next chunk is on its way.
        """
        async with self._lock:
            started = self.last_progress = time.monotonic()
            claimed = await self._claim()
            report = TickReport(claimed=len(claimed))
            recording: asyncio.Task[None] | None = None
            try:
                for chunk in chunked(claimed, self._chunk_size()):
                    outcomes = await self._send_chunk(chunk)
                    if recording is not None:
                        await recording  # one recording at a time, in order
                    recording = asyncio.create_task(self._record(outcomes))
                    report.statuses.update(result.status for _, result in outcomes)
                    self.last_progress = time.monotonic()
            finally:
                if recording is not None:
                    await recording
            report.seconds = time.monotonic() - started
            metrics.TICK_SECONDS.observe(report.seconds)
            for status, count in report.statuses.items():
                metrics.REMINDER_RESULTS.labels(status=status.value).inc(count)
            if claimed:
                log.info("tick: %d claimed, %s", len(claimed), dict(report.statuses))
            return report

    async def _send_chunk(
        self, chunk: Sequence[ClaimedDelivery]
    ) -> list[tuple[ClaimedDelivery, SendResult]]:
        messages = {item.delivery_id: self._message_for(item) for item in chunk}
        await self._sender.pace(item.chat_id for item in chunk)
        async with self._svc.transaction() as session:
            mine = await start_sending(session, chunk, self._svc.clock.now())
        held = [item for item in chunk if item.delivery_id in mine]
        results = await asyncio.gather(
            *(self._deliver(item, messages[item.delivery_id]) for item in held)
        )
        return list(zip(held, results, strict=True))

    async def drain(self) -> None:
        """Wait for a tick in progress to finish (graceful shutdown)."""
        async with self._lock:
            return

    def is_alive(self, max_silence: float) -> bool:
        """Ticked, or made progress, within ``max_silence`` seconds."""
        return self.last_progress is not None and (
            time.monotonic() - self.last_progress < max_silence
        )

    def _chunk_size(self) -> int:
        settings = self._svc.settings
        rate = settings.send_rate_per_second
        return max(1, min(settings.claim_batch_size, math.ceil(rate), MAX_CHUNK))

    async def _claim(self) -> list[ClaimedDelivery]:
        settings, now = self._svc.settings, self._svc.clock.now()
        async with self._svc.transaction() as session:
            recovered = await reclaim_abandoned(
                session, now, lease=self._lease, grace=self.grace, limit=settings.claim_batch_size
            )
            claim = await claim_due_reminders(
                session,
                now,
                limit=settings.claim_batch_size,
                grace=self.grace,
                choose_stretch=self._choose_stretch,
            )
        metrics.REMINDERS_SKIPPED.inc(claim.skipped)
        metrics.REMINDERS_CLAIMED.inc(len(recovered) + len(claim.deliveries))
        return recovered + claim.deliveries

    def _choose_stretch(self, user: DueUser, recent_ids: list[str]) -> str:
        return self._svc.picker.pick(
            forbidden=forbidden_for_stored(user.precaution_answers),
            focus_areas=user.focus_areas,
            level=user.level,
            recent_ids=recent_ids,
            rng=self._svc.rng,
        ).id

    def _message_for(self, item: ClaimedDelivery) -> OutgoingMessage:
        text, keyboard = self._card(item.stretch_id, item.kind)
        return OutgoingMessage(chat_id=item.chat_id, text=text, keyboard=keyboard)

    def _card(self, stretch_id: str | None, kind: DeliveryKind) -> tuple[str, InlineKeyboardMarkup]:
        """A reminder's text and buttons, rendered once per stretch and kind: the library does
        not change while the bot runs, and the (immutable) keyboard can be shared."""
        key = (stretch_id, kind)
        card = self._cards.get(key)
        if card is None:
            # A stretch the library no longer has: one safe under every precaution instead.
            stretch = self._svc.stretches.get(stretch_id or "") or self._svc.picker.pick(
                forbidden=EVERY_PRECAUTION, rng=self._svc.rng
            )
            card = self._cards[key] = (
                render_stretch_card(stretch, heading=HEADINGS[kind]),
                reminder_card_keyboard(stretch),
            )
        return card

    async def _deliver(self, item: ClaimedDelivery, message: OutgoingMessage) -> SendResult:
        try:
            return await self._sender.send(message, paced=True)
        except Exception:
            # Unexpected: leave it pending; the lease hands it to a later tick.
            log.exception("unexpected error sending delivery %d", item.delivery_id)
            return SendResult(DeliveryStatus.PENDING, None, 1)

    async def _record(self, outcomes: list[tuple[ClaimedDelivery, SendResult]]) -> None:
        if not outcomes:
            return
        now = self._svc.clock.now()
        async with self._svc.transaction() as session:
            await finish_deliveries(
                session,
                [(c.delivery_id, r.status, r.message_id, r.attempts) for c, r in outcomes],
                now,
            )
            await deactivate_users(
                session, [c.user_id for c, r in outcomes if r.status is DeliveryStatus.BLOCKED], now
            )
            await log_reminders_sent(
                session,
                [(c.user_id, c.stretch_id) for c, r in outcomes if r.status is DeliveryStatus.SENT],
                now,
            )
