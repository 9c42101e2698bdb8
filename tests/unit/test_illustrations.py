"""Every stretch's illustration, rendered: the figure is in the frame and not blank, the two
keyframes differ, the limbs keep their lengths, and the tint lands on the target area."""

from __future__ import annotations

import ast
import io
import math
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from bot.catalog.poses import View
from bot.catalog.stretches import Area, Stretch, load_stretches
from bot.config import DEFAULT_CONTENT_DIR
from bot.render import illustrations as ill
from bot.render.figure import FOOT, FRONT_FOOT, HEAD_RADIUS, SEGMENT_LENGTHS, Body
from bot.render.scene import (
    DISCS,
    MIN_ARROW,
    REGIONS,
    Scene,
    arrow_path,
    path_length,
    scene,
    tint_discs,
    tint_strokes,
)

LIBRARY = load_stretches(DEFAULT_CONTENT_DIR / "stretches").all()
DRILLS = [stretch for stretch in LIBRARY if stretch.is_drill]
MARGIN = 6  # pixels a figure keeps from the panel's edge
Color = tuple[int, int, int]


def ids(stretch: Stretch) -> str:
    return stretch.id


@cache
def placed(stretch_id: str) -> Scene:
    stretch = next(s for s in LIBRARY if s.id == stretch_id)
    return scene(stretch.illustration)


@cache
def panel(stretch_id: str, t: float) -> Image.Image:
    return ill.render_panel(placed(stretch_id), t, ill.PANEL)


def like(image: Image.Image, *targets: Color, tolerance: int = 24) -> Image.Image:
    """A mask of the pixels within ``tolerance`` of one of ``targets`` in every channel."""
    found = Image.new("L", image.size, 0)
    for target in targets:
        channels = ImageChops.difference(image, Image.new("RGB", image.size, target)).split()
        worst = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
        found = ImageChops.lighter(found, worst.point(lambda v: 255 if v <= tolerance else 0))
    return found


def count(mask: Image.Image) -> int:
    return mask.histogram()[255]


def where(mask: Image.Image) -> list[tuple[int, int]]:
    width = mask.width
    return [(i % width, i // width) for i, value in enumerate(mask.tobytes()) if value]


def in_pixels(current: Scene, size: int, body: Body) -> list[tuple[float, float, float]]:
    """Every drawn shape of ``body`` as (x, y, radius) samples in pixels."""
    to_px = ill.frame(current, size)
    samples = []
    for segment in body.segments:
        for step in range(11):
            t = step / 10
            x = segment.start[0] + (segment.end[0] - segment.start[0]) * t
            y = segment.start[1] + (segment.end[1] - segment.start[1]) * t
            samples.append((*to_px((x, y)), segment.width / 2 * to_px.scale))
    samples.append((*to_px(body.points["head"]), HEAD_RADIUS * to_px.scale))
    return samples


# -- the library ------------------------------------------------------------------------


def test_every_area_has_a_place_on_the_figure() -> None:
    assert {area.value for area in Area} == set(REGIONS) | set(DISCS)


@pytest.mark.parametrize("stretch", LIBRARY, ids=ids)
def test_the_figure_stays_inside_the_frame(stretch: Stretch) -> None:
    current = placed(stretch.id)
    for size in (ill.PANEL, ill.ANIMATION):
        for t in (0.0, 0.25, 0.5, 0.75, 1.0):
            for x, y, radius in in_pixels(current, size, current.body_at(t)):
                assert x - radius >= MARGIN and x + radius <= size - MARGIN, (size, t)
                assert y - radius >= MARGIN and y + radius <= size - MARGIN, (size, t)


@pytest.mark.parametrize("stretch", LIBRARY, ids=ids)
def test_the_figure_is_drawn(stretch: Stretch) -> None:
    for t in (0.0, 1.0):
        image = panel(stretch.id, t)
        figure = count(like(image, ill.FIGURE))
        assert 2_000 < figure < image.width * image.height * 0.2, (t, figure)


@pytest.mark.parametrize("stretch", LIBRARY, ids=ids)
def test_the_two_keyframes_differ(stretch: Stretch) -> None:
    current = placed(stretch.id)
    moved = max(
        math.dist(current.start.points[name], current.end.points[name])
        for name in current.start.points
    )
    assert moved >= 6.0  # figure units (about 11 pixels): visible, not a rounding difference
    assert panel(stretch.id, 0.0).tobytes() != panel(stretch.id, 1.0).tobytes()


@pytest.mark.parametrize("stretch", LIBRARY, ids=ids)
def test_limbs_keep_their_lengths_in_every_frame(stretch: Stretch) -> None:
    current = placed(stretch.id)
    foot = FOOT if stretch.illustration.view.profile else FRONT_FOOT
    lengths = {**SEGMENT_LENGTHS, "foot": foot}
    for t, _ in ill.animation_frames(stretch):
        for segment in current.body_at(t).segments:
            assert segment.length == pytest.approx(lengths[segment.name], abs=1e-6), segment


@pytest.mark.parametrize("stretch", LIBRARY, ids=ids)
def test_the_tint_lands_on_the_target_area(stretch: Stretch) -> None:
    current = placed(stretch.id)
    to_px = ill.frame(current, ill.PANEL)
    for t, body in ((0.0, current.start), (1.0, current.end)):
        shapes: list[tuple[tuple[float, float], tuple[float, float], float]] = []
        for target in stretch.illustration.target:
            for stroke in tint_strokes(body, target):
                shapes.append((to_px(stroke.start), to_px(stroke.end), stroke.width / 2))
            for disc in tint_discs(body, target):
                centre = to_px(disc.centre)
                shapes.append((centre, centre, disc.radius))
        assert shapes
        tinted = where(like(panel(stretch.id, t), ill.TINT, ill.TINT_BACK))
        assert len(tinted) >= 40, t
        for x, y in tinted:
            distance = min(
                _to_segment((x + 0.5, y + 0.5), p, q) - radius * to_px.scale
                for p, q, radius in shapes
            )
            assert distance <= 2.0, (t, x, y)


def _to_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.dist(p, (ax + dx * t, ay + dy * t))


@pytest.mark.parametrize("stretch", LIBRARY, ids=ids)
def test_the_arrow_shows_the_movement_on_the_start_only(stretch: Stretch) -> None:
    current = placed(stretch.id)
    path = arrow_path(current)
    assert path_length(path) >= MIN_ARROW - 1e-6
    to_px = ill.frame(current, ill.PANEL)
    reach = (ill.ARROW_HEAD + ill.ARROW_WIDTH) * to_px.scale
    for x, y in map(to_px, path):
        assert reach <= x <= ill.PANEL - reach and reach <= y <= ill.PANEL - reach
    start = ill.render_panel(current, 0.0, ill.PANEL, arrow=True, both_ways=stretch.is_drill)
    assert count(like(start, ill.ARROW)) > 100
    assert count(like(panel(stretch.id, 1.0), ill.ARROW)) == 0


# -- the pictures -----------------------------------------------------------------------


def test_a_still_is_a_png_of_both_keyframes() -> None:
    stretch = next(s for s in LIBRARY if s.id == "half-kneeling-hip-flexor")
    data = ill.still_png(stretch)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (2 * ill.PANEL + ill.GAP, ill.PANEL)
    assert ill.still_png(stretch) == data  # the same drawing, byte for byte: same digest


@pytest.mark.parametrize("stretch", DRILLS, ids=ids)
def test_a_drill_loops_from_start_to_end_and_back(stretch: Stretch) -> None:
    image = Image.open(io.BytesIO(ill.animation_gif(stretch)))
    timing = ill.animation_frames(stretch)
    assert image.format == "GIF" and image.size == (ill.ANIMATION, ill.ANIMATION)
    assert image.info["loop"] == 0  # forever
    # Pillow merges a frame identical to the one before into it, adding up their times.
    assert ill.STEPS <= image.n_frames <= len(timing) == 2 * ill.STEPS
    frames, shown_at, elapsed = [], [], 0
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGB"))
        shown_at.append(elapsed)
        elapsed += image.info["duration"]
    assert elapsed == sum(ms for _, ms in timing) and 2_500 <= elapsed <= 4_000
    halfway = shown_at.index(sum(ms for _, ms in timing[: ill.STEPS]))  # the end keyframe
    start = ill.render_panel(placed(stretch.id), 0.0, ill.ANIMATION)
    end = ill.render_panel(placed(stretch.id), 1.0, ill.ANIMATION)
    assert _mean_difference(frames[0], start) < 2  # the palette rounds a little
    assert _mean_difference(frames[halfway], end) < 2
    assert _mean_difference(frames[0], frames[halfway]) > 3 * _mean_difference(frames[0], start)


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_drills_get_an_animation_and_held_stretches_a_still() -> None:
    drill = next(s for s in LIBRARY if s.id == "cat-cow")
    held = next(s for s in LIBRARY if s.id == "childs-pose")
    animation, still = ill.render_drawing(drill), ill.render_drawing(held)
    assert (animation.kind, animation.filename) == ("animation", "cat-cow.gif")
    assert (still.kind, still.filename) == ("photo", "childs-pose.png")
    assert animation.content.startswith(b"GIF89a") and still.content.startswith(b"\x89PNG")
    assert len(animation.digest) == 64 and animation.digest != still.digest


def test_the_views_cover_every_kind_of_position() -> None:
    views = {stretch.illustration.view for stretch in LIBRARY}
    assert views == set(View)


def test_the_contact_sheet_shows_every_stretch_in_two_columns() -> None:
    sheet = ill.contact_sheet(LIBRARY[:3])
    assert sheet.width == ill.SHEET_WIDTH
    tile_h = (ill.SHEET_WIDTH - 3 * ill.SHEET_MARGIN) // 2 * ill.PANEL // (2 * ill.PANEL + ill.GAP)
    assert sheet.height == 2 * (tile_h + ill.LABEL_HEIGHT) + 3 * ill.SHEET_MARGIN


def test_nothing_on_the_reminder_path_draws() -> None:
    """Reminders are one text message each: no module of theirs imports a renderer."""
    drawing = ("bot.render.illustrations", "bot.render.scene", "bot.illustration_files", "PIL")
    for path in sorted((Path(__file__).parents[2] / "bot" / "reminders").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [name for name in names if name.startswith(drawing)], path.name
