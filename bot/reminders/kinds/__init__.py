"""The registry of reminder kinds: the claim and the tick iterate it.

A new kind is one module here (a ``ReminderKind``), one line in ``standard_kinds``, and a
migration adding its due column with a partial index on active users.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from bot.db.models import User
from bot.db.reminders import KIND_NAME_LENGTH
from bot.reminders.kinds.base import ReminderKind
from bot.reminders.kinds.checkin import PainCheckin
from bot.reminders.kinds.stretch import picker_chooser, stretch_kinds
from bot.reminders.kinds.weekly import WeeklySummary
from bot.services import Services

if TYPE_CHECKING:
    from bot.render.i18n import Catalogs

__all__ = ["ReminderKind", "ReminderKinds", "standard_kinds"]


class ReminderKinds:
    """Kinds by name, checked once: unique names that fit deliveries.kind, and one kind per
    users column (two kinds claiming one column would each send the same due instant)."""

    def __init__(self, kinds: Iterable[ReminderKind[Any]]) -> None:
        self._kinds: dict[str, ReminderKind[Any]] = {}
        columns: set[str] = set()
        for kind in kinds:
            if not 0 < len(kind.name) <= KIND_NAME_LENGTH:
                raise ValueError(f"kind name {kind.name!r} must be 1-{KIND_NAME_LENGTH} characters")
            if kind.name in self._kinds:
                raise ValueError(f"two reminder kinds are named {kind.name!r}")
            column = kind.due_column
            if column.class_ is not User:
                raise ValueError(f"kind {kind.name!r}: its due column must be on users")
            if column.key in columns:
                raise ValueError(f"kind {kind.name!r}: another kind is due by {column.key}")
            columns.add(column.key)
            self._kinds[kind.name] = kind

    def __iter__(self) -> Iterator[ReminderKind[Any]]:
        return iter(self._kinds.values())

    def __getitem__(self, name: str) -> ReminderKind[Any]:
        return self._kinds[name]


def standard_kinds(services: Services, catalogs: Catalogs | None = None) -> ReminderKinds:
    """Every kind the bot sends, in the order a claim takes them, rendered in each user's
    language from ``catalogs`` (default: the ones shipped)."""
    return ReminderKinds(
        [
            *stretch_kinds(picker_chooser(services), catalogs),
            WeeklySummary(services.catalog, catalogs),
            PainCheckin(catalogs),
        ]
    )
