"""Sending claimed reminders the way a production bot must: rate-limited, retried, never twice.

- Pacing: each chunk reserves its slots from the send budget (shared by every process of a
  deployment, ``bot.reminders.budget``), the late ones on the paid lane when that is on.
- 429: Telegram did not deliver it. The send ends at once as PENDING with the ``retry_after``
  (the tick puts it back in the queue before anything waits, so a process killed meanwhile
  loses nothing), and every send on that lane is held back for that long, in every process.
- 403: the user blocked the bot; mark them inactive, stop.
- 5xx and requests that never left this machine: retry with exponential backoff.
- A timeout after the request was written is ambiguous (Telegram may have accepted it), so it
  is recorded as UNKNOWN and never resent: a missing reminder beats a doubled one.
- Shutting down (:meth:`ReminderSender.stop`): every wait (a backoff, the pacing) ends at once
  and the message is left PENDING, for the next process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import metrics
from bot.domain.reminders import DeliveryStatus
from bot.ratelimit import SendRateLimiter
from bot.reminders.budget import LocalSlots, SendBudget, wait_until
from bot.render.texts import NO_PREVIEW
from bot.transport import RequestNotSent, ResponseLost

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
_MAX_CACHED_KEYBOARDS = 1024
# Sent as PTB sends it: a JSON string parameter goes into the request unchanged.
_NO_PREVIEW_JSON = json.dumps(NO_PREVIEW.to_dict())


@dataclass(frozen=True)
class SendResult:
    status: DeliveryStatus
    message_id: int | None
    attempts: int
    retry_after: float | None = None  # a 429: not to be sent again before this many seconds


@dataclass(frozen=True)
class OutgoingMessage:
    chat_id: int
    text: str  # the caption, when there is a photo
    keyboard: InlineKeyboardMarkup | None
    photo: bytes | None = None  # a PNG, sent with sendPhoto


PHOTO_FILENAME = "limber.png"


@dataclass(frozen=True)
class Paced:
    """A message to pace: its chat, how late it is now in seconds (negative: early), and
    whether its batch's plan sends it paid (``plan_paid``)."""

    chat_id: int
    lateness: float
    planned_paid: bool = False


class ReminderSender:
    def __init__(
        self,
        bot: Bot,
        limiter: SendRateLimiter,
        budget: SendBudget | None = None,
        *,
        backoff_base: float = 0.5,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._limiter = limiter  # per-chat spacing, and this process's pause after a 429
        self._budget = budget if budget is not None else SendBudget(LocalSlots(), None)
        self._backoff_base = backoff_base
        self._sleep = sleep
        self.rate_limited_count = 0
        self._keyboards: dict[int, tuple[InlineKeyboardMarkup, str]] = {}
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Stop waiting: waits in progress and later ones end at once (shutdown)."""
        self._stopping.set()

    async def close(self) -> None:
        """Let go of the budget's connections (after the last send)."""
        await self._budget.close()

    @property
    def per_second(self) -> float:
        """The most reminders a second the budget lets through."""
        return self._budget.per_second

    def plan_paid(self, lateness: Sequence[float]) -> list[bool]:
        """Which messages of a batch, in sending order, to plan as paid (``SendBudget.plan``)."""
        return self._budget.plan(lateness)

    async def pace(self, chunk: Sequence[Paced]) -> list[bool] | None:
        """Wait until the budget allows one message to each chat; returns which go paid, or
        None when the sender was stopped meanwhile (send nothing then). The list may be
        shorter than the chunk: the budget took only its first part, the rest is for later.

        The tick paces a whole chunk before marking it as sending, so that once a delivery is
        marked, its request goes out at once: a process killed in between leaves almost
        nothing in doubt.
        """
        reserved = await self._budget.reserve(
            [item.lateness for item in chunk], [item.planned_paid for item in chunk]
        )
        taken = chunk[: len(reserved.paid)]
        if not await self._unless_stopped(
            self._acquire_all(item.chat_id for item in taken)
        ) or not await self._unless_stopped(wait_until(reserved.ready_at)):
            await self._budget.give_back(reserved)
            return None
        return reserved.paid

    async def until_unpaused(self) -> bool:
        """Wait out a pause after a 429; False when the sender was stopped meanwhile."""
        return await self._unless_stopped(self._limiter.wait_out_pause())

    async def _acquire_all(self, chat_ids: Iterable[int]) -> None:
        for chat_id in chat_ids:
            await self._limiter.acquire(chat_id)

    async def _acquire_again(self, chat_id: int) -> None:
        """A send that did not go through ``pace`` (a retry): one slot of the free lane."""
        await self._limiter.acquire(chat_id)
        reserved = await self._budget.reserve([-math.inf])
        await wait_until(reserved.ready_at)

    async def _hold(self, paid: bool, seconds: float) -> None:
        try:
            await self._budget.hold(paid, seconds)
        except Exception as error:  # the pause of this process still holds
            log.warning("could not share a 429 pause (%s)", type(error).__name__)

    async def _unless_stopped(self, wait: Coroutine[Any, Any, None]) -> bool:
        """Run ``wait`` to its end (True), unless the sender stops first (False)."""
        if self._stopping.is_set():
            wait.close()
            return False
        waiting = asyncio.ensure_future(wait)
        stopped = asyncio.ensure_future(self._stopping.wait())
        try:
            done, _ = await asyncio.wait((waiting, stopped), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            if not waiting.done():
                waiting.cancel()  # a cancelled acquire gives its place up cleanly
        if waiting not in done:
            return False
        waiting.result()  # raise what the wait raised
        return True

    async def send(
        self, message: OutgoingMessage, *, paced: bool = False, paid: bool = False
    ) -> SendResult:
        """Send one message; ``paced`` means ``pace`` already took its place in the budget,
        ``paid`` that it goes with ``allow_paid_broadcast``."""
        started = time.monotonic()
        try:
            return await self._send(message, paced, paid)
        finally:
            metrics.SEND_SECONDS.observe(time.monotonic() - started)

    async def _send(self, message: OutgoingMessage, paced: bool, paid: bool) -> SendResult:
        attempts = 0
        while True:
            if (attempts or not paced) and not await self._unless_stopped(
                self._acquire_again(message.chat_id)
            ):
                return SendResult(DeliveryStatus.PENDING, None, attempts)
            attempts += 1
            try:
                message_id = await (
                    self._send_photo(message, paid)
                    if message.photo
                    else self._send_message(message, paid)
                )
                if paid:
                    metrics.PAID_BROADCASTS.inc()
                return SendResult(DeliveryStatus.SENT, message_id, attempts)
            except RetryAfter as error:
                # Not delivered: back to the queue at once, never waited for here.
                self.rate_limited_count += 1
                metrics.RATE_LIMITED.inc()
                delay = _seconds(error.retry_after)
                self._limiter.pause_all(delay)
                await self._hold(paid, delay)
                return SendResult(DeliveryStatus.PENDING, None, attempts, retry_after=delay)
            except Forbidden:
                return SendResult(DeliveryStatus.BLOCKED, None, attempts)
            except BadRequest as error:
                log.warning("reminder refused by Telegram: %s", error.message)
                return SendResult(DeliveryStatus.FAILED, None, attempts)
            except NetworkError as error:
                if isinstance(error, TimedOut | ResponseLost) and not isinstance(
                    error, RequestNotSent
                ):
                    # Written but unanswered: Telegram may have it. Never risk a double.
                    return SendResult(DeliveryStatus.UNKNOWN, None, attempts)
                # A 5xx answer, or a request that never left: safe to repeat, with backoff.
                if attempts >= MAX_ATTEMPTS or not await self._unless_stopped(
                    self._sleep(self._backoff(attempts))
                ):
                    return SendResult(DeliveryStatus.PENDING, None, attempts)

    async def _send_message(self, message: OutgoingMessage, paid: bool = False) -> int:
        """``sendMessage`` with the parameters ``Bot.send_message`` would send; the new id.

        ``Bot.send_message`` also builds a ``Message`` from the answer (chat, sender, every
        entity and button) that a reminder never reads, and serializes the keyboard afresh for
        each send: together about half of a reminder's CPU in the dispatch benchmark
        (docs/benchmarks.md). So the request goes through ``Bot._post``, the call behind every
        ``Bot`` method (same defaults, transport, timeouts and errors), with the keyboard
        serialized once; a test checks that the request body is unchanged.
        """
        parameters: dict[str, object] = {
            "chat_id": message.chat_id,
            "text": message.text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": self._keyboard_json(message.keyboard),
            "link_preview_options": _NO_PREVIEW_JSON,
        }
        if paid:
            parameters["allow_paid_broadcast"] = True
        result = await self._bot._post("sendMessage", parameters)
        return int(result["message_id"])

    async def _send_photo(self, message: OutgoingMessage, paid: bool = False) -> int:
        """``sendPhoto`` through ``Bot.send_photo``: rare (weekly) and dominated by the
        upload, so the shortcut ``_send_message`` takes is not worth it here."""
        assert message.photo is not None
        sent = await self._bot.send_photo(
            message.chat_id,
            InputFile(message.photo, filename=PHOTO_FILENAME),
            caption=message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=message.keyboard,
            allow_paid_broadcast=paid or None,
        )
        return sent.message_id

    def _keyboard_json(self, keyboard: InlineKeyboardMarkup | None) -> str | None:
        """The keyboard as JSON, as PTB would send it; the tick reuses one keyboard object per
        stretch, so it is kept by identity (with the object, so the id cannot be reused)."""
        if keyboard is None:
            return None
        cached = self._keyboards.get(id(keyboard))
        if cached is None or cached[0] is not keyboard:
            if len(self._keyboards) >= _MAX_CACHED_KEYBOARDS:
                self._keyboards.clear()
            cached = self._keyboards[id(keyboard)] = (keyboard, json.dumps(keyboard.to_dict()))
        return cached[1]

    def _backoff(self, attempts: int) -> float:
        return float(self._backoff_base * 2 ** (attempts - 1))


def _seconds(retry_after: object) -> float:
    total_seconds = getattr(retry_after, "total_seconds", None)
    if callable(total_seconds):
        return float(total_seconds())
    return float(retry_after)  # type: ignore[arg-type]
