"""What the stretch pictures cost: rendering all of them from scratch, and a card's picture
once Telegram has it.

    python -m bench.illustrations [--repeat 2] [--sends 20000] [--out results.json]

- render: every still (PNG, start and end side by side) and every drill's loop (GIF) of the
  real library, in a fresh interpreter, one after the other: wall time and CPU per picture,
  bytes and pixels; then the contact sheet. Repeated ``--repeat`` times (the first run pays
  for imports and font loading).
- per card once cached: ``IllustrationFiles.send`` for a stretch whose file id is known in
  memory, the way /stretch sends it (a stub stands in for Telegram, answering at once):
  microseconds a card, and how many renders that took (none).
- per card after a restart: a new ``IllustrationFiles`` over an SQLite file that already
  holds every file id: the first card of each stretch renders once in a worker thread (to
  learn which drawing this process has) and is sent by reference, never uploaded.
- reminders: the reminder modules import nothing that draws (checked), so their cost is 0.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import io
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Animation, Chat, InputFile, Message, PhotoSize

from bench.common import REPO, LoopLag, machine
from bot.catalog.stretches import Stretch, load_stretches
from bot.clock import SystemClock
from bot.config import DEFAULT_CONTENT_DIR
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade_database
from bot.illustration_files import IllustrationFiles
from bot.render.illustrations import MediaKind, animation_gif, contact_sheet_png, still_png

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DRAWING_MODULES = ("bot.render.illustrations", "bot.illustration_files", "PIL")


def render_all(stretches: list[Stretch]) -> dict[str, Any]:
    pictures = []
    for stretch in stretches:
        kinds = [("photo", still_png)] + (
            [("animation", animation_gif)] if stretch.is_drill else []
        )
        for kind, render in kinds:
            wall, cpu = time.perf_counter(), time.process_time()
            data = render(stretch)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            with Image.open(io.BytesIO(data)) as image:
                size, frames = image.size, getattr(image, "n_frames", 1)
            pictures.append(
                {
                    "stretch": stretch.id,
                    "kind": kind,
                    "ms": round(wall * 1000, 1),
                    "cpu_ms": round(cpu * 1000, 1),
                    "bytes": len(data),
                    "pixels": f"{size[0]}x{size[1]}",
                    "frames": frames,
                }
            )
    wall = time.perf_counter()
    sheet = contact_sheet_png(stretches)
    return {
        "pictures": pictures,
        "sheet": {"ms": round((time.perf_counter() - wall) * 1000), "bytes": len(sheet)},
    }


def summarize(pictures: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    chosen = [p for p in pictures if p["kind"] == kind]
    ms = [p["ms"] for p in chosen]
    sizes = [p["bytes"] for p in chosen]
    return {
        "count": len(chosen),
        "total_ms": round(sum(ms)),
        "median_ms": round(statistics.median(ms), 1),
        "max_ms": max(ms),
        "median_bytes": round(statistics.median(sizes)),
        "min_bytes": min(sizes),
        "max_bytes": max(sizes),
        "pixels": sorted({p["pixels"] for p in chosen}),
    }


class InstantTelegram:
    """Answers a send at once, as Telegram would: a new file id for an upload. Its answers
    are built once per file, so the timing is the cache's, not the stub's."""

    def __init__(self) -> None:
        self.uploads = 0
        self._answers: dict[str, Message] = {}

    async def send(self, kind: MediaKind, media: str | InputFile) -> Message:
        if not isinstance(media, str):
            self.uploads += 1
            media = f"{kind}-{self.uploads}"
        if media not in self._answers:
            chat = Chat(1, Chat.PRIVATE)
            self._answers[media] = (
                Message(1, NOW, chat, photo=(PhotoSize(media, "u", 1094, 540),))
                if kind == "photo"
                else Message(1, NOW, chat, animation=Animation(media, "u", 480, 480, 3))
            )
        return self._answers[media]


async def per_card(stretches: list[Stretch], sends: int, db_path: Path) -> dict[str, Any]:
    engine = create_engine(f"sqlite+aiosqlite:///{db_path}")
    sessions = create_session_factory(engine)

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with sessions() as session, session.begin():
            yield session

    telegram = InstantTelegram()
    first = IllustrationFiles(transaction, SystemClock())
    lag = LoopLag()  # how late a 10 ms timer runs while pictures render in a worker thread
    lag.start()
    started = time.perf_counter()
    for stretch in stretches:
        await first.send(stretch, telegram.send)
    first_seconds = time.perf_counter() - started
    await lag.stop()
    uploads = telegram.uploads

    started = time.perf_counter()
    for index in range(sends):
        await first.send(stretches[index % len(stretches)], telegram.send)
    cached_us = (time.perf_counter() - started) / sends * 1e6

    restarted = IllustrationFiles(transaction, SystemClock())
    started = time.perf_counter()
    for stretch in stretches:
        await restarted.send(stretch, telegram.send)
    restart_seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "first_card_of_each_stretch_seconds": round(first_seconds, 2),
        "event_loop_lag_while_rendering": lag.summary(),
        "uploads": uploads,
        "cached_us_per_card": round(cached_us, 1),
        "cached_renders": first.renders - len(stretches),
        "after_restart_seconds_for_all": round(restart_seconds, 2),
        "after_restart_renders": restarted.renders,
        "uploads_after_the_first": telegram.uploads - uploads,
    }


def reminder_path_draws() -> list[str]:
    """Modules of the reminder path that import anything that draws (should be none)."""
    found = []
    for path in sorted((REPO / "bot" / "reminders").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.startswith(DRAWING_MODULES)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="stretch pictures: render and per-card cost")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sends", type=int, default=20_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    stretches = load_stretches(DEFAULT_CONTENT_DIR / "stretches").all()
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        rendered = render_all(stretches)
        runs.append(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "stills": summarize(rendered["pictures"], "photo"),
                "animations": summarize(rendered["pictures"], "animation"),
                "sheet": rendered["sheet"],
                "pictures": rendered["pictures"],
            }
        )
    with tempfile.TemporaryDirectory(prefix="limber-bench-") as tmp:
        db_path = Path(tmp) / "limber.sqlite3"
        upgrade_database(f"sqlite+aiosqlite:///{db_path}")  # Alembic runs its own loop
        cards = asyncio.run(per_card(stretches, args.sends, db_path))
    results = {
        "machine": machine(),
        "illustrations": {
            "stretches": len(stretches),
            "drills": sum(stretch.is_drill for stretch in stretches),
            "render_runs": runs,
            "per_card": cards,
            "reminder_path_imports_that_draw": reminder_path_draws(),
        },
    }
    for run in runs:
        print(
            f"render all: {run['seconds']} s; stills {run['stills']}; "
            f"animations {run['animations']}; sheet {run['sheet']}"
        )
    print(f"per card: {cards}")
    drawing = results["illustrations"]["reminder_path_imports_that_draw"]
    print(f"reminder path imports that draw: {drawing or 'none'}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
