"""Every message the bot renders is valid Telegram HTML within Telegram's limits, and escapes
whatever users or content put in it; in English and in the pseudo-locale (every text accented
and a third longer), so a string that escaped translation or a screen with no room to grow
shows up here."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from telegram import InlineKeyboardMarkup

from bot.catalog import Catalog, load_catalog
from bot.catalog.stretches import Stretch
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.account import Account
from bot.domain.forecast import outlook
from bot.domain.precautions import Answer, Precaution, PrecautionAnswers
from bot.domain.reminders import ReminderSettings, SnoozeRefusal
from bot.domain.stats import Stats, UserCounts
from bot.render import onboarding
from bot.render import settings as screens
from bot.render.callbacks import MAX_BYTES
from bot.render.i18n import ENGLISH, Translator, text
from bot.render.notices import render_error_notice
from bot.render.privacy import (
    FORGET_CANCELLED,
    FORGET_DONE,
    FORGET_EXPIRED,
    FORGET_QUESTION,
    export_file_bytes,
    forget_keyboard,
    render_data_summary,
)
from bot.render.stats import render_stats
from bot.render.stretch_card import (
    MAX_MESSAGE_CHARS,
    ON_HOLD,
    RESUMED,
    illustration_caption,
    reminder_card_keyboard,
    render_done,
    render_level_note,
    render_stretch_card,
    render_variant,
    stretch_card_keyboard,
)
from bot.render.texts import (
    ABOUT,
    DESCRIPTION,
    FREE_TEXT,
    NO_ACCOUNT_BUTTON,
    SHORT_DESCRIPTION,
    SLOW_DOWN,
    SOMETHING_WENT_WRONG,
    STALE_BUTTON,
    UNKNOWN_COMMAND,
    render_help,
    render_private_only,
    render_private_only_short,
    render_skipped,
    render_snooze_refused,
    render_snoozed,
    render_welcome,
    start_keyboard,
)
from bot.sandbox.formatting import parse_html, utf16_len

CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
BUTTON_TEXT_LIMIT = 64  # longer labels are cut off on phones; a test-only sanity bound
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
            assert 0 < len(button.text) <= BUTTON_TEXT_LIMIT


@pytest.mark.parametrize("stretch", CATALOG.stretches.all(), ids=lambda s: s.id)
def test_every_stretch_card_is_valid_and_fits(t: Translator, stretch: Stretch) -> None:
    card = render_stretch_card(t, stretch, heading="⏰ Time for your daily stretch!")
    assert_fits(card)
    assert_fits(illustration_caption(t, stretch), CAPTION_LIMIT)
    for easier in (True, False):
        assert_fits(render_variant(t, stretch, easier=easier) + render_level_note(t, easier))
    assert_buttons_fit(stretch_card_keyboard(t, stretch))
    assert_buttons_fit(reminder_card_keyboard(t, stretch))


@pytest.mark.parametrize("stretch", CATALOG.stretches.all(), ids=lambda s: s.id)
def test_a_stretch_card_shows_every_step_and_the_stop_signs(stretch: Stretch) -> None:
    shown = visible(render_stretch_card(ENGLISH, stretch))
    for number, step in enumerate(stretch.steps, 1):
        assert f"{number}. {step}" in shown
    assert "Stop if:" in shown and (stretch.sides == "none" or "each side" in shown)


def test_content_and_names_are_escaped() -> None:
    base = CATALOG.stretches.all()[0]
    tricky = base.model_copy(update={"name": "Hips <b>& back", "steps": ("a < b & c > d",) * 3})
    shown = visible(render_stretch_card(ENGLISH, tricky))
    assert "Hips <b>& back" in shown and "1. a < b & c > d" in shown
    assert "Hi <script>&amp;!" in visible(render_welcome(ENGLISH, "<script>&amp;"))


# 3,000 due at 08:00: late at the free rate, on time paying.
LATENESS = outlook(
    {datetime(2026, 3, 2, 8, 0, tzinfo=UTC): 3000},
    datetime(2026, 3, 2, 7, 0, tzinfo=UTC),
    free_rate=25,
    paid_rate=1000,
    target_seconds=60,
)


def test_fixed_texts_are_valid(t: Translator) -> None:
    messages = [
        render_help(t), text(t, ABOUT), render_welcome(t, None), render_welcome(t, "Ann"),
        text(t, UNKNOWN_COMMAND), text(t, FREE_TEXT), text(t, SOMETHING_WENT_WRONG),
        text(t, ON_HOLD), text(t, RESUMED), render_done(t, 1, has_reminder=True)[0],
        render_done(t, 12, has_reminder=False)[0],
        render_snoozed(t, 15, "07:45"), render_snoozed(t, 60, "08:30"),
        render_skipped(t, None), render_skipped(t, "tomorrow 07:30"),
        render_private_only(t, "limber_bot"),
        text(t, FORGET_QUESTION), text(t, FORGET_DONE), text(t, FORGET_CANCELLED),
        *(render_snooze_refused(t, reason) for reason in SnoozeRefusal),
        render_stats(t, Stats(UserCounts(3, 2, 1), {"sent": 4, "failed": 1}, {"URGENT": 1})),
        render_stats(t, Stats(UserCounts(3, 2, 1), {}, {}, LATENESS)),
        render_stats(t, Stats(UserCounts(3, 2, 1), {}, {}, paid_broadcasts_today=1234)),
        render_error_notice(t, 42, "OperationalError", 3), render_error_notice(t, None, "X", 0),
    ]  # fmt: skip
    for message in messages:
        assert_fits(message)
    assert_buttons_fit(start_keyboard(t))
    assert_buttons_fit(forget_keyboard(t, 12345))
    answers = [
        text(t, STALE_BUTTON), text(t, NO_ACCOUNT_BUTTON), text(t, SLOW_DOWN),
        text(t, FORGET_EXPIRED), render_private_only_short(t),
    ]  # fmt: skip
    for answer in answers:  # callback answers: plain text, 200 characters
        assert 0 < len(answer) <= CALLBACK_ANSWER_LIMIT


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
def test_settings_screens_are_valid(t: Translator, settings: ReminderSettings) -> None:
    screen = screens.render_settings(
        t, settings, NOW + timedelta(hours=5), NOW, ["glutes"], PrecautionAnswers()
    )
    for message, keyboard in (
        (screen, screens.settings_keyboard(t, settings, NOW)),
        screens.time_screen(t),
        (screens.render_days_menu(t, settings.days), screens.days_menu_keyboard(t, settings.days)),
        screens.zone_screen(t),
        (screens.render_focus_menu(t, ["glutes"]), screens.focus_menu_keyboard(t, ["glutes"])),
        screens.pause_screen(t),
    ):
        assert_fits(message)
        assert_buttons_fit(keyboard)
    for region in screens.REGION_ZONES:
        assert_buttons_fit(screens.zone_region_keyboard(t, region))
    for reply in (
        screens.render_time_saved(t, time(7, 30)), screens.render_zone_saved(t, "Etc/GMT-5", True),
        screens.render_resumed(t, True), screens.render_resumed(t, False),
        text(t, screens.LOCATION_HINT), screens.render_zone_unknown(t, "Mars", True),
    ):  # fmt: skip
        assert_fits(reply)


def test_the_settings_screen_in_english() -> None:
    settings = ReminderSettings(reminder_time=time(7, 30), days=31, zone="Europe/Berlin")
    screen = visible(
        screens.render_settings(
            ENGLISH, settings, NOW + timedelta(hours=5), NOW, ["glutes"], PrecautionAnswers()
        )
    )
    assert "Focus: Glutes" in screen and "Days: Weekdays" in screen
    assert "Stretch safety: not answered yet" in screen


def test_bad_input_is_escaped_in_the_replies(t: Translator) -> None:
    assert "<b>7</b>" not in screens.render_time_invalid(t, "<b>7</b>")
    assert "25:99 & <i>" in visible(screens.render_time_invalid(t, "25:99 & <i>"))
    assert "Mars <x>" in visible(screens.render_zone_unknown(t, "Mars <x>", False))


EXPORT = {
    "users": [
        {
            "id": 1,
            "language": "de",
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


def test_data_summary_is_valid(t: Translator) -> None:
    assert_fits(render_data_summary(t, EXPORT))
    assert_fits(render_data_summary(t, {"users": []}))


def test_data_summary_reads_as_words_not_stored_values() -> None:
    summary = visible(render_data_summary(ENGLISH, EXPORT))
    assert "Reminder: 07:30, Weekdays" in summary and "07:30:00" not in summary
    assert "Activity log: 3 entries" in summary and "moderate level" in summary
    assert "First contact: 2 Mar 2026" in summary and NOW.isoformat() not in summary
    assert (
        "Stretch safety answers: Hip replacement: yes; Pregnant, past 12 weeks: skipped; "
        "Osteoporosis: not answered yet" in summary
    )
    exported = json.loads(export_file_bytes(EXPORT))
    assert exported["users"][0]["precaution_answers"] == {
        "Hip replacement": "yes",
        "Pregnant, past 12 weeks": "skipped",
        "Osteoporosis": "not answered yet",
    }


def test_onboarding_screens_are_valid_and_fit(t: Translator) -> None:
    account = Account(
        user_id=1, language=None, timezone="UTC", reminder_time=None, reminder_days=127,
        focus_areas=("glutes",), level=1, paused=False, paused_until=None, on_hold_since=None,
        next_due_at=None, snooze_due_at=None, precautions=PrecautionAnswers(), active=True,
        created_at=NOW, onboarding_step=1, cannot=0b101,
    )  # fmt: skip
    shown = [
        onboarding.focus_step(t, account),
        onboarding.focus_step(t, replace(account, focus_areas=())),
        onboarding.level_step(t),
        onboarding.abilities_step(t, account),
        onboarding.time_step(t),
        onboarding.zone_step(t, time(7, 30), ("Europe/London", "America/New_York")),
        onboarding.zone_step(t, None, ()),
        (
            screens.render_zone_question(t, time(7, 30)),
            screens.zone_question_keyboard(t, ("Europe/London", "America/New_York")),
        ),
    ]
    for html, keyboard in shown:
        assert_fits(html)
        assert_buttons_fit(keyboard)
    assert_fits(onboarding.render_welcome(t, "<Ann>") + "\n\n" + shown[0][0])
    assert_fits(text(t, onboarding.FINISHED))
    assert_fits(screens.render_zones_at_clock(t, time(7, 40), ()))
    assert_fits(screens.render_zones_at_clock(t, time(7, 40), ("Europe/Paris",)))
    for streak, has_reminder in ((1, False), (2, True), (30, False)):
        done, keyboard = render_done(t, streak, has_reminder=has_reminder)
        assert_fits(done)
        if keyboard is not None:
            assert_buttons_fit(keyboard)
    assert_fits(text(t, DESCRIPTION), 512)
    assert_fits(text(t, SHORT_DESCRIPTION), 120)
