"""Illustrations are uploaded once per drawing, then sent by file id, across restarts."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Animation, Chat, InputFile, Message, PhotoSize
from telegram.error import BadRequest

from bot.catalog.stretches import Stretch, load_stretches
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR
from bot.db.models import UploadedFile
from bot.illustration_files import IllustrationFiles
from bot.render.illustrations import Drawing, MediaKind

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LIBRARY = load_stretches(DEFAULT_CONTENT_DIR / "stretches")
HELD = LIBRARY.get("childs-pose")
DRILL = LIBRARY.get("cat-cow")
assert HELD is not None and DRILL is not None


class FakeTelegram:
    """Accepts uploads (handing out file ids) and known file ids, like sendPhoto/Animation."""

    def __init__(self) -> None:
        self.uploads: list[tuple[MediaKind, bytes]] = []
        self.by_reference: list[tuple[MediaKind, str]] = []
        self.files: dict[str, MediaKind] = {}

    async def send(self, kind: MediaKind, media: str | InputFile) -> Message:
        if isinstance(media, str):
            if self.files.get(media) != kind:
                raise BadRequest("Wrong file identifier/http url specified")
            self.by_reference.append((kind, media))
            file_id = media
        else:
            assert media.input_file_content is not None
            self.uploads.append((kind, media.input_file_content))
            file_id = f"{kind}-{len(self.uploads)}"
            self.files[file_id] = kind
        chat = Chat(1, Chat.PRIVATE)
        if kind == "photo":
            sizes = (PhotoSize(f"{file_id}-small", "s", 90, 45), PhotoSize(file_id, "l", 1094, 540))
            return Message(1, NOW, chat, photo=sizes)
        return Message(1, NOW, chat, animation=Animation(file_id, "u", 480, 480, 3))


class Renderer:
    """Stands in for the Pillow renderer: a drawing per stretch, counted, with its thread."""

    def __init__(self, version: str = "1") -> None:
        self.version = version
        self.calls: list[str] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, stretch: Stretch) -> Drawing:
        self.calls.append(stretch.id)
        self.threads.append(threading.current_thread())
        kind: MediaKind = "animation" if stretch.is_drill else "photo"
        return Drawing(kind, f"{stretch.id} v{self.version}".encode(), f"{stretch.id}.x")


def files(sessions: async_sessionmaker[AsyncSession], renderer: Renderer) -> IllustrationFiles:
    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with sessions() as session, session.begin():
            yield session

    return IllustrationFiles(transaction, FakeClock(NOW), render=renderer)


async def stored(sessions: async_sessionmaker[AsyncSession]) -> dict[str, tuple[str, str]]:
    async with sessions() as session:
        rows = (await session.scalars(select(UploadedFile))).all()
    return {row.digest: (row.kind, row.file_id) for row in rows}


async def test_each_drawing_is_uploaded_once_then_sent_by_file_id(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    telegram, renderer = FakeTelegram(), Renderer()
    illustrations = files(sessions, renderer)
    for _ in range(3):
        await illustrations.send(HELD, telegram.send)
        await illustrations.send(DRILL, telegram.send)
    assert [kind for kind, _ in telegram.uploads] == ["photo", "animation"]
    assert telegram.by_reference == [("photo", "photo-1"), ("animation", "animation-2")] * 2
    assert renderer.calls == [HELD.id, DRILL.id]
    digests = {Drawing("photo", content, "").digest for _, content in telegram.uploads}
    assert set(await stored(sessions)) == digests
    assert ("photo", "photo-1") in (await stored(sessions)).values()


async def test_after_a_restart_the_stored_file_id_is_used(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    telegram = FakeTelegram()
    await files(sessions, Renderer()).send(HELD, telegram.send)
    renderer = Renderer()
    restarted = files(sessions, renderer)
    await restarted.send(HELD, telegram.send)
    await restarted.send(HELD, telegram.send)
    assert len(telegram.uploads) == 1
    assert telegram.by_reference == [("photo", "photo-1")] * 2
    assert renderer.calls == [HELD.id]  # once, to know which drawing this process has


async def test_a_changed_drawing_is_uploaded_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    telegram = FakeTelegram()
    await files(sessions, Renderer("1")).send(HELD, telegram.send)
    await files(sessions, Renderer("2")).send(HELD, telegram.send)
    assert [content for _, content in telegram.uploads] == [b"childs-pose v1", b"childs-pose v2"]
    assert sorted(file_id for _, file_id in (await stored(sessions)).values()) == [
        "photo-1",
        "photo-2",
    ]


async def test_a_refused_file_id_is_dropped_and_the_drawing_uploaded(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    telegram = FakeTelegram()
    await files(sessions, Renderer()).send(HELD, telegram.send)
    other_bot = FakeTelegram()  # a new token: the old file ids mean nothing to it
    message = await files(sessions, Renderer()).send(HELD, other_bot.send)
    assert message.photo and message.photo[-1].file_id == "photo-1"  # its own, fresh id
    assert len(other_bot.uploads) == 1 and other_bot.by_reference == []
    assert list((await stored(sessions)).values()) == [("photo", "photo-1")]
    assert set(other_bot.files) == {"photo-1"}


async def test_drawing_happens_off_the_event_loop_and_once_under_concurrency(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    telegram, renderer = FakeTelegram(), Renderer()
    illustrations = files(sessions, renderer)
    await asyncio.gather(*(illustrations.send(DRILL, telegram.send) for _ in range(5)))
    assert renderer.calls == [DRILL.id]
    assert renderer.threads[0] is not threading.main_thread()
    assert illustrations.renders == 1


async def test_a_database_error_does_not_stop_the_picture() -> None:
    @asynccontextmanager
    async def broken() -> AsyncIterator[AsyncSession]:
        raise OperationalError("SELECT", {}, Exception("database is locked"))
        yield  # pragma: no cover

    telegram = FakeTelegram()
    illustrations = IllustrationFiles(broken, FakeClock(NOW), render=Renderer())
    await illustrations.send(HELD, telegram.send)
    await illustrations.send(HELD, telegram.send)
    assert len(telegram.uploads) == 1  # remembered in memory
    assert telegram.by_reference == [("photo", "photo-1")]


@pytest.mark.parametrize("stretch", [HELD, DRILL], ids=lambda s: s.id)
async def test_a_failed_upload_is_not_remembered(
    sessions: async_sessionmaker[AsyncSession], stretch: Stretch
) -> None:
    async def refuse(kind: MediaKind, media: str | InputFile) -> Message:
        raise BadRequest("Message caption is too long")

    illustrations = files(sessions, Renderer())
    with pytest.raises(BadRequest):
        await illustrations.send(stretch, refuse)
    assert await stored(sessions) == {}
    telegram = FakeTelegram()
    await illustrations.send(stretch, telegram.send)
    assert len(telegram.uploads) == 1
