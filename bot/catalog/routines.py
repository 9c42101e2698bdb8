"""Named guided sessions: one YAML file per routine in ``content/routines/``, validated at start
against the stretch library (every step a known stretch, a warm-up first)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.catalog.loading import ContentError, validate_model
from bot.catalog.stretches import Role, StretchLibrary
from bot.catalog.translations import overlay, read_yaml

Slug = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=24)


class Routine(BaseModel):
    """A fixed sequence of stretches with a name people choose it by."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Slug
    name: str = Field(min_length=3, max_length=40)
    purpose: str = Field(min_length=3, max_length=200)
    steps: tuple[str, ...] = Field(min_length=3, max_length=8)


def _check_against(routine: Routine, library: StretchLibrary, path: Path) -> None:
    unknown = [step for step in routine.steps if step not in library]
    if unknown:
        raise ContentError(f"{path}: field 'steps': unknown stretch ids {unknown}")
    if len(set(routine.steps)) != len(routine.steps):
        raise ContentError(f"{path}: field 'steps': a stretch is listed twice")
    first = library.get(routine.steps[0])
    if first is None or first.role is not Role.WARM_UP:
        raise ContentError(f"{path}: field 'steps': the first step must be a warm-up")


def load_routines(
    directory: Path, library: StretchLibrary, translated: Path | None = None
) -> tuple[Routine, ...]:
    """Every ``*.yaml`` in ``directory``, sorted by file name; a bad file raises
    ``ContentError`` naming it. A missing folder means no named routines. With
    ``translated``, a file of the same name there replaces the name and purpose (the same
    rules as stretches: ``catalog.translations``)."""
    routines = []
    english_files = sorted(directory.glob("*.yaml"))
    if translated is not None:
        orphans = {p.name for p in translated.glob("*.yaml")} - {p.name for p in english_files}
        if orphans:
            raise ContentError(f"{translated}: no English original for {sorted(orphans)}")
    for path in english_files:
        data = read_yaml(path)
        routine = validate_model(data, Routine, path)
        if translated is not None and (translated / path.name).is_file():
            source = translated / path.name
            english_steps = routine.steps
            routine = validate_model(overlay(data, read_yaml(source), source), Routine, source)
            if routine.steps != english_steps:  # "steps" is text for stretches, ids here
                raise ContentError(f"{source}: field 'steps': must be the same as in English")
        if routine.id != path.stem:
            raise ContentError(f"{path}: field 'id': {routine.id!r} must match the file name")
        _check_against(routine, library, path)
        routines.append(routine)
    return tuple(routines)
