"""Noticing that the SQLite file was deleted or replaced under the running bot.

SQLite keeps writing to the file it opened: deleted, that file lives on unnamed until the
process exits, and everything written meanwhile ("Saved") is lost at the next start. So the
file is remembered by identity (device and inode) and checked before each write transaction;
once lost, writes fail and the bot stops with a clear error.
"""

from __future__ import annotations

import asyncio
import os


class DatabaseFileLost(RuntimeError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"the SQLite database file {what} while the bot was running; stopping, so that "
            "nothing more is written to a file that is gone. Restore it from a backup (or let "
            "the bot create a new one) and start again."
        )


class DatabaseFileGuard:
    """The identity of the SQLite file at ``path`` when the bot started; with no path (other
    databases, in-memory SQLite) a no-op."""

    def __init__(self, path: str | None = None) -> None:
        self._path = path
        self._identity = _identity(path) if path else None
        self._lost: str | None = None
        self._lost_event = asyncio.Event()

    def check(self) -> None:
        """Raise :class:`DatabaseFileLost` if the file is gone or is another file now."""
        if self._identity is None:
            return
        if self._lost is None:
            now = _identity(self._path) if self._path else None
            if now is None:
                self._lost = f"{self._path} was deleted"
            elif now != self._identity:
                self._lost = f"{self._path} was replaced by another file"
            else:
                return
            self._lost_event.set()
        raise DatabaseFileLost(self._lost)

    async def wait_lost(self) -> str:
        """Return (what happened to the file) once a check found it lost."""
        await self._lost_event.wait()
        assert self._lost is not None
        return self._lost


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino
