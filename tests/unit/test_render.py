"""Every message the bot renders is valid Telegram HTML within Telegram's limits, and escapes
whatever users or content put in it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from telegram import InlineKeyboardMarkup

from bot.catalog import Catalog, load_catalog
from bot.catalog.stretches import Stretch
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers
from bot.domain.reminders import ReminderSettings
from bot.render import settings as screens
from bot.render.callbacks import MAX_BYTES
from bot.render.privacy import export_file_bytes, render_data_summary
from bot.render.stretch_card import (
    MAX_MESSAGE_CHARS,
    illustration_caption,
    reminder_card_keyboard,
    render_stretch_card,
    render_variant,
    stretch_card_keyboard,
)
from bot.render.texts import ABOUT, render_help, render_welcome
from bot.sandbox.formatting import parse_html, utf16_len

CAPTION_LIMIT = 1024
CATALOG: Catalog = load_catalog(DEFAULT_CONTENT_DIR)
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def visible(html: str) -> str:
    """The text as Telegram shows it; raises like the Bot API on invalid HTML."""
    return parse_html(html).text


def assert_fits(html: str, limit: int = MAX_MESSAGE_CHARS) -> None:
    assert 0 < utf16_len(visible(html)) <= limit


def assert_buttons_fit(keyboard: InlineKeyboardMarkup) -> None:
    for row in keyboard.inline_keyboard:
        for button in row:
            assert button.callback_data is not None
            assert len(str(button.callback_data).encode()) <= MAX_BYTES


@pytest.mark.parametrize("stretch", CATALOG.stretches.all(), ids=lambda s: s.id)
def test_every_stretch_card_is_valid_and_fits(stretch: Stretch) -> None:
    card = render_stretch_card(stretch, heading="⏰ Time for your daily stretch!")
    assert_fits(card)
    shown = visible(card)
    for number, step in enumerate(stretch.steps, 1):
        assert f"{number}. {step}" in shown
    assert "Stop if:" in shown and (stretch.sides == "none" or "each side" in shown)
    assert_fits(illustration_caption(stretch), CAPTION_LIMIT)
    for easier in (True, False):
        assert_fits(render_variant(stretch, easier=easier))
    assert_buttons_fit(stretch_card_keyboard(stretch))
    assert_buttons_fit(reminder_card_keyboard(stretch))


def test_content_and_names_are_escaped() -> None:
    base = CATALOG.stretches.all()[0]
    tricky = base.model_copy(update={"name": "Hips <b>& back", "steps": ("a < b & c > d",) * 3})
    shown = visible(render_stretch_card(tricky))
    assert "Hips <b>& back" in shown and "1. a < b & c > d" in shown
    assert "Hi <script>&amp;!" in visible(render_welcome("<script>&amp;"))


def test_fixed_texts_are_valid() -> None:
    for text in (render_help(), ABOUT, render_welcome(None)):
        assert_fits(text)


@pytest.mark.parametrize(
    "settings",
    [
        ReminderSettings(reminder_time=None, days=127, zone="UTC"),
        ReminderSettings(reminder_time=time(7, 30), days=31, zone="Europe/Berlin"),
        ReminderSettings(
            reminder_time=time(7, 30),
            days=96,
            zone="America/New_York",
            paused=True,
            paused_until=NOW + timedelta(days=3),
        ),
        ReminderSettings(reminder_time=time(7, 30), days=0, zone="Asia/Kathmandu"),
        ReminderSettings(reminder_time=time(7, 30), days=127, zone="UTC", on_hold=True),
    ],
)
def test_settings_screens_are_valid(settings: ReminderSettings) -> None:
    screen = screens.render_settings(
        settings, NOW + timedelta(hours=5), NOW, ["glutes"], PrecautionAnswers()
    )
    assert_fits(screen)
    assert "Focus: Glutes" in visible(screen)
    assert "Stretch safety: not answered yet" in visible(screen)
    for text, keyboard in (
        (screen, screens.settings_keyboard(settings, NOW)),
        (screens.render_time_menu(), screens.time_menu_keyboard()),
        (screens.render_days_menu(settings.days), screens.days_menu_keyboard(settings.days)),
        (screens.render_zone_menu(), screens.zone_menu_keyboard()),
        (screens.render_focus_menu(["glutes"]), screens.focus_menu_keyboard(["glutes"])),
        (screens.render_pause_menu(), screens.pause_menu_keyboard()),
    ):
        assert_fits(text)
        assert_buttons_fit(keyboard)
    for region in screens.REGION_ZONES:
        assert_buttons_fit(screens.zone_region_keyboard(region))


def test_bad_input_is_escaped_in_the_replies() -> None:
    assert "<b>7</b>" not in screens.render_time_invalid("<b>7</b>")
    assert "25:99 & <i>" in visible(screens.render_time_invalid("25:99 & <i>"))
    assert "Mars <x>" in visible(screens.render_zone_unknown("Mars <x>", False))


def test_data_summary_is_valid() -> None:
    export = {
        "users": [
            {
                "id": 1,
                "reminder_time": "07:30:00",
                "reminder_days": 31,
                "timezone": "Europe/Berlin",
                "focus_areas": ["glutes"],
                "level": 2,
                "precaution_answers": PrecautionAnswers()
                .with_answer(Precaution.HIP_REPLACEMENT, Answer.YES)
                .with_answer(Precaution.PREGNANCY, Answer.SKIPPED)
                .code,
                "paused": False,
                "active": True,
                "created_at": NOW.isoformat(),
            }
        ],
        "activity": [{}] * 3,
        "checks": [],
    }
    summary = visible(render_data_summary(export))
    assert "Weekdays" in summary and "Activity log: 3 entries" in summary
    assert (
        "Stretch safety answers: Hip replacement: yes; Pregnant, past 12 weeks: skipped; "
        "Osteoporosis: not answered yet" in summary
    )
    exported = json.loads(export_file_bytes(export))
    assert exported["users"][0]["precaution_answers"] == {
        "Hip replacement": "yes",
        "Pregnant, past 12 weeks": "skipped",
        "Osteoporosis": "not answered yet",
    }
