"""All content, loaded and validated at start: stretches, the red-flag checklist, the
education cards and the named session routines, in English and in every language translated
under ``content/<lang>/``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot import resources
from bot.catalog.learn import NO_CARDS, LearnCards, load_learn
from bot.catalog.redflags import Checklist, load_redflags
from bot.catalog.routines import Routine, load_routines
from bot.catalog.stretches import StretchLibrary, load_stretches
from bot.catalog.translations import language_dirs


@dataclass(frozen=True)
class Content:
    """The content in one language."""

    stretches: StretchLibrary
    redflags: Checklist
    learn: LearnCards = NO_CARDS
    routines: tuple[Routine, ...] = ()


@dataclass(frozen=True)
class Catalog:
    """English content (the source: its ids and rules decide), plus its translations."""

    stretches: StretchLibrary
    redflags: Checklist
    translations: Mapping[str, Content] = field(default_factory=dict)
    routines: tuple[Routine, ...] = ()
    learn: LearnCards = NO_CARDS

    def routine(self, routine_id: str) -> Routine | None:
        return next((r for r in self.routines if r.id == routine_id), None)

    def in_language(self, language: str) -> Content:
        """The content in ``language`` (gettext's form, e.g. "pt_BR"), else English."""
        found = self.translations.get(language) or self.translations.get(language.split("_")[0])
        return found or Content(self.stretches, self.redflags, self.learn, self.routines)


def load_catalog(content_dir: Path) -> Catalog:
    """Load everything under ``content_dir``; a bad file raises ``ContentError`` naming it."""
    stretches_dir, redflags_file = content_dir / "stretches", content_dir / "redflags.yaml"
    learn_file = content_dir / "learn.yaml"
    if not learn_file.is_file():  # an operator's own library of stretches: the bundled cards
        learn_file = resources.content_dir() / "learn.yaml"
    routines_dir = content_dir / "routines"
    stretches = load_stretches(stretches_dir)
    translations = {}
    for language, directory in language_dirs(content_dir).items():
        translated_redflags = directory / "redflags.yaml"
        translations[language] = Content(
            stretches=load_stretches(stretches_dir, directory / "stretches"),
            redflags=load_redflags(
                redflags_file, translated_redflags if translated_redflags.is_file() else None
            ),
            learn=load_learn(learn_file, directory / "learn.yaml"),
            routines=load_routines(routines_dir, stretches, directory / "routines"),
        )
    return Catalog(
        stretches=stretches,
        redflags=load_redflags(redflags_file),
        translations=translations,
        routines=load_routines(routines_dir, stretches),
        learn=load_learn(learn_file),
    )
