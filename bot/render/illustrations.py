"""Stick-figure illustrations of each starting position, drawn and PNG-encoded in pure Python.

A tiny rasterizer: every stroke is a round-capped line ("capsule") whose edge pixels get
coverage from their exact distance to the segment, so lines come out anti-aliased without
supersampling. The figures are side views facing right (standing is a front view); the far
arm and leg are drawn paler, behind the body, so the pose reads in depth.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib
from dataclasses import dataclass
from itertools import pairwise

from bot.catalog.stretches import Position

Point = tuple[float, float]
Color = tuple[int, int, int]

WIDTH, HEIGHT = 480, 300
BACKGROUND: Color = (0xF4, 0xF7, 0xF5)
FIGURE: Color = (0x1F, 0x5C, 0x5A)  # calm dark teal
FIGURE_FAR: Color = (0x7F, 0xA8, 0xA4)  # the same teal, paler: limbs on the far side
FLOOR_COLOR: Color = (0xB8, 0xC6, 0xBF)
MAT_COLOR: Color = (0xA9, 0xD3, 0xC4)
CHAIR_COLOR: Color = (0xC2, 0x9B, 0x74)

FLOOR = 262.0  # top of the floor line
GROUND = FLOOR - 6  # centre of a limb resting on the floor
TORSO_WIDTH = 16.0
LIMB_WIDTH = 12.0
HEAD_RADIUS = 17.0


class Canvas:
    """An RGB image with anti-aliased round-capped lines, discs and rectangles."""

    def __init__(self, width: int, height: int, background: Color) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(background) * (width * height))

    def _blend(self, x: int, y: int, color: Color, alpha: float) -> None:
        i = (y * self.width + x) * 3
        px = self.pixels
        if alpha >= 1.0:
            px[i : i + 3] = bytes(color)
            return
        for c in range(3):
            px[i + c] = int(px[i + c] + (color[c] - px[i + c]) * alpha + 0.5)

    def line(self, p: Point, q: Point, width: float, color: Color) -> None:
        """A line of ``width`` from ``p`` to ``q`` with round caps."""
        (x0, y0), (x1, y1) = p, q
        radius = width / 2
        outer = radius + 0.5  # pixels whose centre is nearer than this get some coverage
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        left = max(0, int(min(x0, x1) - outer))
        right = min(self.width, int(max(x0, x1) + outer) + 1)
        top = max(0, int(min(y0, y1) - outer))
        bottom = min(self.height, int(max(y0, y1) + outer) + 1)
        outer2 = outer * outer
        for y in range(top, bottom):
            py = y + 0.5 - y0
            for x in range(left, right):
                px = x + 0.5 - x0
                t = (px * dx + py * dy) / length2 if length2 else 0.0
                t = 0.0 if t < 0 else 1.0 if t > 1 else t
                ex, ey = px - t * dx, py - t * dy
                d2 = ex * ex + ey * ey
                if d2 < outer2:
                    self._blend(x, y, color, outer - math.sqrt(d2))

    def disc(self, center: Point, radius: float, color: Color) -> None:
        self.line(center, center, 2 * radius, color)

    def rect(self, x0: float, y0: float, x1: float, y1: float, color: Color) -> None:
        """A filled axis-aligned rectangle; fractional edges are blended."""
        for y in range(max(0, int(y0)), min(self.height, math.ceil(y1))):
            cover_y = min(y + 1, y1) - max(y, y0)
            for x in range(max(0, int(x0)), min(self.width, math.ceil(x1))):
                cover = cover_y * (min(x + 1, x1) - max(x, x0))
                if cover > 0:
                    self._blend(x, y, color, cover)

    def to_png(self) -> bytes:
        """The image as an 8-bit RGB PNG, unfiltered rows, zlib level 9."""
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + self.pixels[row : row + stride] for row in range(0, len(self.pixels), stride)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@dataclass(frozen=True)
class Limb:
    """Joints from the body outwards: shoulder, elbow, hand; or hip, knee, ankle, toe."""

    joints: tuple[Point, ...]
    far: bool = False  # on the far side of the body: drawn first and paler


@dataclass(frozen=True)
class Prop:
    """Something the figure uses, drawn as strokes behind it: a chair, a mat."""

    strokes: tuple[tuple[Point, Point], ...]
    width: float
    color: Color


@dataclass(frozen=True)
class Pose:
    head: Point
    neck: Point  # top of the torso, where the arms start in side views
    hip: Point
    arms: tuple[Limb, Limb]
    legs: tuple[Limb, Limb]
    props: tuple[Prop, ...] = ()


def _mat(x0: float, x1: float) -> Prop:
    return Prop((((x0, FLOOR - 1), (x1, FLOOR - 1)),), 6, MAT_COLOR)


CHAIR = Prop(
    (
        ((168, 201), (238, 201)),  # seat
        ((170, 201), (166, 112)),  # backrest
        ((234, 201), (234, FLOOR)),  # front leg
        ((172, 201), (172, FLOOR)),  # back leg
    ),
    8,
    CHAIR_COLOR,
)

G = GROUND
POSES: dict[Position, Pose] = {
    # Front view: upright, arms relaxed, feet hip-width.
    Position.STANDING: Pose(
        head=(240, 33),
        neck=(240, 71),
        hip=(240, 130),
        arms=(
            Limb(((240, 76), (220, 114), (210, 154))),
            Limb(((240, 76), (260, 114), (270, 154))),
        ),
        legs=(
            Limb(((240, 130), (230, 192), (226, G), (212, G))),
            Limb(((240, 130), (250, 192), (254, G), (268, G))),
        ),
    ),
    Position.SEATED_CHAIR: Pose(
        head=(198, 92),
        neck=(194, 116),
        hip=(190, 189),
        arms=(
            Limb(((194, 120), (206, 156), (240, 176))),
            Limb(((194, 120), (200, 158), (232, 178)), far=True),
        ),
        legs=(
            Limb(((190, 189), (258, 189), (262, G), (280, G))),
            Limb(((190, 189), (250, 187), (250, G), (268, G)), far=True),
        ),
        props=(CHAIR,),
    ),
    # Knees bent, feet flat, hands resting on the knees.
    Position.SEATED_FLOOR: Pose(
        head=(186, 150),
        neck=(184, 174),
        hip=(180, GROUND - 2),
        arms=(
            Limb(((184, 178), (214, 196), (246, 206))),
            Limb(((184, 178), (208, 200), (238, 210)), far=True),
        ),
        legs=(
            Limb(((180, G - 2), (242, 196), (280, G), (296, G))),
            Limb(((180, G - 2), (236, 200), (270, G), (286, G)), far=True),
        ),
        props=(_mat(130, 330),),
    ),
    Position.KNEELING: Pose(
        head=(244, 96),
        neck=(242, 120),
        hip=(240, 194),
        arms=(
            Limb(((242, 124), (252, 160), (266, 192))),
            Limb(((242, 124), (246, 162), (258, 194)), far=True),
        ),
        legs=(
            Limb(((240, 194), (240, G), (178, G), (164, G))),
            Limb(((240, 194), (234, G), (172, G), (158, G)), far=True),
        ),
        props=(_mat(130, 330),),
    ),
    # Back knee down under the hip, front foot flat with the knee over the ankle.
    Position.HALF_KNEELING: Pose(
        head=(222, 96),
        neck=(220, 120),
        hip=(216, 194),
        arms=(
            Limb(((220, 124), (236, 158), (270, 178))),
            Limb(((220, 124), (228, 160), (262, 180)), far=True),
        ),
        legs=(
            Limb(((216, 194), (282, 194), (284, G), (302, G))),
            Limb(((216, 194), (196, G), (136, G), (122, G)), far=True),
        ),
        props=(_mat(110, 340),),
    ),
    # Hands under shoulders, knees under hips, back flat.
    Position.TABLETOP: Pose(
        head=(298, 182),
        neck=(274, 188),
        hip=(186, 190),
        arms=(
            Limb(((274, 190), (276, 224), (278, G))),
            Limb(((274, 190), (268, 224), (268, G)), far=True),
        ),
        legs=(
            Limb(((186, 190), (190, G), (126, G), (112, G))),
            Limb(((186, 190), (180, G), (116, G), (102, G)), far=True),
        ),
        props=(_mat(80, 330),),
    ),
    # On the back, head on the floor, knees bent and feet flat, a hand resting on the belly.
    Position.LYING_BACK: Pose(
        head=(120, GROUND - 11),
        neck=(144, G - 2),
        hip=(224, G),
        arms=(
            Limb(((146, G - 2), (172, G), (202, 238))),
            Limb(((146, G - 2), (178, G - 2), (212, G - 4)), far=True),
        ),
        legs=(
            Limb(((224, G), (272, 200), (306, G), (322, G))),
            Limb(((224, G), (266, 204), (296, G), (312, G)), far=True),
        ),
        props=(_mat(84, 350),),
    ),
    # Face down with the chest lifted on the forearms, legs long behind.
    Position.LYING_FRONT: Pose(
        head=(318, 186),
        neck=(296, 204),
        hip=(214, G),
        arms=(
            Limb(((296, 206), (300, G), (346, G))),
            Limb(((296, 206), (292, G), (338, G)), far=True),
        ),
        legs=(
            Limb(((214, G), (152, G), (90, G), (80, G + 2))),
            Limb(((214, G), (152, G), (90, G), (84, G - 2)), far=True),
        ),
        props=(_mat(60, 370),),
    ),
    # On one side facing us, propped on the bottom elbow with the head in that hand,
    # top hand on the floor in front, legs stacked with the knees softly bent.
    Position.SIDE_LYING: Pose(
        head=(160, 196),
        neck=(180, 216),
        hip=(262, G - 2),
        arms=(
            Limb(((180, 218), (172, G), (150, 208))),
            Limb(((182, 220), (206, 236), (226, G))),
        ),
        legs=(
            Limb(((262, G - 4), (320, 242), (376, G - 4), (382, G - 18))),
            Limb(((262, G), (322, G - 4), (380, G), (390, G - 12)), far=True),
        ),
        props=(_mat(90, 410),),
    ),
}


def render_pose(pose: Pose) -> Canvas:
    """Draw ``pose`` on a fresh canvas: floor, props, far limbs, body, near limbs, head."""
    canvas = Canvas(WIDTH, HEIGHT, BACKGROUND)
    canvas.rect(24, FLOOR, WIDTH - 24, FLOOR + 3, FLOOR_COLOR)
    for prop in pose.props:
        for p, q in prop.strokes:
            canvas.line(p, q, prop.width, prop.color)

    def limb(limb: Limb, color: Color) -> None:
        for p, q in pairwise(limb.joints):
            canvas.line(p, q, LIMB_WIDTH, color)

    for part in (*pose.legs, *pose.arms):
        if part.far:
            limb(part, FIGURE_FAR)
    canvas.line(pose.neck, pose.head, LIMB_WIDTH, FIGURE)
    canvas.line(pose.neck, pose.hip, TORSO_WIDTH, FIGURE)
    for part in (*pose.legs, *pose.arms):
        if not part.far:
            limb(part, FIGURE)
    canvas.disc(pose.head, HEAD_RADIUS, FIGURE)
    return canvas


@functools.cache
def illustration_png(position: Position) -> bytes:
    """The PNG illustration for a stretch's starting ``position`` (rendered once, then cached)."""
    return render_pose(POSES[position]).to_png()
