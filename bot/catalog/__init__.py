"""All content, loaded and validated at start: stretches and the red-flag checklist."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.catalog.redflags import Checklist, load_redflags
from bot.catalog.stretches import StretchLibrary, load_stretches


@dataclass(frozen=True)
class Catalog:
    stretches: StretchLibrary
    redflags: Checklist


def load_catalog(content_dir: Path) -> Catalog:
    """Load everything under ``content_dir``; a bad file raises ``ContentError`` naming it."""
    return Catalog(
        stretches=load_stretches(content_dir / "stretches"),
        redflags=load_redflags(content_dir / "redflags.yaml"),
    )
