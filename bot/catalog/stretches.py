"""Stretch library: one YAML file per stretch in ``content/stretches/``, validated at start."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.catalog.loading import ContentError, load_yaml_model

Slug = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
Sentence = Field(min_length=3, max_length=300)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class Area(StrEnum):
    """Body areas a stretch targets; users pick focus areas from these."""

    HIP_FLEXORS = "hip_flexors"
    GLUTES = "glutes"
    PIRIFORMIS = "piriformis"
    ADDUCTORS = "adductors"
    HAMSTRINGS = "hamstrings"
    QUADS = "quads"
    LOWER_BACK = "lower_back"
    THORACIC = "thoracic"
    HIP_MOBILITY = "hip_mobility"


class Equipment(StrEnum):
    NONE = "none"
    BAND = "band"
    WALL = "wall"
    CHAIR = "chair"
    MAT = "mat"
    CUSHION = "cushion"
    STRAP = "strap"
    STEP = "step"


class Position(StrEnum):
    STANDING = "standing"
    SEATED_CHAIR = "seated_chair"
    SEATED_FLOOR = "seated_floor"
    KNEELING = "kneeling"
    HALF_KNEELING = "half_kneeling"
    TABLETOP = "tabletop"
    LYING_BACK = "lying_back"
    LYING_FRONT = "lying_front"
    SIDE_LYING = "side_lying"


class Stretch(BaseModel):
    """One stretch or mobility drill, as the card shows it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Slug
    name: str = Field(min_length=3, max_length=60)
    purpose: str = Sentence
    areas: tuple[Area, ...] = Field(min_length=1)
    level: int = Field(ge=1, le=3)
    equipment: tuple[Equipment, ...] = Field(min_length=1)
    position: Position
    steps: tuple[Text, ...] = Field(min_length=3, max_length=8)
    hold_seconds: int | None = Field(default=None, ge=5, le=180)
    reps: int | None = Field(default=None, ge=1, le=30)
    rounds: int = Field(default=1, ge=1, le=5)  # per side when sides is 'each'
    sides: Literal["each", "none"]
    cues: tuple[Text, ...] = Field(min_length=1, max_length=5)
    stop_if: tuple[Text, ...] = Field(min_length=1, max_length=4)
    easier: str = Sentence
    harder: str = Sentence
    sources: tuple[Text, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _dose_is_hold_or_reps(self) -> Stretch:
        if (self.hold_seconds is None) == (self.reps is None):
            raise ValueError("give exactly one of hold_seconds or reps")
        if len(set(self.areas)) != len(self.areas):
            raise ValueError("areas are listed twice")
        if Equipment.NONE in self.equipment and len(self.equipment) > 1:
            raise ValueError("equipment 'none' cannot be combined with other equipment")
        return self


class StretchLibrary:
    """The validated stretches, in a stable order, looked up by id."""

    def __init__(self, stretches: list[Stretch]) -> None:
        self._by_id = {stretch.id: stretch for stretch in sorted(stretches, key=lambda s: s.id)}

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, stretch_id: object) -> bool:
        return stretch_id in self._by_id

    def get(self, stretch_id: str) -> Stretch | None:
        return self._by_id.get(stretch_id)

    def all(self) -> list[Stretch]:
        return list(self._by_id.values())


def load_stretches(directory: Path) -> StretchLibrary:
    """Load every ``*.yaml`` in ``directory``; a bad file raises ``ContentError`` naming it."""
    stretches = []
    for path in sorted(directory.glob("*.yaml")):
        stretch = load_yaml_model(path, Stretch)
        if stretch.id != path.stem:
            raise ContentError(f"{path}: field 'id': {stretch.id!r} must match the file name")
        stretches.append(stretch)
    if not stretches:
        raise ContentError(f"{directory}: no stretch files found")
    return StretchLibrary(stretches)
