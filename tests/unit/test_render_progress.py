"""Progress and weekly summary screens: valid Telegram HTML within the limits in English and
the pseudo-locale (a third longer), and a picture for an empty, short and long history."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from html import escape

import pytest
from PIL import Image

from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.progress import Advice, Progress, Suggestion, build_progress
from bot.domain.weekly import WeeklySettings
from bot.render.i18n import ENGLISH, Translator
from bot.render.progress import progress_keyboard, render_progress_caption, render_progress_text
from bot.render.progress_picture import WIDTH, render_progress_picture
from bot.render.weekly import (
    render_weekly_caption,
    render_weekly_saved,
    weekly_keyboard,
    weekly_screen,
)
from tests.unit.test_render import CAPTION_LIMIT, assert_buttons_fit, assert_fits

CATALOG = load_catalog(DEFAULT_CONTENT_DIR)
TODAY = date(2026, 11, 30)
STRETCH_IDS = [s.id for s in CATALOG.stretches.all()]


def history(days: int, per_day: int = 1) -> Progress:
    done = [
        (TODAY - timedelta(days=back), STRETCH_IDS[(back * per_day + n) % len(STRETCH_IDS)])
        for back in range(days)
        for n in range(per_day)
    ]
    return build_progress(done, TODAY, CATALOG.stretches.get)


HISTORIES = {"none": history(0), "one": history(1), "ninety": history(90, per_day=3)}


@pytest.mark.parametrize("name", HISTORIES)
def test_progress_texts_are_valid_and_fit(t: Translator, name: str) -> None:
    progress = HISTORIES[name]
    assert_fits(render_progress_caption(t, progress), CAPTION_LIMIT)
    assert_fits(render_progress_text(t, progress))
    assert_buttons_fit(progress_keyboard(t))


@pytest.mark.parametrize("name", HISTORIES)
@pytest.mark.parametrize("suggestion", list(Suggestion))
def test_weekly_captions_are_valid_and_fit(
    t: Translator, name: str, suggestion: Suggestion
) -> None:
    advice = Advice(suggestion, HISTORIES["ninety"].areas[-1][0])
    longest = max(CATALOG.learn.cards, key=lambda card: len(card.title))
    for card in (longest, None):
        assert_fits(render_weekly_caption(t, HISTORIES[name], advice, card), CAPTION_LIMIT)
        assert_buttons_fit(weekly_keyboard(t, card))


@pytest.mark.parametrize("enabled", [None, False, True])
def test_weekly_settings_screens_are_valid(t: Translator, enabled: bool | None) -> None:
    weekly = WeeklySettings(enabled, 6, time(20, 0), time(7, 30), "Europe/Berlin")
    text, keyboard = weekly_screen(t, weekly)
    assert_fits(text)
    assert_buttons_fit(keyboard)
    assert_fits(render_weekly_saved(t, weekly))


def test_the_text_version_has_the_pictures_facts() -> None:
    progress = HISTORIES["ninety"]
    text = render_progress_text(ENGLISH, progress)
    assert "Current streak: <b>90 days</b> · best: <b>90 days</b>" in text
    assert f"Stretches done: <b>{progress.total}</b>" in text
    for hold in progress.holds:
        assert f"{escape(hold.name)}: {hold.seconds} s hold" in text


@pytest.mark.parametrize("name", HISTORIES)
def test_the_picture_is_a_phone_sized_png(t: Translator, name: str) -> None:
    png = render_progress_picture(t, HISTORIES[name])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == WIDTH and 600 <= image.height <= 1280
    assert len(png) < 300_000
