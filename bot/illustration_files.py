"""Each stretch's drawing and Telegram's file id for it: upload once, then send by reference.

A drawing is rendered at most once per process, in a worker thread (never on the event loop),
and only when a card first needs it. Its file id is kept by the drawing's SHA-256, in memory
and in the database, so after the first upload (by any process, before any restart) a card
sends a short reference instead of the file, and a changed drawing is uploaded afresh.
Reminders send no pictures, so none of this is on the reminder path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile, Message
from telegram.error import BadRequest

from bot.catalog.stretches import Stretch
from bot.clock import Clock
from bot.db import uploads
from bot.render.illustrations import Drawing, MediaKind, render_drawing

log = logging.getLogger(__name__)

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]
# Sends a drawing as ``kind`` (a file id, or the file itself) and returns Telegram's message.
Send = Callable[[MediaKind, str | InputFile], Awaitable[Message]]


@dataclass(frozen=True)
class Sent:
    """What is known of a stretch's drawing once rendered: enough to send it by reference."""

    kind: MediaKind
    digest: str


class IllustrationFiles:
    def __init__(
        self,
        transaction: Transaction,
        clock: Clock,
        render: Callable[[Stretch], Drawing] = render_drawing,
    ) -> None:
        self._transaction = transaction
        self._clock = clock
        self._render = render
        self._drawings: dict[str, Drawing] = {}  # by stretch id, until uploaded
        self._known: dict[str, Sent] = {}  # by stretch id, once uploaded: no bytes kept
        self._file_ids: dict[str, str] = {}  # by digest
        self._locks: dict[str, asyncio.Lock] = {}
        self.renders = 0  # how many drawings this process has rendered

    async def send(
        self,
        stretch: Stretch,
        send: Send,
        before_upload: Callable[[], Awaitable[object]] | None = None,
    ) -> Message:
        """Send ``stretch``'s drawing by its file id if Telegram has it, else upload it and
        keep the new file id. A file id Telegram refuses (another bot's, say) is dropped
        and the drawing uploaded instead. ``before_upload`` runs before the slow path
        (drawing and uploading), e.g. to show "sending a photo" in the chat."""
        if before_upload is not None and stretch.id not in self._known:  # drawn first
            await before_upload()
            before_upload = None
        kind, digest, file_id = await self._reference(stretch)
        if file_id is not None:
            try:
                return await send(kind, file_id)
            except BadRequest:
                await self._forget(stretch, digest, file_id)
        if before_upload is not None:
            await before_upload()
        drawing = await self._drawing(stretch)
        message = await send(drawing.kind, InputFile(drawing.content, filename=drawing.filename))
        new_id = file_id_of(message, drawing.kind)
        if new_id is not None:
            await self._store(drawing, new_id)
            self._uploaded(stretch, drawing, new_id)
        return message

    async def _reference(self, stretch: Stretch) -> tuple[MediaKind, str, str | None]:
        """The drawing's kind, digest and file id if known (this process, else the database)."""
        known = self._known.get(stretch.id)
        if known is None:
            drawing = await self._drawing(stretch)
            known = Sent(drawing.kind, drawing.digest)
            stored = await self._stored_file_id(drawing.digest)
            if stored is not None:
                self._uploaded(stretch, drawing, stored)
        return known.kind, known.digest, self._file_ids.get(known.digest)

    async def _drawing(self, stretch: Stretch) -> Drawing:
        """The stretch's drawing, rendered in a worker thread the first time it is needed."""
        lock = self._locks.setdefault(stretch.id, asyncio.Lock())
        async with lock:
            drawing = self._drawings.get(stretch.id)
            if drawing is None:
                drawing = await asyncio.to_thread(self._render, stretch)
                self.renders += 1
                self._drawings[stretch.id] = drawing
            return drawing

    def _uploaded(self, stretch: Stretch, drawing: Drawing, file_id: str) -> None:
        self._file_ids[drawing.digest] = file_id
        self._known[stretch.id] = Sent(drawing.kind, drawing.digest)
        self._drawings.pop(stretch.id, None)  # Telegram has it now; the bytes can go

    async def _stored_file_id(self, digest: str) -> str | None:
        if digest in self._file_ids:
            return self._file_ids[digest]
        try:
            async with self._transaction() as session:
                return await uploads.file_id_for(session, digest)
        except SQLAlchemyError:  # the picture still goes out, uploaded
            log.warning("could not look up an illustration's file id", exc_info=True)
            return None

    async def _store(self, drawing: Drawing, file_id: str) -> None:
        try:
            async with self._transaction() as session:
                await uploads.remember_file_id(
                    session, drawing.digest, drawing.kind, file_id, self._clock.now()
                )
        except SQLAlchemyError:  # kept in memory; another process uploads its own once
            log.warning("could not store an illustration's file id", exc_info=True)

    async def _forget(self, stretch: Stretch, digest: str, file_id: str) -> None:
        log.info("Telegram refused the file id of %s's illustration; uploading it", stretch.id)
        self._file_ids.pop(digest, None)
        self._known.pop(stretch.id, None)
        try:
            async with self._transaction() as session:
                await uploads.forget_file_id(session, digest, file_id)
        except SQLAlchemyError:
            log.warning("could not drop a refused file id", exc_info=True)


def file_id_of(message: Message, kind: MediaKind) -> str | None:
    """The file id Telegram gave the uploaded drawing (its largest size, for a photo)."""
    if kind == "photo":
        return message.photo[-1].file_id if message.photo else None
    return message.animation.file_id if message.animation is not None else None
