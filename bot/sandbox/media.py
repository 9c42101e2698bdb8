"""What the Bot API reads from an uploaded photo or animation before it accepts it: the format,
the size in pixels and, for an animation, how long it plays. Only file headers and the GIF
block structure are read, so the sandbox needs no image library.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PHOTO_SIDES = 10_000  # width + height, as Telegram documents for sendPhoto
MAX_PHOTO_RATIO = 20


@dataclass(frozen=True, slots=True)
class MediaInfo:
    mime_type: str
    width: int
    height: int
    duration: int = 0  # whole seconds; animations only
    frames: int = 1


def inspect_photo(content: bytes) -> MediaInfo | None:
    """A PNG, JPEG or GIF's size; None when Telegram could not read it as an image."""
    if content.startswith(PNG_SIGNATURE) and len(content) >= 24 and content[12:16] == b"IHDR":
        width, height = struct.unpack(">II", content[16:24])
        return MediaInfo("image/png", width, height)
    if content.startswith(b"\xff\xd8"):
        return _jpeg(content)
    gif = inspect_gif(content)
    return None if gif is None else MediaInfo("image/gif", gif.width, gif.height)


def photo_fits(info: MediaInfo) -> bool:
    """Telegram's limits for a photo: sides adding up to at most 10,000, ratio at most 20."""
    small, large = sorted((info.width, info.height))
    return (
        small > 0
        and info.width + info.height <= MAX_PHOTO_SIDES
        and large / small <= MAX_PHOTO_RATIO
    )


def inspect_animation(content: bytes) -> MediaInfo | None:
    """A GIF, or an MP4 (recognised by its header; its size is not read); None for anything
    Telegram would not play as an animation."""
    if content[4:8] == b"ftyp":
        return MediaInfo("video/mp4", 0, 0)
    return inspect_gif(content)


def inspect_gif(content: bytes) -> MediaInfo | None:
    """Walk a GIF's blocks to the trailer: its size, frame count and playing time; None if
    the file is not a complete GIF."""
    if content[:6] not in (b"GIF87a", b"GIF89a") or len(content) < 13:
        return None
    width, height, packed = struct.unpack("<HHB", content[6:11])
    at = 13 + _color_table(packed)
    frames, centiseconds = 0, 0
    try:
        while True:
            block = content[at]
            if block == 0x3B:  # trailer
                break
            if block == 0x21:  # extension: a graphic control block carries the frame delay
                if content[at + 1] == 0xF9:
                    centiseconds += struct.unpack("<H", content[at + 4 : at + 6])[0]
                at = _skip_sub_blocks(content, at + 2)
            elif block == 0x2C:  # an image: descriptor, local colours, LZW data
                frames += 1
                at += 10 + _color_table(content[at + 9])
                at = _skip_sub_blocks(content, at + 1)
            else:
                return None
    except (IndexError, struct.error):
        return None
    if frames == 0:
        return None
    duration = math.ceil(centiseconds / 100) if frames > 1 else 0
    return MediaInfo("image/gif", width, height, duration, frames)


def _color_table(packed: int) -> int:
    return 3 * (2 ** ((packed & 0x07) + 1)) if packed & 0x80 else 0


def _skip_sub_blocks(content: bytes, at: int) -> int:
    """The index after a chain of data sub-blocks (each: length byte, data; 0 ends it)."""
    while True:
        length = content[at]
        at += 1 + length
        if length == 0:
            return at


def _jpeg(content: bytes) -> MediaInfo | None:
    at = 2
    while at + 9 < len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return MediaInfo("image/jpeg", width, height)
        at += 2 + length
    return None
