"""The progress picture: the last 12 weeks as a calendar heatmap, the streaks, the totals per
body area and the longest holds, drawn with Pillow as a PNG sized for a phone.

Every word on it comes through ``t``; the same facts are in the text version
(``render.progress``) for anyone who cannot see the picture.
"""

from __future__ import annotations

import io

from babel.dates import get_month_names
from PIL import Image, ImageDraw, ImageFont

from bot.domain.progress import WEEKS, Progress
from bot.render.dates import day_names
from bot.render.i18n import N_, Translator
from bot.render.settings import AREA_LABELS

WIDTH = 1080
MARGIN = 48
CELL, GAP = 46, 8
STEP = CELL + GAP
GRID_X = MARGIN + 72  # room for the weekday names
GRID_Y = 200
PANEL_X = GRID_X + WEEKS * STEP + 32  # the streaks, right of the calendar
ROW = 40  # one body area's bar

BACKGROUND = (250, 248, 243)
INK = (40, 52, 50)
MUTED = (112, 122, 120)
EMPTY = (226, 231, 228)
TODAY_RING = (232, 140, 60)
# A day with 1, 2, 3 and 4 or more stretches done.
SHADES = ((176, 222, 196), (108, 190, 150), (44, 146, 102), (18, 96, 66))
BAR = (92, 170, 134)
CARD = (238, 243, 239)
PALETTE_COLOURS = 32

TITLE = N_("Your last 12 weeks")
FORGIVEN = N_("One missed day a week doesn't break a streak.")
NOTHING_YET = N_("Your first stretch will colour in today's square. Send /stretch to start!")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font (with FreeType): no system fonts needed, and it covers the accented
    # letters of European languages.
    return ImageFont.load_default(size)


FONTS = {size: _font(size) for size in (20, 24, 28, 40, 64)}


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels (longer languages stay on the
    picture; the text version has every word)."""
    font = FONTS[size]
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=FONTS[size]) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(_fit(draw, word, size, width))
    return lines


def _shade(count: int) -> tuple[int, int, int]:
    return EMPTY if count == 0 else SHADES[min(count, len(SHADES)) - 1]


def _height(progress: Progress) -> int:
    areas = (len(progress.areas) + 1) // 2 or 1
    holds = len(progress.holds)
    return GRID_Y + 7 * STEP + 60 + 56 + areas * ROW + (56 + holds * 36 if holds else 0) + MARGIN


def render_progress_picture(t: Translator, progress: Progress) -> bytes:
    """The picture as PNG bytes."""
    image = Image.new("RGB", (WIDTH, _height(progress)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, 40), _fit(draw, t.gettext(TITLE), 40, width), fill=INK, font=FONTS[40])
    summary = t.ngettext(
        "{days} active day, {stretches} stretches",
        "{days} active days, {stretches} stretches",
        progress.active_days,
    ).format(days=progress.active_days, stretches=progress.total)
    draw.text((MARGIN, 100), _fit(draw, summary, 28, width), fill=MUTED, font=FONTS[28])
    _calendar(draw, t, progress)
    _streaks(draw, t, progress)
    y = _areas(draw, t, progress, GRID_Y + 7 * STEP + 60)
    _holds(draw, t, progress, y)
    out = io.BytesIO()
    # A few dozen colours (the shades and the text's anti-aliasing) in a palette: a third of
    # the bytes, and with fast compression less than half the time of an RGB PNG
    # (docs/benchmarks.md, "Progress picture").
    palette = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    palette.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _calendar(draw: ImageDraw.ImageDraw, t: Translator, progress: Progress) -> None:
    names = day_names(t)
    for weekday in range(7):
        y = GRID_Y + weekday * STEP + CELL // 2
        draw.text((MARGIN, y), _fit(draw, names[weekday], 20, 64), fill=MUTED, font=FONTS[20],
                  anchor="lm")  # fmt: skip
    months = get_month_names("abbreviated", locale=t.locale)
    shown_month: int | None = None
    for day in progress.days:
        column, row = (day - progress.first_day).days // 7, day.weekday()
        x, y = GRID_X + column * STEP, GRID_Y + row * STEP
        if row == 0 and day.month != shown_month:
            shown_month = day.month
            draw.text((x, GRID_Y - 34), str(months[day.month]), fill=MUTED, font=FONTS[20])
        count = progress.per_day.get(day, 0)
        draw.rounded_rectangle((x, y, x + CELL, y + CELL), radius=8, fill=_shade(count))
        if day == progress.today:
            draw.rounded_rectangle((x - 3, y - 3, x + CELL + 3, y + CELL + 3), radius=10,
                                   outline=TODAY_RING, width=3)  # fmt: skip
    _legend(draw, t, GRID_Y + 7 * STEP + 4)


def _legend(draw: ImageDraw.ImageDraw, t: Translator, y: int) -> None:
    x = GRID_X
    less = t.gettext("Less")
    draw.text((x, y + 11), less, fill=MUTED, font=FONTS[20], anchor="lm")
    x += int(draw.textlength(less, font=FONTS[20])) + 10
    for shade in (EMPTY, *SHADES):
        draw.rounded_rectangle((x, y, x + 22, y + 22), radius=5, fill=shade)
        x += 28
    draw.text((x + 4, y + 11), t.gettext("More"), fill=MUTED, font=FONTS[20], anchor="lm")


def _streaks(draw: ImageDraw.ImageDraw, t: Translator, progress: Progress) -> None:
    width = WIDTH - MARGIN - PANEL_X
    boxes = (
        (t.gettext("Current streak"), progress.streaks.current),
        (t.gettext("Best streak"), progress.streaks.best),
    )
    y = GRID_Y - 6
    for label, days in boxes:
        draw.rounded_rectangle((PANEL_X, y, PANEL_X + width, y + 128), radius=14, fill=CARD)
        draw.text((PANEL_X + 16, y + 12), _fit(draw, label, 24, width - 32), fill=MUTED,
                  font=FONTS[24])  # fmt: skip
        draw.text((PANEL_X + 16, y + 44), str(days), fill=INK, font=FONTS[64])
        number_width = int(draw.textlength(str(days), font=FONTS[64]))
        unit = t.ngettext("day", "days", days)
        draw.text((PANEL_X + 28 + number_width, y + 104), _fit(draw, unit, 24, width - 60),
                  fill=MUTED, font=FONTS[24], anchor="ls")  # fmt: skip
        y += 144
    for line in _wrap(draw, t.gettext(FORGIVEN), 20, width)[:4]:
        draw.text((PANEL_X, y), line, fill=MUTED, font=FONTS[20])
        y += 26


def _areas(draw: ImageDraw.ImageDraw, t: Translator, progress: Progress, y: int) -> int:
    width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, y), _fit(draw, t.gettext("Stretches per body area"), 28, width),
              fill=INK, font=FONTS[28])  # fmt: skip
    y += 56
    if not progress.areas:
        for line in _wrap(draw, t.gettext(NOTHING_YET), 24, width)[:2]:
            draw.text((MARGIN, y), line, fill=MUTED, font=FONTS[24])
            y += 32
        return y - 32 + ROW
    column = (width - 32) // 2
    most = progress.areas[0][1]
    label_width, count_width = 190, 56
    for index, (area, count) in enumerate(progress.areas):
        x = MARGIN + (index % 2) * (column + 32)
        row_y = y + (index // 2) * ROW
        label = _fit(draw, t.gettext(AREA_LABELS[area]), 20, label_width - 8)
        draw.text((x, row_y + 14), label, fill=INK, font=FONTS[20], anchor="lm")
        bar = max(6, (column - label_width - count_width) * count // most)
        draw.rounded_rectangle((x + label_width, row_y + 2, x + label_width + bar, row_y + 26),
                               radius=6, fill=BAR)  # fmt: skip
        draw.text((x + label_width + bar + 8, row_y + 14), str(count), fill=MUTED,
                  font=FONTS[20], anchor="lm")  # fmt: skip
    return y + ((len(progress.areas) + 1) // 2) * ROW


def _holds(draw: ImageDraw.ImageDraw, t: Translator, progress: Progress, y: int) -> None:
    if not progress.holds:
        return
    width = WIDTH - 2 * MARGIN
    y += 16
    draw.text((MARGIN, y), _fit(draw, t.gettext("Longest holds"), 28, width), fill=INK,
              font=FONTS[28])  # fmt: skip
    y += 48
    for hold in progress.holds:
        line = describe_hold(t, hold.name, hold.seconds, hold.times)
        draw.text((MARGIN, y), _fit(draw, line, 24, width), fill=INK, font=FONTS[24])
        y += 36


def describe_hold(t: Translator, name: str, seconds: int, times: int) -> str:
    """ "Pigeon pose: 30 s hold, done 4 times" (the picture and the text version)."""
    return t.ngettext(
        "{name}: {seconds} s hold, done {times} time",
        "{name}: {seconds} s hold, done {times} times",
        times,
    ).format(name=name, seconds=seconds, times=times)
