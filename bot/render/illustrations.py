"""Each stretch's illustration, painted with Pillow from its placed scene (``bot.render.scene``).

A still shows the start and the end side by side, numbered 1 and 2, with an arrow on the
start for where the movement goes; a movement drill also gets a short looping GIF (start ->
end -> start) for ``sendAnimation``. Every stretch is drawn at the same scale and with the
same palette, so the library reads as one set. Shapes are painted at three times the size and
scaled down, which gives smooth edges.

Painting costs tens of milliseconds for a still and a few hundred for a GIF: callers run it
off the event loop, once per drawing (``bot.illustration_files``).
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from bot.catalog.poses import PropKind, View
from bot.catalog.stretches import Stretch
from bot.render.figure import HEAD_RADIUS, TORSO_WIDTH, Body, Point
from bot.render.scene import (
    Bounds,
    Scene,
    arrow_path,
    cushion_box,
    has_prop,
    mat_box,
    scene,
    step_box,
    tint_discs,
    tint_strokes,
    wall_span,
)

Color = tuple[int, int, int]

PAGE: Color = (232, 238, 234)
PANEL_COLOR: Color = (250, 248, 243)
GROUND: Color = (241, 238, 230)
FLOOR: Color = (205, 201, 188)
MAT: Color = (190, 222, 205)
FIGURE: Color = (36, 84, 92)  # deep teal
FIGURE_BACK: Color = (137, 177, 180)  # the same teal, paler: limbs on the far side
TINT: Color = (238, 112, 82)  # coral: the area the stretch works on
TINT_BACK: Color = (242, 172, 150)
ARROW: Color = (226, 152, 30)  # amber
NUMBER: Color = (120, 140, 136)
WOOD: Color = (196, 156, 110)
WALL: Color = (218, 214, 204)
WALL_EDGE: Color = (186, 181, 168)
STEP: Color = (186, 176, 160)
CUSHION: Color = (214, 200, 234)
BAND: Color = (58, 128, 204)  # blue: nothing else in a picture is
STRAP: Color = (120, 96, 176)

SUPERSAMPLE = 3
PANEL = 540  # a still is two square panels side by side
GAP = 14
ANIMATION = 480
SCALE = 2.05  # pixels per figure unit in a 540-pixel panel: the same for every stretch
# The figure is centred up and down, but the floor stays within this band of the panel.
FLOOR_HIGHEST, FLOOR_LOWEST = 0.62, 0.9
HALO = 2.6  # an outline in the panel's colour separates limbs that cross
ARROW_WIDTH = 4.5
ARROW_HEAD = 11.0
FAR = 10_000.0  # "to the edge of the panel", in figure units

# The loop: a pause at each end, eased movement between.
HOLD_MS = 700
STEP_MS = 70
STEPS = 12
PALETTE_COLORS = 64
STILL_COLORS = 128

MediaKind = Literal["photo", "animation"]


@dataclass(frozen=True)
class Drawing:
    """One stretch's picture, encoded: a PNG still or, for a drill, a GIF loop."""

    kind: MediaKind
    content: bytes
    filename: str

    @cached_property
    def digest(self) -> str:
        """What identifies this exact drawing: a changed drawing gets a new digest."""
        return hashlib.sha256(self.content).hexdigest()


def render_drawing(stretch: Stretch) -> Drawing:
    """The picture a card is sent with: a drill's loop, or a held stretch's still."""
    if stretch.is_drill:
        return Drawing("animation", animation_gif(stretch), f"{stretch.id}.gif")
    return Drawing("photo", still_png(stretch), f"{stretch.id}.png")


@dataclass(frozen=True)
class Transform:
    """Figure units (y up) to pixels (y down)."""

    scale: float
    x0: float
    y0: float

    def __call__(self, p: Point) -> Point:
        return (self.x0 + p[0] * self.scale, self.y0 - p[1] * self.scale)

    def times(self, factor: float) -> Transform:
        return Transform(self.scale * factor, self.x0 * factor, self.y0 * factor)


def frame(current: Scene, size: int, bounds: Bounds | None = None) -> Transform:
    """The same framing for every picture of a stretch: both keyframes and the arrow
    (``bounds``, worked out once) centred in a square panel of ``size`` pixels, at the
    library's one scale."""
    scale = SCALE * size / PANEL
    left, bottom, right, top = bounds or current.view_bounds()
    x0 = size / 2 - (left + right) / 2 * scale
    if current.illustration.view.from_above:
        return Transform(scale, x0, size / 2 + (bottom + top) / 2 * scale)
    floor = size / 2 + top * scale / 2
    return Transform(scale, x0, min(max(floor, FLOOR_HIGHEST * size), FLOOR_LOWEST * size))


class Pen:
    """Rounded strokes, discs, boxes and polygons in figure units on a supersampled image."""

    def __init__(self, image: Image.Image, transform: Transform) -> None:
        self.draw = ImageDraw.Draw(image)
        self.to_px = transform.times(SUPERSAMPLE)

    def stroke(self, p: Point, q: Point, width: float, color: Color) -> None:
        (x0, y0), (x1, y1) = self.to_px(p), self.to_px(q)
        w = width * self.to_px.scale
        if (x0, y0) != (x1, y1):
            self.draw.line([(x0, y0), (x1, y1)], fill=color, width=max(1, round(w)))
        for x, y in ((x0, y0), (x1, y1)):
            self.draw.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=color)

    def disc(self, centre: Point, radius: float, color: Color) -> None:
        self.stroke(centre, centre, 2 * radius, color)

    def box(self, bounds: Bounds, color: Color, radius: float = 0.0) -> None:
        left, bottom, right, top = bounds
        (a, b), (c, d) = self.to_px((left, top)), self.to_px((right, bottom))
        self.draw.rounded_rectangle(
            [min(a, c), min(b, d), max(a, c), max(b, d)],
            radius=radius * self.to_px.scale,
            fill=color,
        )

    def polygon(self, points: Sequence[Point], color: Color) -> None:
        self.draw.polygon([self.to_px(p) for p in points], fill=color)


def render_panel(
    current: Scene,
    t: float,
    size: int,
    *,
    arrow: bool = False,
    both_ways: bool = False,
    bounds: Bounds | None = None,
) -> Image.Image:
    """One square panel: the figure ``t`` of the way from start to end; with ``arrow``, the
    way it moves (``both_ways`` for a drill that goes there and back)."""
    image = Image.new("RGB", (size * SUPERSAMPLE, size * SUPERSAMPLE), PANEL_COLOR)
    pen = Pen(image, frame(current, size, bounds))
    body = current.body_at(t)
    _paint_ground_and_props(pen, current)
    _paint_figure(pen, body, current)
    _paint_attached_props(pen, body, current)
    if arrow:
        _paint_arrow(pen, arrow_path(current), both_ways=both_ways)
    return image.reduce(SUPERSAMPLE)


def _paint_ground_and_props(pen: Pen, current: Scene) -> None:
    """The floor and what stands on it, placed from the start so they stay put."""
    illustration, start = current.illustration, current.start
    if not illustration.view.from_above:
        floor = mat_box(current)[1] if has_prop(illustration, PropKind.MAT) else 0.0
        pen.box((-FAR, -FAR, FAR, floor), GROUND)
        pen.box((-FAR, floor - 1.5, FAR, floor), FLOOR)
    for prop in illustration.props:
        if prop.kind is PropKind.MAT:
            pen.box(mat_box(current), MAT, radius=8 if illustration.view.from_above else 2)
        elif prop.kind is PropKind.CHAIR:
            _paint_chair(pen, start, illustration.view)
        elif prop.kind is PropKind.WALL and prop.at is not None:
            surface, back = wall_span(start, prop.at)
            pen.box((min(surface, back), -4.0, max(surface, back), FAR), WALL)
            pen.box((surface - 0.8, -4.0, surface + 0.8, FAR), WALL_EDGE)
        elif prop.kind is PropKind.STEP and prop.at is not None:
            pen.box(step_box(start, prop.at), STEP, radius=2)
        elif prop.kind is PropKind.CUSHION and prop.at is not None:
            pen.box(cushion_box(start, prop.at), CUSHION, radius=5)


def _paint_chair(pen: Pen, body: Body, view: View) -> None:
    px, py = body.points["pelvis"]
    seat = py - TORSO_WIDTH / 2 + 1.0
    if view.profile:
        pen.box((px - 20, seat - 6, px + 26, seat), WOOD, radius=2)
        for x in (px - 17, px + 22):
            pen.box((x - 2.5, 0.0, x + 2.5, seat - 4), WOOD)
        pen.box((px - 23, seat - 2, px - 17, seat + 52), WOOD, radius=2)
    else:
        pen.box((px - 24, seat + 8, px + 24, seat + 56), WOOD, radius=3)  # the back, behind
        pen.box((px - 28, seat - 6, px + 28, seat), WOOD, radius=2)
        for x in (px - 24, px + 24):
            pen.box((x - 2.5, 0.0, x + 2.5, seat - 4), WOOD)


def _paint_figure(pen: Pen, body: Body, current: Scene) -> None:
    """Far limbs (paler), the body and head, near limbs; each layer's tint on top of it."""
    for layer in ("back", "body", "front"):
        segments = [s for s in body.segments if s.layer == layer]
        if layer != "back":
            for segment in segments:
                pen.stroke(segment.start, segment.end, segment.width + 2 * HALO, PANEL_COLOR)
            if layer == "body":
                pen.disc(body.points["head"], HEAD_RADIUS + HALO, PANEL_COLOR)
        color = FIGURE_BACK if layer == "back" else FIGURE
        for segment in segments:
            pen.stroke(segment.start, segment.end, segment.width, color)
        if layer == "body":
            pen.disc(body.points["head"], HEAD_RADIUS, FIGURE)
        tint = TINT_BACK if layer == "back" else TINT
        for target in current.illustration.target:
            for stroke in tint_strokes(body, target):
                if stroke.segment.layer == layer:
                    pen.stroke(stroke.start, stroke.end, stroke.width, tint)
            for disc in tint_discs(body, target):
                if disc.layer == layer:
                    pen.disc(disc.centre, disc.radius, tint)


def _paint_attached_props(pen: Pen, body: Body, current: Scene) -> None:
    """A band or strap runs between two body points, over the figure."""
    for prop in current.illustration.props:
        if prop.at is not None and prop.to is not None:
            color, width = (BAND, 3.0) if prop.kind is PropKind.BAND else (STRAP, 4.0)
            pen.stroke(body.points[prop.at], body.points[prop.to], width, color)


def _paint_arrow(pen: Pen, path: list[Point], *, both_ways: bool) -> None:
    for p, q in pairwise(path):
        pen.stroke(p, q, ARROW_WIDTH, ARROW)
    heads = [(path[-2], path[-1])] + ([(path[1], path[0])] if both_ways else [])
    for before, tip in heads:
        dx, dy = tip[0] - before[0], tip[1] - before[1]
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        bx, by = tip[0] - ux * ARROW_HEAD, tip[1] - uy * ARROW_HEAD
        wing = ARROW_HEAD * 0.7
        point = (tip[0] + ux * 3, tip[1] + uy * 3)
        left, right = (bx - uy * wing, by + ux * wing), (bx + uy * wing, by - ux * wing)
        pen.polygon([point, left, right], ARROW)


# -- pictures ----------------------------------------------------------------------------


def render_still(stretch: Stretch) -> Image.Image:
    """Start and end side by side, numbered 1 and 2, the arrow on the start."""
    current = scene(stretch.illustration)
    bounds = current.view_bounds()
    image = Image.new("RGB", (2 * PANEL + GAP, PANEL), PAGE)
    corners = Image.new("L", (PANEL, PANEL), 0)
    ImageDraw.Draw(corners).rounded_rectangle([0, 0, PANEL - 1, PANEL - 1], radius=26, fill=255)
    for index, t in enumerate((0.0, 1.0)):
        panel = render_panel(
            current, t, PANEL, arrow=index == 0, both_ways=stretch.is_drill, bounds=bounds
        )
        _number(panel, index + 1)
        image.paste(panel, (index * (PANEL + GAP), 0), corners)
    return image


def _number(panel: Image.Image, number: int) -> None:
    draw = ImageDraw.Draw(panel)
    draw.ellipse([18, 18, 62, 62], fill=PAGE)
    draw.text((40, 40), str(number), fill=NUMBER, font=ImageFont.load_default(28), anchor="mm")


def still_png(stretch: Stretch) -> bytes:
    """The still as a 128-colour PNG: flat colours need no more, and it encodes four times
    faster and smaller than full colour (Telegram recompresses photos anyway)."""
    still = render_still(stretch).quantize(
        STILL_COLORS, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    still.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def animation_frames(stretch: Stretch) -> list[tuple[float, int]]:
    """The loop as (how far from start to end, milliseconds shown) per frame."""
    eased = [(1 - math.cos(math.pi * i / STEPS)) / 2 for i in range(1, STEPS)]
    times = [0.0, *eased, 1.0, *reversed(eased)]
    return [(t, HOLD_MS if t in (0.0, 1.0) else STEP_MS) for t in times]


def animation_gif(stretch: Stretch) -> bytes:
    """The loop as a GIF: one palette for every frame, so colours never flicker."""
    current = scene(stretch.illustration)
    timing = animation_frames(stretch)
    bounds = current.view_bounds()
    frames = [render_panel(current, t, ANIMATION, bounds=bounds) for t, _ in timing]
    sample = Image.new("RGB", (ANIMATION * 2, ANIMATION))
    sample.paste(frames[0], (0, 0))
    sample.paste(frames[len(frames) // 2], (ANIMATION, 0))
    palette = sample.quantize(PALETTE_COLORS, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    indexed = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    out = io.BytesIO()
    indexed[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=[ms for _, ms in timing],
        loop=0,
        disposal=1,
    )
    return out.getvalue()


SHEET_WIDTH = 1128
SHEET_MARGIN = 16
LABEL_HEIGHT = 48


def contact_sheet(stretches: Sequence[Stretch], *, columns: int = 2) -> Image.Image:
    """Every stretch's still with its name, in a grid that reads on a phone."""
    tile_w = (SHEET_WIDTH - (columns + 1) * SHEET_MARGIN) // columns
    tile_h = tile_w * PANEL // (2 * PANEL + GAP)
    rows = math.ceil(len(stretches) / columns)
    height = rows * (tile_h + LABEL_HEIGHT) + (rows + 1) * SHEET_MARGIN
    sheet = Image.new("RGB", (SHEET_WIDTH, height), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(26)
    for index, stretch in enumerate(stretches):
        row, column = divmod(index, columns)
        x = SHEET_MARGIN + column * (tile_w + SHEET_MARGIN)
        y = SHEET_MARGIN + row * (tile_h + LABEL_HEIGHT + SHEET_MARGIN)
        still = render_still(stretch).resize((tile_w, tile_h), Image.Resampling.LANCZOS)
        sheet.paste(still, (x, y))
        draw.text((x + 4, y + tile_h + 9), stretch.name, fill=(40, 52, 50), font=font)
    return sheet


def contact_sheet_png(stretches: Sequence[Stretch]) -> bytes:
    """The sheet with a small palette: a few hundred kilobytes for the whole library."""
    out = io.BytesIO()
    sheet = contact_sheet(stretches)
    sheet = sheet.quantize(128, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
