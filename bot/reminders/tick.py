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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
    requeue_deliveries,
    send_key,
    start_sending,
)
from bot.domain.reminders import DeliveryStatus
from bot.priority import PeopleFirst
from bot.reminders.kinds import ReminderKinds, standard_kinds
from bot.reminders.sender import OutgoingMessage, Paced, ReminderSender, SendResult
from bot.services import Services
from bot.usecases.lateness import LatenessWatch

log = logging.getLogger(__name__)

# A chunk marked as sending goes out at once, so the chunks in flight must fit the reminder
# connection pool (bot/app.py sizes it so).
MAX_CHUNK = 128
CHUNKS_IN_FLIGHT = 2
# A chunk holds about this many seconds of sends: small enough that its burst stays well
# within Telegram's allowance, large enough that the budget's store sees few requests.
CHUNK_SECONDS = 0.2
# At shutdown, how long recording the outcomes of abandoned sends may take.
RECORDING_SECONDS = 1.0


@dataclass
class TickReport:
    claimed: int = 0
    statuses: Counter[DeliveryStatus] = field(default_factory=Counter)
    seconds: float = 0.0


Outcomes = list[tuple[ClaimedDelivery, SendResult]]


@dataclass(frozen=True)
class _Ready:
    """A chunk composed and paced: its deliveries, their messages, which go paid."""

    chunk: list[ClaimedDelivery]
    messages: dict[int, OutgoingMessage]
    paid: list[bool]
    taken: int  # how many of the claimed deliveries offered it covers


class ReminderTicker:
    def __init__(
        self,
        services: Services,
        sender: ReminderSender,
        *,
        lease: timedelta,
        kinds: ReminderKinds | None = None,
        people: PeopleFirst | None = None,
    ) -> None:
        self._svc = services
        self._people = people or PeopleFirst()  # reminders yield to replies being handled
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

        The batch goes out in chunks of a fraction of a second's worth of sends: each chunk is
        marked as sending just before it goes out, so a process killed mid-batch leaves only
        chunks whose requests were already written in doubt (never resent), and the rest
        pending for another process. Each chunk's results are recorded as soon as it is
        answered (429 refusals back in the queue), while the next chunk waits for its slots.
        """
        async with self._lock:
            started = self.last_progress = time.monotonic()
            if self._stopping:
                return TickReport()
            claimed = await self._claim()
            report = TickReport(claimed=len(claimed))
            sending: list[asyncio.Task[Outcomes | None]] = []
            size, start = self._chunk_size(), 0
            now = self._svc.clock.now()
            planned = self._sender.plan_paid([_late(item, now) for item in claimed])
            try:
                while start < len(claimed):
                    # Paced while the chunks before it are still on their way, so a process
                    # is not held to one chunk per round trip to Telegram.
                    end = start + size
                    ready = await self._prepare(claimed[start:end], planned[start:end])
                    if ready is None:
                        break  # stopping: the rest stay pending, and stop() releases them
                    start += ready.taken
                    if len(sending) >= CHUNKS_IN_FLIGHT:
                        self._count(report, await sending.pop(0))
                    sending.append(asyncio.create_task(self._send_and_record(ready)))
            finally:
                for task in sending:
                    self._count(report, await task)
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

    async def _prepare(
        self, claimed: Sequence[ClaimedDelivery], planned: Sequence[bool]
    ) -> _Ready | None:
        """Compose a chunk and wait for its slots in the budget; None when stopping. The
        budget may take only the first part of it (``_Ready.taken`` of ``claimed``);
        ``planned``: which of ``claimed`` the batch's plan sends paid."""
        await self._people.yield_to_people()
        messages = await self._compose(claimed)
        composed = [
            (item, paid)
            for item, paid in zip(claimed, planned, strict=True)
            if item.delivery_id in messages
        ]
        chunk = [item for item, _ in composed]
        now = self._svc.clock.now()
        paid = await self._sender.pace(
            [Paced(item.chat_id, _late(item, now), planned_paid) for item, planned_paid in composed]
        )
        if paid is None:
            return None
        chunk = chunk[: len(paid)]
        # Deliveries that failed to compose count as taken (they stay pending for the lease).
        taken = len(claimed) if len(chunk) == len(messages) else claimed.index(chunk[-1]) + 1
        return _Ready(chunk, messages, [*paid], taken)

    def _count(self, report: TickReport, outcomes: Outcomes | None) -> None:
        if outcomes:
            report.statuses.update(result.status for _, result in outcomes)
            self.last_progress = time.monotonic()

    async def _send_and_record(self, ready: _Ready) -> Outcomes | None:
        """Send a paced chunk, then record its outcomes (429 refusals back in the queue)."""
        outcomes = await self._send_ready(ready)
        if outcomes:
            await self._record(outcomes)
        return outcomes

    async def _send_ready(self, ready: _Ready) -> Outcomes | None:
        """Send a paced chunk and return the outcomes; None when stopping before it went out."""
        if not await self._sender.until_unpaused():  # a 429 came since it was paced
            return None
        chunk = ready.chunk
        lanes = {item.delivery_id: lane for item, lane in zip(chunk, ready.paid, strict=True)}
        async with self._svc.transaction() as session:
            mine = await start_sending(session, chunk, self._svc.clock.now(), kinds=self.kinds)
        held = [item for item in chunk if item.delivery_id in mine]
        sends = [
            asyncio.ensure_future(
                self._deliver(item, ready.messages[item.delivery_id], lanes[item.delivery_id])
            )
            for item in held
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
        rate = self._sender.per_second * CHUNK_SECONDS
        size = MAX_CHUNK if math.isinf(rate) else math.ceil(rate)
        return max(1, min(self._svc.settings.claim_batch_size, size, MAX_CHUNK))

    async def _claim(self) -> list[ClaimedDelivery]:
        await self._people.yield_to_people()
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

    async def _deliver(
        self, item: ClaimedDelivery, message: OutgoingMessage, paid: bool
    ) -> SendResult:
        try:
            result = await self._sender.send(message, paced=True, paid=paid)
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
        if not any(result.retry_after is not None for _, result in outcomes):
            await self._people.yield_to_people()  # a 429 goes back in the queue at once
        now = self._svc.clock.now()
        async with self._svc.transaction() as session:
            await requeue_deliveries(
                session,
                [
                    (c.delivery_id, r.attempts, now + timedelta(seconds=r.retry_after))
                    for c, r in outcomes
                    if r.retry_after is not None
                ],
            )
            await finish_deliveries(
                session,
                [
                    (c.delivery_id, r.status, r.message_id, r.attempts)
                    for c, r in outcomes
                    if r.retry_after is None
                ],
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


def _late(item: ClaimedDelivery, now: datetime) -> float:
    """How late a claimed reminder is now, in seconds (negative: early)."""
    return (now - item.due_at).total_seconds()
