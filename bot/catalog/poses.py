"""A stretch's illustration as data: a 2D figure's joint angles at a start and an end keyframe,
the props it uses, the body area to tint and the body point whose path the arrow follows.

Angles are in degrees, each measured from the segment it hangs on (forward kinematics), so a
drawing can never stretch a limb: only ``bot.render.figure`` turns them into points.

Side view (the figure faces right; ``near`` limbs in front, ``far`` behind):
- ``trunk``: the lower back's lean from upright, + forward (90 = horizontal, face down;
  -90 = lying on the back); ``spine``: the upper back against the lower, + rounding forward;
  ``neck``: the head against the upper back, + chin down.
- legs ``[hip, knee, ankle]``: + hip flexion (thigh forward), + knee flexion (heel toward the
  buttock), + ankle pointing the toes (0 = foot at a right angle to the shin).
- arms ``[shoulder, elbow]``: + shoulder flexion (0 = hanging, 90 = forward, 180 = overhead),
  + elbow flexion.

Front view (the figure faces us; ``left`` and ``right`` as seen on the screen): ``trunk`` and
``spine`` bend + toward the screen's right; a leg's hip and an arm's shoulder + away from the
middle of the body; a knee + turns the shin back toward the middle, an elbow + turns the
forearm further out (hands on the hips are a negative elbow). A front view is a projection:
a thigh pointing at the viewer is drawn full length, raised.

Seen from above (``side_from_above``, ``front_from_above``): the same angles, for a figure
lying on the floor; there is no floor line and the figure rests on its mat.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

LegAngles = tuple[float, float, float]  # hip, knee, ankle
ArmAngles = tuple[float, float]  # shoulder, elbow


class View(StrEnum):
    """Where the camera is. Lying figures are drawn from above when what moves lies in the
    plane of the floor: a leg swinging while lying on one side, knees dropping to one side."""

    SIDE = "side"
    FRONT = "front"
    SIDE_FROM_ABOVE = "side_from_above"  # lying on one side: the side view's angles
    FRONT_FROM_ABOVE = "front_from_above"  # lying on the back: the front view's angles

    @property
    def profile(self) -> bool:
        """True when the angles are the side view's (near and far limbs)."""
        return self in (View.SIDE, View.SIDE_FROM_ABOVE)

    @property
    def from_above(self) -> bool:
        return self in (View.SIDE_FROM_ABOVE, View.FRONT_FROM_ABOVE)

    @property
    def sides(self) -> tuple[str, str]:
        """The two limbs' names in this view, the one drawn behind first."""
        return ("far", "near") if self.profile else ("left", "right")


class PropKind(StrEnum):
    """Things drawn with the figure; each must be in the stretch's equipment."""

    MAT = "mat"  # under the figure
    CHAIR = "chair"  # under the pelvis
    WALL = "wall"  # touching ``at``
    STEP = "step"  # under ``at``
    CUSHION = "cushion"  # under ``at``
    BAND = "band"  # from ``at`` to ``to``
    STRAP = "strap"  # from ``at`` to ``to``


PROPS_WITH_A_POINT = frozenset(
    {PropKind.WALL, PropKind.STEP, PropKind.CUSHION, PropKind.BAND, PropKind.STRAP}
)
PROPS_WITH_TWO_POINTS = frozenset({PropKind.BAND, PropKind.STRAP})

TWIST = "twist"
CENTRE_POINTS = ("pelvis", "waist", "neck", "head")
# "foot" is the middle of the foot, where a band or strap loops round.
LIMB_POINTS = ("hip", "knee", "ankle", "foot", "toe", "shoulder", "elbow", "hand")


def point_names(view: View) -> frozenset[str]:
    """Every body point of a figure in ``view`` that props, arrows and anchors may name."""
    return frozenset(CENTRE_POINTS) | {
        f"{side}_{point}" for side in view.sides for point in LIMB_POINTS
    }


# Joint ranges a body can reach, with a little room; outside them a pose is a typing error.
SIDE_RANGES = {
    "spine": (-45.0, 90.0),
    "neck": (-60.0, 70.0),
    "hip": (-60.0, 180.0),  # the lower back bends with the hip, both ways
    "knee": (-5.0, 170.0),  # 170: sitting back on the heels
    "ankle": (-40.0, 95.0),  # a kneeling foot lies flat behind the shin
    # Past 180 or below -70 only with the trunk turned, which a flat figure shows this way.
    "shoulder": (-110.0, 260.0),
    "elbow": (-5.0, 160.0),
}
FRONT_RANGES = {
    "spine": (-45.0, 45.0),
    "neck": (-45.0, 45.0),
    "hip": (-90.0, 170.0),  # past 90: a seated thigh seen end-on, drawn raised
    "knee": (-120.0, 175.0),
    "ankle": (-150.0, 150.0),  # a foot seen from the front turns about freely
    "shoulder": (-90.0, 200.0),  # below 0: the arm across the front of the body
    "elbow": (-160.0, 160.0),
}


class Keyframe(BaseModel):
    """One keyframe. In the start, what is left out is upright and a limb left out copies
    the other one; in the end, what is left out keeps its start, and a pair of limbs the
    start gave as one moves as one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trunk: float | None = Field(default=None, ge=-180, le=180)
    spine: float | None = None
    neck: float | None = None
    near_leg: LegAngles | None = None
    far_leg: LegAngles | None = None
    near_arm: ArmAngles | None = None
    far_arm: ArmAngles | None = None
    left_leg: LegAngles | None = None
    right_leg: LegAngles | None = None
    left_arm: ArmAngles | None = None
    right_arm: ArmAngles | None = None


@dataclass(frozen=True)
class Pose:
    """Every angle of one keyframe, filled in. Limbs are (behind or left, front or right)."""

    trunk: float
    spine: float
    neck: float
    legs: tuple[LegAngles, LegAngles]
    arms: tuple[ArmAngles, ArmAngles]


def _limb(frame: Keyframe, side: str, kind: str) -> tuple[float, ...] | None:
    value: tuple[float, ...] | None = getattr(frame, f"{side}_{kind}")
    return value


def _pair(
    start: Keyframe, frame: Keyframe, view: View, kind: str, upright: tuple[float, ...]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The (behind or left, front or right) limbs of ``frame`` after filling in. In the start
    a limb left out copies the other one (or hangs upright); in the end it keeps its start,
    except that a pair the start wrote as one (only one of them given) moves as one."""
    back, front = view.sides
    first_back, first_front = _limb(start, back, kind), _limb(start, front, kind)
    start_front = first_front or first_back or upright
    start_back = first_back or start_front
    if frame is start:
        return start_back, start_front
    given_back, given_front = _limb(frame, back, kind), _limb(frame, front, kind)
    as_one = first_back is None or first_front is None
    if as_one and (given_back is None) != (given_front is None):
        given_back = given_back or given_front
        given_front = given_front or given_back
    return given_back or start_back, given_front or start_front


def resolve(start: Keyframe, view: View, end: Keyframe | None = None) -> Pose:
    """The start keyframe, or ``end`` when given, with every angle filled in."""
    frame = end or start

    def scalar(name: str) -> float:
        value: float | None = getattr(frame, name)
        if value is None:
            value = getattr(start, name)
        return 0.0 if value is None else value

    legs = _pair(start, frame, view, "leg", (0.0, 0.0, 0.0))
    arms = _pair(start, frame, view, "arm", (0.0, 0.0))
    return Pose(
        scalar("trunk"),
        scalar("spine"),
        scalar("neck"),
        (cast(LegAngles, legs[0]), cast(LegAngles, legs[1])),
        (cast(ArmAngles, arms[0]), cast(ArmAngles, arms[1])),
    )


class Prop(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PropKind
    at: str | None = None
    to: str | None = None


class Tint(BaseModel):
    """A body area tinted on the figure; ``side`` names the limb for the limb areas."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    area: str
    side: str | None = None


class Illustration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    view: View
    props: tuple[Prop, ...] = ()
    target: tuple[Tint, ...] = Field(min_length=1, max_length=3)
    # The body point whose path from start to end the arrow follows, or "twist": a curved
    # arrow around the chest for a turn of the trunk, which a flat figure cannot show.
    arrow: str
    anchor: str | None = None  # the point that stays put between keyframes (else found)
    start: Keyframe
    end: Keyframe

    @model_validator(mode="after")
    def _consistent(self) -> Illustration:
        names = point_names(self.view)
        for label, point in (("arrow", self.arrow), ("anchor", self.anchor)):
            if point is not None and point not in names and (label, point) != ("arrow", TWIST):
                raise ValueError(f"{label}: {point!r} is not a point of a {self.view} view")
        for prop in self.props:
            self._check_prop(prop, names)
        for frame in (self.start, self.end):
            self._check_frame(frame)
        for tint in self.target:
            if tint.side is not None and tint.side not in (*self.view.sides, "both"):
                raise ValueError(f"target side {tint.side!r}: use one of {self.view.sides}")
        if self.start_pose() == self.end_pose():
            raise ValueError("the end keyframe must differ from the start")
        return self

    def _check_prop(self, prop: Prop, names: frozenset[str]) -> None:
        needs_at = prop.kind in PROPS_WITH_A_POINT
        needs_to = prop.kind in PROPS_WITH_TWO_POINTS
        if needs_at != (prop.at is not None) or needs_to != (prop.to is not None):
            raise ValueError(f"prop {prop.kind}: {_prop_fields(prop.kind)}")
        for point in (prop.at, prop.to):
            if point is not None and point not in names:
                raise ValueError(f"prop {prop.kind}: {point!r} is not a point of this view")

    def _check_frame(self, frame: Keyframe) -> None:
        ranges = SIDE_RANGES if self.view.profile else FRONT_RANGES
        wrong_sides = {side for side in ("near", "far", "left", "right")} - set(self.view.sides)
        for side in wrong_sides:
            for kind in ("leg", "arm"):
                if _limb(frame, side, kind) is not None:
                    raise ValueError(f"{side}_{kind}: a {self.view} view names {self.view.sides}")
        for name in ("spine", "neck"):
            _in_range(name, getattr(frame, name), ranges)
        for side in self.view.sides:
            for kind, joints in (("leg", ("hip", "knee", "ankle")), ("arm", ("shoulder", "elbow"))):
                angles = _limb(frame, side, kind)
                for joint, angle in zip(joints, angles or (), strict=False):
                    _in_range(f"{side}_{kind} {joint}", angle, ranges, key=joint)

    def start_pose(self) -> Pose:
        return resolve(self.start, self.view)

    def end_pose(self) -> Pose:
        return resolve(self.start, self.view, self.end)


def _prop_fields(kind: PropKind) -> str:
    if kind in PROPS_WITH_TWO_POINTS:
        return "give 'at' and 'to', the two body points it runs between"
    if kind in PROPS_WITH_A_POINT:
        return "give 'at', the body point it touches, and no 'to'"
    return "takes no 'at' or 'to'; it is placed from the body"


def _in_range(
    name: str, angle: float | None, ranges: dict[str, tuple[float, float]], key: str = ""
) -> None:
    if angle is None:
        return
    low, high = ranges[key or name]
    if not low <= angle <= high:
        raise ValueError(f"{name}: {angle} degrees is outside {low:g}..{high:g}")
