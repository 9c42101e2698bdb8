"""Pictures with the cards, through the sandbox over real HTTP: a drill as a looping animation,
a held stretch as a still of its start and end; each drawing uploaded once, then sent by
file id, also after a restart."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.catalog import Catalog
from bot.catalog.stretches import StretchLibrary
from bot.clock import FakeClock
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import UploadedFile
from bot.render.illustrations import ANIMATION, GAP, PANEL
from bot.sandbox.models import SentMessage
from bot.sandbox.models import UploadedFile as Upload
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import NO_TO_EVERY_SAFETY_QUESTION, Chat, running_bot

DRILL, HELD = "marching-warm-up", "standing-quad"


def two_stretches(catalog: Catalog) -> Catalog:
    stretches = [catalog.stretches.get(DRILL), catalog.stretches.get(HELD)]
    return Catalog(StretchLibrary([s for s in stretches if s is not None]), catalog.redflags)


def uploads(api: FakeBotApi) -> list[str]:
    """Pictures sent as files (not by file id), by method."""
    return [
        call.method
        for method, field in (("sendPhoto", "photo"), ("sendAnimation", "animation"))
        for call in api.calls_to(method)
        if call.ok and isinstance(call.params.get(field), Upload)
    ]


async def cards(chat: Chat, count: int) -> dict[str, SentMessage]:
    """Ask for ``count`` stretches; the pictures by the stretch named in their caption."""
    pictures: dict[str, SentMessage] = {}
    for _ in range(count):
        picture, _card = await chat.say("/stretch", replies=2)
        name = picture.text.split("\n")[0]
        pictures[name] = picture
    return pictures


async def test_each_drawing_is_uploaded_once_then_sent_by_file_id_across_restarts(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    small = two_stretches(catalog)
    clock = FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    async with running_bot(api, sqlite_url, small, clock) as chat:
        await chat.answer_safety_questions(NO_TO_EVERY_SAFETY_QUESTION)
        shown = await cards(chat, 4)
        assert sorted(uploads(api)) == ["sendAnimation", "sendPhoto"]

    drill = shown["Marching warm-up"]
    assert drill.kind == "animation" and drill.file is not None
    assert (drill.file.width, drill.file.height) == (ANIMATION, ANIMATION)
    assert 2 <= drill.file.duration <= 4 and drill.file.mime_type == "image/gif"
    still = shown["Standing quad stretch"]
    assert still.kind == "photo" and still.file is not None
    assert (still.file.width, still.file.height) == (2 * PANEL + GAP, PANEL)
    assert "1: the starting position (standing); 2: the stretch." in still.text

    engine = create_engine(sqlite_url)
    async with create_session_factory(engine)() as session:
        stored = (await session.scalars(select(UploadedFile))).all()
    await engine.dispose()
    assert sorted(row.kind for row in stored) == ["animation", "photo"]
    assert {row.file_id for row in stored} == {drill.file.file_id, still.file.file_id}

    async with running_bot(api, sqlite_url, small, clock) as restarted:
        again = await cards(restarted, 3)
        assert sorted(uploads(api)) == ["sendAnimation", "sendPhoto"]  # nothing new
    assert {m.file.file_id for m in again.values() if m.file} <= {
        drill.file.file_id,
        still.file.file_id,
    }
