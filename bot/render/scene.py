"""Where a stretch's figure stands and what goes around it, in figure units (no pixels yet).

The figure rests on the floor (its lowest point at y = 0) and a point that stays put between
the keyframes (a foot on the floor, or a chosen ``anchor``) keeps its place, so the start,
the end and every frame between them share one floor and one frame. This module also works
out where the target tint, the props and the arrow go; ``bot.render.illustrations`` paints.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from bot.catalog.poses import TWIST, Illustration, PropKind, Tint
from bot.render.figure import (
    FOOT_WIDTH,
    FOREARM_WIDTH,
    HEAD_RADIUS,
    SHIN_WIDTH,
    Body,
    Point,
    Segment,
    interpolate,
    pose_body,
)

Bounds = tuple[float, float, float, float]  # left, bottom, right, top

CONTACT = 3.0  # a point this close to the floor in both keyframes rests on it
ARROW_OFFSET = 16.0  # between a moving point and its arrow
MIN_ARROW = 26.0  # a small movement still gets an arrow that can be seen
ARROW_TRIM = 0.12  # of the path's length left off at each end, so heads clear the body
ARROW_REACH = 16.0  # how far an arrow's head and stroke reach beyond its path
WALL_GAP, WALL_DEPTH = 5.5, 14.0

# Where each area sits on the figure: (segment, from, to along it, which half of its width).
# "front"/"back": toward the body's front or back (side views); "inner": toward the middle of
# the body (front views); anything else, or a view without that half: the middle.
REGIONS: dict[str, tuple[tuple[str, float, float, str], ...]] = {
    "hamstrings": (("thigh", 0.12, 0.92, "back"),),
    "quads": (("thigh", 0.1, 0.9, "front"),),
    "hip_flexors": (("thigh", 0.0, 0.5, "front"), ("lower_spine", 0.0, 0.4, "front")),
    "adductors": (("thigh", 0.1, 0.85, "inner"),),
    "lower_back": (("lower_spine", 0.1, 1.0, "back"), ("upper_spine", 0.0, 0.2, "back")),
    "thoracic": (("upper_spine", 0.15, 0.95, "back"),),
}
# Areas drawn as a disc at the hip instead: the buttock, and the hip joint itself.
DISCS = {"glutes": 10.0, "piriformis": 8.0, "hip_mobility": 9.0}
TINT_WIDTH = 0.56  # of the segment's width
TINT_OFFSET = 0.22  # of the segment's width, toward the chosen half


@dataclass(frozen=True)
class TintStroke:
    segment: Segment  # the segment it lies on
    start: Point
    end: Point
    width: float


@dataclass(frozen=True)
class TintDisc:
    layer: str  # the layer of the limb it sits on
    centre: Point
    radius: float


@dataclass(frozen=True)
class Scene:
    """One stretch's figure at both keyframes, placed, and how to place any pose between."""

    illustration: Illustration
    start: Body
    end: Body
    anchor: str
    anchor_at: Point

    def body_at(self, t: float) -> Body:
        """The placed figure a fraction ``t`` of the way from the start to the end."""
        if t == 0:
            return self.start
        if t == 1:
            return self.end
        pose = interpolate(self.illustration.start_pose(), self.illustration.end_pose(), t)
        return _anchored(_grounded(pose_body(pose, self.illustration.view)), self)

    def bounds(self) -> Bounds:
        """Both keyframes together."""
        return body_bounds((self.start, self.end))

    def view_bounds(self) -> Bounds:
        """What every picture of this stretch must show: both keyframes and the arrow."""
        left, bottom, right, top = self.bounds()
        reach = ARROW_REACH
        xs, ys = zip(*arrow_path(self), strict=True)
        return (
            min(left, min(xs) - reach),
            min(bottom, min(ys) - reach),
            max(right, max(xs) + reach),
            max(top, max(ys) + reach),
        )


def scene(illustration: Illustration) -> Scene:
    view = illustration.view
    start = _grounded(pose_body(illustration.start_pose(), view))
    end = _grounded(pose_body(illustration.end_pose(), view))
    anchor = illustration.anchor or _resting_point(start, end)
    placed = Scene(illustration, start, end, anchor, start.points[anchor])
    return Scene(illustration, start, _anchored(end, placed), anchor, placed.anchor_at)


def _lowest(body: Body) -> float:
    """The lowest edge of the drawn figure."""
    edges = [min(s.start[1], s.end[1]) - s.width / 2 for s in body.segments]
    return min(*edges, body.points["head"][1] - HEAD_RADIUS)


def _grounded(body: Body) -> Body:
    """Rest the figure on the floor (y = 0); a figure seen from above keeps its place."""
    if body.view.from_above:
        return body
    return body.moved(0.0, -_lowest(body))


def _anchored(body: Body, placed: Scene) -> Body:
    x, y = body.points[placed.anchor]
    ax, ay = placed.anchor_at
    return body.moved(ax - x, ay - y if body.view.from_above else 0.0)


def _resting_point(start: Body, end: Body) -> str:
    """A point on the floor in both keyframes (feet before knees before hands, the front limb
    first); the pelvis when there is none, or when the figure is seen from above."""
    if start.view.from_above:
        return "pelvis"
    radius = {
        "toe": FOOT_WIDTH / 2,
        "ankle": SHIN_WIDTH / 2,
        "knee": SHIN_WIDTH / 2,
        "hand": FOREARM_WIDTH / 2,
    }
    for point, r in radius.items():
        for side in reversed(start.view.sides):
            name = f"{side}_{point}"
            if all(body.points[name][1] - r <= CONTACT for body in (start, end)):
                return name
    return "pelvis"


def body_bounds(bodies: Iterable[Body]) -> Bounds:
    xs: list[float] = []
    ys: list[float] = []
    for body in bodies:
        for segment in body.segments:
            half = segment.width / 2
            for x, y in (segment.start, segment.end):
                xs += [x - half, x + half]
                ys += [y - half, y + half]
        hx, hy = body.points["head"]
        xs += [hx - HEAD_RADIUS, hx + HEAD_RADIUS]
        ys += [hy - HEAD_RADIUS, hy + HEAD_RADIUS]
    return min(xs), min(ys), max(xs), max(ys)


# -- props -------------------------------------------------------------------------------


def wall_span(body: Body, at: str) -> tuple[float, float]:
    """The wall's surface and back x: just beyond ``at``, on the side away from the pelvis."""
    x = body.points[at][0]
    direction = 1.0 if x >= body.points["pelvis"][0] else -1.0
    surface = x + direction * WALL_GAP
    return surface, surface + direction * WALL_DEPTH


def step_box(body: Body, at: str) -> Bounds:
    """A step under the foot of ``at``'s side, from the floor to the sole."""
    side = at.split("_")[0]
    foot = [body.points[f"{side}_ankle"], body.points[f"{side}_toe"]]
    top = min(y for _, y in foot) - FOOT_WIDTH / 2
    return min(x for x, _ in foot) - 16, 0.0, max(x for x, _ in foot) + 10, top


def cushion_box(body: Body, at: str) -> Bounds:
    """A cushion from the floor to just under ``at``."""
    x, y = body.points[at]
    return x - 17, -1.0, x + 17, max(6.0, y - SHIN_WIDTH / 2 + 3.0)


def mat_box(current: Scene) -> Bounds:
    left, bottom, right, top = current.bounds()
    if current.illustration.view.from_above:
        return left - 12, bottom - 12, right + 12, top + 12
    return left - 16, -4.0, right + 16, 0.0


def has_prop(illustration: Illustration, kind: PropKind) -> bool:
    return any(prop.kind is kind for prop in illustration.props)


# -- the tinted area ---------------------------------------------------------------------


def _across(segment: Segment, half: str, profile: bool) -> Point:
    """A unit vector across ``segment`` toward its ``half``, or (0, 0) for its middle."""
    dx, dy = segment.end[0] - segment.start[0], segment.end[1] - segment.start[1]
    length = math.hypot(dx, dy) or 1.0
    dx, dy = dx / length, dy / length
    if half == "inner" and not profile:
        toward_middle = 1.0 if segment.side == "left" else -1.0
        return (-dy * toward_middle, dx * toward_middle)
    if half not in ("front", "back") or not profile:
        return (0.0, 0.0)
    # A leg's front is its direction turned counterclockwise; the spine's, clockwise.
    front = (-dy, dx) if segment.name in ("thigh", "shin") else (dy, -dx)
    return front if half == "front" else (-front[0], -front[1])


def _sides(body: Body, tint: Tint) -> list[str]:
    return list(body.view.sides) if tint.side in (None, "both") else [tint.side]


def tint_strokes(body: Body, tint: Tint) -> list[TintStroke]:
    """The strokes that tint ``tint``'s area along the figure's segments."""
    strokes = []
    for name, t0, t1, half in REGIONS.get(tint.area, ()):
        sides: list[str | None] = [None] if "spine" in name else list(_sides(body, tint))
        for side in sides:
            segment = body.segment(name, side)
            nx, ny = _across(segment, half, body.view.profile)
            shift = segment.width * TINT_OFFSET
            (x0, y0), (x1, y1) = segment.start, segment.end
            ends = [
                (x0 + (x1 - x0) * t + nx * shift, y0 + (y1 - y0) * t + ny * shift) for t in (t0, t1)
            ]
            strokes.append(TintStroke(segment, ends[0], ends[1], segment.width * TINT_WIDTH))
    return strokes


def tint_discs(body: Body, tint: Tint) -> list[TintDisc]:
    """The discs that tint a hip area: at the joint, or the buttock just behind it."""
    radius = DISCS.get(tint.area)
    if radius is None:
        return []
    discs = []
    for side in _sides(body, tint):
        hip = body.points[f"{side}_hip"]
        layer = body.segment("thigh", side).layer
        if tint.area != "hip_mobility" and body.view.profile:
            bx, by = _across(body.segment("lower_spine"), "back", profile=True)
            hip = (hip[0] + bx * 6.0, hip[1] + by * 6.0)
        discs.append(TintDisc(layer, hip, radius))
    return discs


# -- the arrow ---------------------------------------------------------------------------


def arrow_path(current: Scene, samples: int = 20) -> list[Point]:
    """The arrow's line: the moving point's path from start to end, set off to the side away
    from the body, trimmed at both ends and at least ``MIN_ARROW`` long. A "twist" is an
    arc in front of the chest."""
    if current.illustration.arrow == TWIST:
        return _twist_arc(current.start)
    name = current.illustration.arrow
    path = [current.body_at(i / samples).points[name] for i in range(samples + 1)]
    normals = [_normal(path, i) for i in range(len(path))]
    middle, centre = path[samples // 2], current.start.points["waist"]
    nx, ny = normals[samples // 2]
    away = 1.0 if (middle[0] - centre[0]) * nx + (middle[1] - centre[1]) * ny >= 0 else -1.0
    shifted = [
        (x + away * n[0] * ARROW_OFFSET, y + away * n[1] * ARROW_OFFSET)
        for (x, y), n in zip(path, normals, strict=True)
    ]
    return _at_least(_trimmed(shifted), MIN_ARROW)


def _normal(path: list[Point], index: int) -> Point:
    a, b = path[max(0, index - 1)], path[min(len(path) - 1, index + 1)]
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    return (0.0, 0.0) if length < 1e-9 else (-dy / length, dx / length)


def _twist_arc(body: Body) -> list[Point]:
    (x0, y0), (x1, y1) = body.points["waist"], body.points["neck"]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [
        (cx + 30 * math.cos(math.radians(a)), cy - 9 * math.sin(math.radians(a)))
        for a in range(200, 341, 10)
    ]


def path_length(path: list[Point]) -> float:
    return sum(math.dist(p, q) for p, q in pairwise(path))


def _trimmed(path: list[Point]) -> list[Point]:
    total = path_length(path)
    cut, covered, kept = total * ARROW_TRIM, 0.0, []
    for index, point in enumerate(path):
        if index:
            covered += math.dist(path[index - 1], point)
        if cut <= covered <= total - cut:
            kept.append(point)
    return kept if len(kept) >= 2 else [path[0], path[-1]]


def _at_least(path: list[Point], length: float) -> list[Point]:
    """``path``, lengthened at both ends along its own direction when shorter than ``length``."""
    total = path_length(path)
    if total >= length:
        return path
    extra = (length - total) / 2

    def beyond(tip: Point, before: Point) -> Point:
        d = math.dist(tip, before) or 1.0
        ux, uy = (tip[0] - before[0]) / d, (tip[1] - before[1]) / d
        return (tip[0] + ux * extra, tip[1] + uy * extra)

    return [beyond(path[0], path[1]), *path, beyond(path[-1], path[-2])]
