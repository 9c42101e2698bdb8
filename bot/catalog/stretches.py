"""Stretch library: one YAML file per stretch in ``content/stretches/``, validated at start."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.catalog.loading import ContentError, validate_model
from bot.catalog.poses import Illustration
from bot.catalog.translations import overlay, read_yaml

Slug = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
# Limits leave room for translations a third longer than the English.
Sentence = Field(min_length=3, max_length=400)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=400)]


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


class Movement(StrEnum):
    """What a stretch asks of the body and where it is done: the closed vocabulary that safety
    precautions leave stretches out by (``bot.domain.precautions``). A stretch lists every
    one that applies at any point, getting into and out of the position included."""

    # The thigh comes closer to the chest than a right angle: deep squats, a knee drawn to the
    # chest, sitting on the floor, leaning forward from sitting.
    HIP_FLEXION_PAST_90 = "hip_flexion_past_90"
    # A leg or foot taken across the middle of the body: legs crossed (ankle over knee, shins
    # stacked), a knee pulled toward the other side, the top knee dropped over while side-lying.
    HIP_CROSSING_MIDLINE = "hip_crossing_midline"
    # The thigh turned inward at the hip (knee in, foot out).
    HIP_INTERNAL_ROTATION = "hip_internal_rotation"
    # The spine rounded forward while body weight, gravity or the arms load it.
    LOADED_FORWARD_BEND = "loaded_forward_bend"
    # The spine turned as far as it goes, or levered further by a hand, a leg or the floor.
    END_RANGE_TWIST = "end_range_twist"
    # Where it is done (at least one of the first three).
    STANDING = "standing"
    ON_A_CHAIR = "on_a_chair"
    ON_THE_FLOOR = "on_the_floor"
    KNEELING = "kneeling"  # weight on one or both knees
    LYING_ON_BACK = "lying_on_back"  # flat on the back for the stretch
    LYING_ON_FRONT = "lying_on_front"


PLACES = frozenset({Movement.STANDING, Movement.ON_A_CHAIR, Movement.ON_THE_FLOOR})
ON_THE_FLOOR_ONLY = frozenset({Movement.KNEELING, Movement.LYING_ON_BACK, Movement.LYING_ON_FRONT})
# What a starting position implies the stretch's own movements must include.
POSITION_MOVEMENTS: dict[Position, frozenset[Movement]] = {
    Position.STANDING: frozenset({Movement.STANDING}),
    Position.SEATED_CHAIR: frozenset({Movement.ON_A_CHAIR}),
    Position.SEATED_FLOOR: frozenset({Movement.ON_THE_FLOOR}),
    Position.KNEELING: frozenset({Movement.ON_THE_FLOOR, Movement.KNEELING}),
    Position.HALF_KNEELING: frozenset({Movement.ON_THE_FLOOR, Movement.KNEELING}),
    Position.TABLETOP: frozenset({Movement.ON_THE_FLOOR, Movement.KNEELING}),
    Position.LYING_BACK: frozenset({Movement.ON_THE_FLOOR, Movement.LYING_ON_BACK}),
    Position.LYING_FRONT: frozenset({Movement.ON_THE_FLOOR, Movement.LYING_ON_FRONT}),
    Position.SIDE_LYING: frozenset({Movement.ON_THE_FLOOR}),
}


class Role(StrEnum):
    """What a stretch is for in a guided session (``bot.domain.sessions``): every session
    starts with a warm-up and ends with one strengthening move for the side of the hip."""

    STRETCH = "stretch"
    WARM_UP = "warm_up"
    # Strengthens the side of the hip (the gluteus medius and its neighbours).
    HIP_STRENGTH = "hip_strength"


class Need(StrEnum):
    """What a stretch needs that not everyone can do or has at hand; derived from its
    movements and equipment (``Stretch.needs``), so it cannot drift from them. A mat or a
    cushion is only a comfort, so it is no need."""

    KNEEL = "kneel"
    FLOOR = "floor"
    WALL = "wall"
    CHAIR = "chair"
    BAND = "band"
    STRAP = "strap"
    STEP = "step"


NEEDS_BY_MOVEMENT: dict[Movement, Need] = {
    Movement.KNEELING: Need.KNEEL,
    Movement.ON_THE_FLOOR: Need.FLOOR,
    Movement.ON_A_CHAIR: Need.CHAIR,
}
NEEDS_BY_EQUIPMENT: dict[Equipment, Need] = {
    Equipment.WALL: Need.WALL,
    Equipment.CHAIR: Need.CHAIR,
    Equipment.BAND: Need.BAND,
    Equipment.STRAP: Need.STRAP,
    Equipment.STEP: Need.STEP,
}

# Required and never empty: a stretch nobody has tagged cannot pass as safe.
Movements = Annotated[frozenset[Movement], Field(min_length=1)]


class Stretch(BaseModel):
    """One stretch or mobility drill, as the card shows it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Slug
    name: str = Field(min_length=3, max_length=80)
    purpose: str = Sentence
    areas: tuple[Area, ...] = Field(min_length=1)
    level: int = Field(ge=1, le=3)
    equipment: tuple[Equipment, ...] = Field(min_length=1)
    position: Position
    movements: Movements
    steps: tuple[Text, ...] = Field(min_length=3, max_length=8)
    # The dose: one of a hold, a number of reps, or a time to keep a movement going.
    hold_seconds: int | None = Field(default=None, ge=5, le=180)
    reps: int | None = Field(default=None, ge=1, le=30)
    duration_seconds: int | None = Field(default=None, ge=30, le=600)
    rounds: int = Field(default=1, ge=1, le=5)  # per side when sides is 'each'
    sides: Literal["each", "none"]
    cues: tuple[Text, ...] = Field(min_length=1, max_length=5)
    stop_if: tuple[Text, ...] = Field(min_length=1, max_length=4)
    easier: str = Sentence
    easier_movements: Movements  # the easier variant's own, complete list
    harder: str = Sentence
    harder_movements: Movements
    sources: tuple[Text, ...] = Field(min_length=1)
    illustration: Illustration
    role: Role = Role.STRETCH

    @field_validator("movements", "easier_movements", "harder_movements")
    @classmethod
    def _says_where(cls, movements: frozenset[Movement]) -> frozenset[Movement]:
        if not movements & PLACES:
            raise ValueError(f"say where it is done: one of {sorted(p.value for p in PLACES)}")
        if movements & ON_THE_FLOOR_ONLY and Movement.ON_THE_FLOOR not in movements:
            raise ValueError("kneeling and lying are on the floor: add 'on_the_floor'")
        return movements

    @field_validator("movements")
    @classmethod
    def _match_the_position(
        cls, movements: frozenset[Movement], info: ValidationInfo
    ) -> frozenset[Movement]:
        position = info.data.get("position")
        if not isinstance(position, Position):  # the position itself was invalid
            return movements
        missing = POSITION_MOVEMENTS[position] - movements
        if missing:
            names = sorted(movement.value for movement in missing)
            raise ValueError(f"starting {position.value!r} needs {names} listed")
        return movements

    @model_validator(mode="after")
    def _dose_is_hold_or_reps(self) -> Stretch:
        doses = (self.hold_seconds, self.reps, self.duration_seconds)
        if sum(dose is not None for dose in doses) != 1:
            raise ValueError("give exactly one of hold_seconds, reps or duration_seconds")
        if len(set(self.areas)) != len(self.areas):
            raise ValueError("areas are listed twice")
        if Equipment.NONE in self.equipment and len(self.equipment) > 1:
            raise ValueError("equipment 'none' cannot be combined with other equipment")
        return self

    @model_validator(mode="after")
    def _chair_is_listed(self) -> Stretch:
        # A stretch done on a chair must say so in its equipment too, or a user without one
        # would read a card asking for a chair they were told they would not need.
        if Movement.ON_A_CHAIR in self.movements and Equipment.CHAIR not in self.equipment:
            raise ValueError("done on a chair: add 'chair' to the equipment")
        return self

    @field_validator("illustration")
    @classmethod
    def _drawn_as_described(cls, drawn: Illustration, info: ValidationInfo) -> Illustration:
        """The picture shows only equipment the card asks for and tints only its areas."""
        equipment = {item.value for item in info.data.get("equipment", ())}
        props = sorted({prop.kind.value for prop in drawn.props} - equipment)
        if "equipment" in info.data and props:
            raise ValueError(f"props {props} are not in the equipment")
        areas = {area.value for area in info.data.get("areas", ())}
        tinted = sorted({tint.area for tint in drawn.target} - areas)
        if "areas" in info.data and tinted:
            raise ValueError(f"target {tinted} is not among the stretch's areas")
        return drawn

    @property
    def is_drill(self) -> bool:
        """A movement repeated or kept going, rather than a position held."""
        return self.hold_seconds is None

    @property
    def needs(self) -> frozenset[Need]:
        """What the stretch needs: kneeling, the floor, a wall, a chair, a band..."""
        return frozenset(
            [NEEDS_BY_MOVEMENT[m] for m in self.movements if m in NEEDS_BY_MOVEMENT]
            + [NEEDS_BY_EQUIPMENT[e] for e in self.equipment if e in NEEDS_BY_EQUIPMENT]
        )

    def variant_movements(self, *, easier: bool) -> frozenset[Movement]:
        """What the easier or harder way of doing this stretch asks of the body."""
        return self.easier_movements if easier else self.harder_movements


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


def load_stretches(directory: Path, translated: Path | None = None) -> StretchLibrary:
    """Load every ``*.yaml`` in ``directory``; a bad file raises ``ContentError`` naming it.

    With ``translated``, a file of the same name there replaces the English texts (see
    ``catalog.translations``); files not translated yet stay English.
    """
    stretches = []
    english_files = sorted(directory.glob("*.yaml"))
    if translated is not None:
        orphans = {p.name for p in translated.glob("*.yaml")} - {p.name for p in english_files}
        if orphans:
            raise ContentError(f"{translated}: no English original for {sorted(orphans)}")
    for path in english_files:
        data, source = read_yaml(path), path
        if translated is not None and (translated / path.name).is_file():
            source = translated / path.name
            data = overlay(data, read_yaml(source), source)
        stretch = validate_model(data, Stretch, source)
        if stretch.id != path.stem:
            raise ContentError(f"{path}: field 'id': {stretch.id!r} must match the file name")
        stretches.append(stretch)
    if not stretches:
        raise ContentError(f"{directory}: no stretch files found")
    return StretchLibrary(stretches)
