"""Stick-figure illustrations: one per position, valid PNGs that actually show a figure."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import pytest

from bot.catalog.stretches import Position
from bot.render.illustrations import (
    BACKGROUND,
    HEIGHT,
    POSES,
    WIDTH,
    Canvas,
    illustration_png,
    render_pose,
)

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Png:
    width: int
    height: int
    bit_depth: int
    color_type: int
    chunks: list[bytes]
    pixels: bytes  # RGB, filter bytes removed (the encoder writes filter type 0 only)


def parse_png(data: bytes) -> Png:
    """A strict little PNG reader: checks structure and every CRC."""
    assert data[:8] == SIGNATURE
    offset, chunks, idat = 8, [], b""
    header = b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert len(body) == length
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.append(kind)
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
    width, height, depth, color, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", header
    )
    assert (compression, filtering, interlace) == (0, 0, 0)
    raw = zlib.decompress(idat)
    stride = 1 + width * 3
    assert len(raw) == height * stride
    assert all(raw[row * stride] == 0 for row in range(height))
    pixels = b"".join(raw[row * stride + 1 : (row + 1) * stride] for row in range(height))
    return Png(width, height, depth, color, chunks, pixels)


def test_every_position_has_a_pose() -> None:
    assert set(POSES) == set(Position)


@pytest.mark.parametrize("position", list(Position))
def test_png_is_valid(position: Position) -> None:
    png = parse_png(illustration_png(position))
    assert (png.width, png.height) == (WIDTH, HEIGHT) == (480, 300)
    assert (png.bit_depth, png.color_type) == (8, 2)  # 8-bit RGB
    assert png.chunks == [b"IHDR", b"IDAT", b"IEND"]


@pytest.mark.parametrize("position", list(Position))
def test_figure_draws_pixels_but_not_everything(position: Position) -> None:
    pixels = parse_png(illustration_png(position)).pixels
    background = bytes(BACKGROUND)
    drawn = sum(pixels[i : i + 3] != background for i in range(0, len(pixels), 3))
    fraction = drawn / (WIDTH * HEIGHT)
    assert 0.03 < fraction < 0.5, f"{position}: {fraction:.1%} of pixels drawn"


def test_edges_are_anti_aliased() -> None:
    pixels = parse_png(illustration_png(Position.STANDING)).pixels
    colors = {pixels[i : i + 3] for i in range(0, len(pixels), 3)}
    assert len(colors) > 10  # background, teal and the blends between them


def test_positions_have_different_images() -> None:
    images = {illustration_png(position) for position in Position}
    assert len(images) == len(Position)


def test_rendering_is_deterministic() -> None:
    for position in Position:
        assert render_pose(POSES[position]).to_png() == illustration_png(position)


def test_illustration_is_cached() -> None:
    assert illustration_png(Position.TABLETOP) is illustration_png(Position.TABLETOP)


def test_canvas_primitives() -> None:
    canvas = Canvas(20, 10, (255, 255, 255))
    canvas.rect(2, 2, 5, 4, (0, 0, 0))
    canvas.disc((15, 5), 3, (0, 0, 255))
    canvas.line((0, 9.5), (20, 9.5), 1, (255, 0, 0))

    def at(x: int, y: int) -> bytes:
        i = (y * 20 + x) * 3
        return bytes(canvas.pixels[i : i + 3])

    assert at(3, 3) == b"\x00\x00\x00"
    assert at(6, 3) == b"\xff\xff\xff"
    assert at(15, 5) == b"\x00\x00\xff"
    assert at(10, 9) == b"\xff\x00\x00"
    assert at(10, 5) == b"\xff\xff\xff"
    png = parse_png(canvas.to_png())
    assert (png.width, png.height) == (20, 10)
    assert png.pixels == bytes(canvas.pixels)
