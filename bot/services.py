"""What use cases and handlers need, built once at start (handlers reach it via the context)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from random import Random

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog
from bot.catalog.redflags import Checklist
from bot.catalog.stretches import StretchLibrary
from bot.clock import Clock
from bot.config import Settings
from bot.db.file_guard import DatabaseFileGuard
from bot.domain.picking import StretchPicker
from bot.domain.sessions import SessionComposer


@dataclass
class Services:
    settings: Settings
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]
    catalog: Catalog
    rng: Random = field(default_factory=Random)
    database_guard: DatabaseFileGuard = field(default_factory=DatabaseFileGuard)
    picker: StretchPicker = field(init=False)

    def __post_init__(self) -> None:
        self.picker = StretchPicker(self.catalog.stretches.all())

    @cached_property
    def composer(self) -> SessionComposer:
        """Built on first use: content without warm-ups or hip-strength moves (some tests'
        libraries) can still run everything but sessions."""
        return SessionComposer(self.catalog.stretches)

    @property
    def stretches(self) -> StretchLibrary:
        return self.catalog.stretches

    @property
    def redflags(self) -> Checklist:
        return self.catalog.redflags

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on error; refused (raises
        DatabaseFileLost) once the SQLite file was deleted or replaced under the bot."""
        self.database_guard.check()
        async with self.sessions() as session, session.begin():
            yield session
