"""Logs an operator can use without learning anything private: update ids, hashed user ids,
durations. Never message texts, settings values or health answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import weakref
from asyncio import Lock
from collections.abc import Awaitable, Iterable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot import metrics
from bot.priority import PeopleFirst
from bot.redaction import RedactingFilter, register_secrets

log = logging.getLogger("limber.updates")

# Fields passed with `extra=` that the JSON formatter writes out.
EXTRA_FIELDS = ("update_id", "user", "duration_ms", "kind")
_hash_key = b"limber"


def set_user_hash_key(secret: str) -> None:
    """Key the user-id hash with something secret, so hashes cannot be reversed by guessing."""
    global _hash_key
    _hash_key = hashlib.sha256(secret.encode()).digest()


def user_ref(user_id: int | None) -> str | None:
    """A stable, non-reversible reference to a user for logs."""
    if user_id is None:
        return None
    return hmac.new(_hash_key, str(user_id).encode(), hashlib.sha256).hexdigest()[:12]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:  # set by the redacting filter, which renders it once
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, *, as_json: bool, secrets: Iterable[str | None] = ()) -> None:
    """One handler on standard error, plain or JSON, that redacts ``secrets`` (and anything
    shaped like a bot token) in every record, whichever library logs it."""
    register_secrets(secrets)
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(
        JsonFormatter()
        if as_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet_talkative_libraries()


def quiet_talkative_libraries() -> None:
    """Libraries whose logs would leak what we promise never to log."""
    # PTB logs whole updates (message texts, answers) and request parameters at DEBUG.
    root_level = logging.getLogger().level
    logging.getLogger("telegram").setLevel(max(logging.INFO, root_level))
    # httpx logs every request URL at INFO, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Database drivers log SQL with its parameters (settings values) at DEBUG.
    for name in ("aiosqlite", "asyncpg", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.WARNING)


def update_kind(update: Update) -> str:
    """The update's type ("message", "callback_query"...), never its content."""
    for kind in ("message", "callback_query", "my_chat_member", "edited_message"):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class InstrumentedUpdateProcessor(SimpleUpdateProcessor):
    """Handles different people's updates concurrently (as PTB's default) but one person's in
    the order they came, and logs and times each one; the reminder tick yields to them while
    they run (``people``).

    One person's updates in order: a button pressed while their /forget is being confirmed
    must not write to a row that is gone (it found the account, then failed to save), and a
    person expects their taps answered in the order they made them."""

    def __init__(self, max_concurrent_updates: int, *, people: PeopleFirst | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.people = people or PeopleFirst()
        # A lock per person with an update in hand; it goes when the last of them is done.
        self._senders: weakref.WeakValueDictionary[int, Lock] = weakref.WeakValueDictionary()

    def _lock_for(self, update: object) -> Lock:
        sender = update.effective_user if isinstance(update, Update) else None
        if sender is None:
            return Lock()  # nobody to keep in order (a channel post, a poll...)
        lock = self._senders.get(sender.id)
        if lock is None:
            lock = self._senders[sender.id] = Lock()
        return lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        lock = self._lock_for(update)
        async with lock:
            await self._timed(update, coroutine)

    async def _timed(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            with self.people.handling():
                await coroutine
        finally:
            elapsed = time.perf_counter() - started
            metrics.UPDATES.inc()
            metrics.UPDATE_SECONDS.observe(elapsed)
            if isinstance(update, Update):
                log.info(
                    "update handled",
                    extra={
                        "update_id": update.update_id,
                        "user": user_ref(
                            update.effective_user.id if update.effective_user else None
                        ),
                        "kind": update_kind(update),
                        "duration_ms": round(elapsed * 1000, 1),
                    },
                )
