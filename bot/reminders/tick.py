"""One tick of the due queue: claim what is due, commit, send, record. Run every few seconds.

The tick knows no kind of reminder in particular: it claims, composes and records through the
registered kinds (``bot.reminders.kinds``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from bot import metrics
from bot.db.reminders import (
    ClaimedDelivery,
    claim_due_reminders,
    deactivate_users,
    finish_deliveries,
    log_reminders_sent,
    reclaim_abandoned,
    record_lateness,
    release_pending,
    send_key,
    start_sending,
)
from bot.domain.reminders import DeliveryStatus
from bot.reminders.kinds import ReminderKinds, standard_kinds
from bot.reminders.sender import OutgoingMessage, ReminderSender, SendResult
from bot.services import Services
from bot.usecases.lateness import LatenessWatch

log = logging.getLogger(__name__)

# A chunk marked as sending goes out at once, so it must fit the reminder connection pool.
MAX_CHUNK = 128
# At shutdown, how long recording the outcomes of abandoned sends may take.
RECORDING_SECONDS = 1.0


@dataclass
class TickReport:
    claimed: int = 0
    statuses: Counter[DeliveryStatus] = field(default_factory=Counter)
    seconds: float = 0.0


def chunked(items: Sequence[ClaimedDelivery], size: int) -> Iterator[Sequence[ClaimedDelivery]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ReminderTicker:
    def __init__(
        self,
        services: Services,
        sender: ReminderSender,
        *,
        lease: timedelta,
        kinds: ReminderKinds | None = None,
    ) -> None:
        self._svc = services
        self._sender = sender
        self._lease = lease
        self.kinds = standard_kinds(services) if kinds is None else kinds
        # The lateness outlook over every kind's queue, kept fresh by the tick.
        self.lateness = LatenessWatch([kind.due_column for kind in self.kinds])
        self._lock = asyncio.Lock()
        # Monotonic time of the last sign of life (a tick started, a chunk sent, a tick ended).
        self.last_progress: float | None = None
        self._stopping = False
        self._in_flight: set[asyncio.Future[SendResult]] = set()
        self._abandoned = False
        # How late each reminder sent but not yet recorded went out, by delivery id.
        self._lateness: dict[int, float] = {}

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
            if self._stopping:
                return TickReport()
            claimed = await self._claim()
            report = TickReport(claimed=len(claimed))
            recording: asyncio.Task[None] | None = None
            try:
                for chunk in chunked(claimed, self._chunk_size()):
                    outcomes = await self._send_chunk(chunk)
                    if outcomes is None:
                        break  # stopping: the rest stay pending, and stop() releases them
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
            await self._look_ahead()
            return report

    async def _look_ahead(self) -> None:
        """Refresh the lateness outlook when due (it warns in the log when over target)."""
        try:
            await self.lateness.outlook(self._svc)
        except Exception as error:  # a forecast must never stop reminders
            log.warning("could not forecast lateness (%s)", type(error).__name__)

    async def _send_chunk(
        self, chunk: Sequence[ClaimedDelivery]
    ) -> list[tuple[ClaimedDelivery, SendResult]] | None:
        """Send one chunk and return the outcomes; None when stopping before it went out."""
        messages = await self._compose(chunk)
        chunk = [item for item in chunk if item.delivery_id in messages]
        if not await self._sender.pace(item.chat_id for item in chunk):
            return None
        async with self._svc.transaction() as session:
            mine = await start_sending(session, chunk, self._svc.clock.now(), kinds=self.kinds)
        held = [item for item in chunk if item.delivery_id in mine]
        sends = [
            asyncio.ensure_future(self._deliver(item, messages[item.delivery_id])) for item in held
        ]
        self._in_flight.update(sends)
        try:
            results = await asyncio.gather(*sends)
        finally:
            self._in_flight.difference_update(sends)
        return list(zip(held, results, strict=True))

    async def stop(self, give_up_at: float) -> None:
        """Shut down within a deadline (event loop time), whatever Telegram does.

        Waits end at once (a 429's ``retry_after``, backoffs, pacing): those reminders were not
        sent and stay pending. Sends still unanswered at ``give_up_at`` are abandoned and
        recorded as unknown (Telegram may have them: never resent). Then every pending
        delivery this process holds is released, so the next process sends it at its first
        tick instead of after the lease.
        """
        self._stopping = True
        self._sender.stop()
        if not await self._tick_ended(give_up_at):
            hung = [send for send in self._in_flight if not send.done()]
            log.warning("stopping: %d reminder sends still unanswered, abandoned", len(hung))
            self._abandoned = True
            for send in hung:
                send.cancel()
            await self._tick_ended(asyncio.get_running_loop().time() + RECORDING_SECONDS)
        try:
            async with self._svc.transaction() as session:
                released = await release_pending(session)
        except Exception as error:  # the database is failing: the lease hands them over later
            log.warning("stopping: could not release unsent reminders (%s)", type(error).__name__)
            return
        if released:
            log.info("stopping: %d unsent reminders left for the next process", released)

    async def _tick_ended(self, deadline: float) -> bool:
        try:
            async with asyncio.timeout_at(deadline), self._lock:
                return True
        except TimeoutError:
            return False

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
                session,
                now,
                kinds=self.kinds,
                lease=self._lease,
                grace=self.grace,
                limit=settings.claim_batch_size,
            )
            claim = await claim_due_reminders(
                session, now, kinds=self.kinds, limit=settings.claim_batch_size, grace=self.grace
            )
        metrics.REMINDERS_SKIPPED.inc(claim.skipped)
        metrics.REMINDERS_CLAIMED.inc(len(recovered) + len(claim.deliveries))
        # One order for recovered and new ones alike: earliest due first (domain.send_order).
        return sorted(recovered + claim.deliveries, key=send_key)

    async def _compose(self, chunk: Sequence[ClaimedDelivery]) -> dict[int, OutgoingMessage]:
        """Each delivery's message, by delivery id, from its kind. A kind that fails to compose
        leaves its deliveries out: they stay pending and the lease hands them to a later tick."""
        by_kind: dict[str, list[ClaimedDelivery]] = {}
        for item in chunk:
            by_kind.setdefault(item.kind, []).append(item)
        messages: dict[int, OutgoingMessage] = {}
        for name, items in by_kind.items():
            try:
                composed = await self.kinds[name].compose(items, self._svc)
                messages.update(zip((item.delivery_id for item in items), composed, strict=True))
            except Exception:
                log.exception("could not compose %d %s reminders", len(items), name)
        return messages

    async def _deliver(self, item: ClaimedDelivery, message: OutgoingMessage) -> SendResult:
        try:
            result = await self._sender.send(message, paced=True)
            if result.status is DeliveryStatus.SENT:
                late = (self._svc.clock.now() - item.due_at).total_seconds()
                self._lateness[item.delivery_id] = late
                metrics.REMINDER_LATENESS.observe(max(0.0, late))
            return result
        except asyncio.CancelledError:
            if not self._abandoned:
                raise
            # Given up at shutdown: the request may have reached Telegram.
            return SendResult(DeliveryStatus.UNKNOWN, None, 1)
        except Exception:
            # Unexpected: leave it pending; the lease hands it to a later tick.
            log.exception("unexpected error sending delivery %d", item.delivery_id)
            return SendResult(DeliveryStatus.PENDING, None, 1)

    async def _record(self, outcomes: list[tuple[ClaimedDelivery, SendResult]]) -> None:
        if not outcomes:
            return
        # Taken out first, so that a failed recording leaves nothing behind.
        late = [
            (c.user_id, seconds)
            for c, _ in outcomes
            if (seconds := self._lateness.pop(c.delivery_id, None)) is not None
        ]
        now = self._svc.clock.now()
        async with self._svc.transaction() as session:
            await finish_deliveries(
                session,
                [(c.delivery_id, r.status, r.message_id, r.attempts) for c, r in outcomes],
                now,
            )
            await record_lateness(session, late)
            await deactivate_users(
                session, [c.user_id for c, r in outcomes if r.status is DeliveryStatus.BLOCKED], now
            )
            await log_reminders_sent(
                session,
                [
                    (c.user_id, activity, c.stretch_id)
                    for c, r in outcomes
                    if r.status is DeliveryStatus.SENT
                    and (activity := self.kinds[c.kind].activity) is not None
                ],
                now,
            )
