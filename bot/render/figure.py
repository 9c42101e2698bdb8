"""Forward kinematics of the illustration figure: joint angles in, body points out.

Every segment has a fixed length, and each point is its parent's point plus that length in
the direction the angles give: a pose can bend the figure but never stretch it. Coordinates
are figure units with y pointing up, the pelvis at the origin; the renderer places and scales
them. The units give the figure ordinary adult proportions (about 195 units standing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from bot.catalog.poses import ArmAngles, LegAngles, Pose, View

Point = tuple[float, float]

LOWER_SPINE = 26.0
UPPER_SPINE = 36.0
NECK = 18.0  # to the centre of the head
HEAD_RADIUS = 13.0
UPPER_ARM = 34.0
FOREARM = 36.0  # to the middle of the hand
THIGH = 50.0
SHIN = 47.0
FOOT = 15.0  # ankle to toes
FRONT_FOOT = 7.0  # a foot pointing at the viewer shows only its width
HIP_HALF_WIDTH = 9.0  # front view: hip joints either side of the pelvis
SHOULDER_HALF_WIDTH = 15.0

# Drawn widths (diameters), so a thigh is thicker than a shin.
TORSO_WIDTH = 24.0
FRONT_TORSO_WIDTH = 30.0  # seen from the front the chest is wider than it is deep
NECK_WIDTH = 9.0
THIGH_WIDTH = 15.0
SHIN_WIDTH = 12.0
FOOT_WIDTH = 8.0
UPPER_ARM_WIDTH = 11.0
FOREARM_WIDTH = 9.5

# The lengths forward kinematics keeps (the foot's depends on the view).
SEGMENT_LENGTHS = {
    "lower_spine": LOWER_SPINE,
    "upper_spine": UPPER_SPINE,
    "neck": NECK,
    "thigh": THIGH,
    "shin": SHIN,
    "upper_arm": UPPER_ARM,
    "forearm": FOREARM,
}

Layer = Literal["back", "body", "front"]


@dataclass(frozen=True)
class Segment:
    """A rounded stroke between two body points."""

    name: str  # "thigh", "upper_spine", ...
    side: str | None  # "near", "far", "left", "right"; None for the trunk and head
    start: Point
    end: Point
    width: float
    layer: Layer  # "back" limbs are drawn paler, behind the body

    @property
    def length(self) -> float:
        return math.dist(self.start, self.end)


@dataclass(frozen=True)
class Body:
    """A posed figure: named points (``near_knee``, ``pelvis``...) and the segments to draw."""

    points: dict[str, Point]
    segments: tuple[Segment, ...]
    view: View

    def segment(self, name: str, side: str | None = None) -> Segment:
        for segment in self.segments:
            if segment.name == name and segment.side == side:
                return segment
        raise KeyError(f"no segment {name!r} on side {side!r}")

    def moved(self, dx: float, dy: float) -> Body:
        def shift(p: Point) -> Point:
            return (p[0] + dx, p[1] + dy)

        return Body(
            {name: shift(p) for name, p in self.points.items()},
            tuple(
                Segment(s.name, s.side, shift(s.start), shift(s.end), s.width, s.layer)
                for s in self.segments
            ),
            self.view,
        )


def direction(angle: float) -> Point:
    """A unit vector ``angle`` degrees from straight down, + turning counterclockwise (toward
    the front in the side view, toward the screen's right in the front view)."""
    radians = math.radians(angle)
    return (math.sin(radians), -math.cos(radians))


def _along(p: Point, angle: float, length: float) -> Point:
    dx, dy = direction(angle)
    return (p[0] + dx * length, p[1] + dy * length)


def pose_body(pose: Pose, view: View) -> Body:
    """The figure in ``pose``, pelvis at the origin."""
    points: dict[str, Point] = {}
    segments: list[Segment] = []
    side_view = view.profile

    def add(name: str, side: str | None, p: Point, q: Point, width: float, layer: Layer) -> None:
        segments.append(Segment(name, side, p, q, width, layer))

    pelvis: Point = (0.0, 0.0)
    lower = 180.0 - pose.trunk  # the lower back points up from the pelvis
    upper = lower - pose.spine
    waist = _along(pelvis, lower, LOWER_SPINE)
    neck = _along(waist, upper, UPPER_SPINE)
    head = _along(neck, upper - pose.neck, NECK)
    points.update(pelvis=pelvis, waist=waist, neck=neck, head=head)

    for index, side in enumerate(view.sides):
        # A joint angle turns its segment from the parent's direction; in the front view the
        # left limbs mirror the right ones, so "+" is always away from the body's middle.
        turn = -1.0 if side == "left" else 1.0
        layer: Layer = "back" if side_view and index == 0 else "front"
        hip_joint, shoulder = pelvis, neck
        if not side_view:  # the front view's limbs sit either side of the middle
            hip_joint = _along(pelvis, lower - 180.0 + turn * 90.0, HIP_HALF_WIDTH)
            shoulder = _along(neck, upper - 180.0 + turn * 90.0, SHOULDER_HALF_WIDTH)

        hip, knee_bend, ankle_bend = pose.legs[index]
        thigh = lower - 180.0 + turn * hip
        shin = thigh - turn * knee_bend
        foot = shin + turn * (90.0 - ankle_bend)
        knee = _along(hip_joint, thigh, THIGH)
        ankle = _along(knee, shin, SHIN)
        toe = _along(ankle, foot, FOOT if side_view else FRONT_FOOT)

        shoulder_bend, elbow_bend = pose.arms[index]
        upper_arm = upper - 180.0 + turn * shoulder_bend
        forearm = upper_arm + turn * elbow_bend
        elbow = _along(shoulder, upper_arm, UPPER_ARM)
        hand = _along(elbow, forearm, FOREARM)

        points.update(
            {
                f"{side}_hip": hip_joint,
                f"{side}_knee": knee,
                f"{side}_ankle": ankle,
                f"{side}_foot": ((ankle[0] + toe[0]) / 2, (ankle[1] + toe[1]) / 2),
                f"{side}_toe": toe,
                f"{side}_shoulder": shoulder,
                f"{side}_elbow": elbow,
                f"{side}_hand": hand,
            }
        )
        add("thigh", side, hip_joint, knee, THIGH_WIDTH, layer)
        add("shin", side, knee, ankle, SHIN_WIDTH, layer)
        add("foot", side, ankle, toe, FOOT_WIDTH, layer)
        add("upper_arm", side, shoulder, elbow, UPPER_ARM_WIDTH, layer)
        add("forearm", side, elbow, hand, FOREARM_WIDTH, layer)

    torso = TORSO_WIDTH if side_view else FRONT_TORSO_WIDTH
    add("lower_spine", None, pelvis, waist, torso, "body")
    add("upper_spine", None, waist, neck, torso, "body")
    add("neck", None, neck, head, NECK_WIDTH, "body")
    return Body(points, tuple(segments), view)


def interpolate(start: Pose, end: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from ``start`` to ``end``, angle by angle."""

    def mix(a: float, b: float) -> float:
        return a + (b - a) * t

    def leg(a: LegAngles, b: LegAngles) -> LegAngles:
        return (mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2]))

    def arm(a: ArmAngles, b: ArmAngles) -> ArmAngles:
        return (mix(a[0], b[0]), mix(a[1], b[1]))

    return Pose(
        mix(start.trunk, end.trunk),
        mix(start.spine, end.spine),
        mix(start.neck, end.neck),
        (leg(start.legs[0], end.legs[0]), leg(start.legs[1], end.legs[1])),
        (arm(start.arms[0], end.arms[0]), arm(start.arms[1], end.arms[1])),
    )
