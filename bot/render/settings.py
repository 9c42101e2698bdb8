"""The settings screen and its pickers: time, days, timezone, pause."""

from __future__ import annotations

from datetime import datetime, time
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Area
from bot.domain.account import Account
from bot.domain.precautions import PrecautionAnswers
from bot.domain.reminders import ReminderSettings, pause_active
from bot.domain.schedule import DAY_ABBREVIATIONS, describe_days, describe_next, has_day
from bot.domain.timeparse import format_time
from bot.domain.timezones import REGION_ZONES, zone_label
from bot.render.callbacks import Action, encode
from bot.render.precautions import summarize_answers

COMMON_TIMES = ("06:30", "07:00", "07:30", "08:00", "12:00", "12:30", "17:30", "18:00", "19:00",
                "20:00", "21:00", "22:00")  # fmt: skip
PAUSE_CHOICES = (("1 day", "1"), ("3 days", "3"), ("7 days", "7"), ("Until I resume", "0"))
TIME_EXAMPLES = "07:30, 7:30, 7.30, 0730, 7pm, 7:30 am or 19h"


def _button(label: str, action: Action, *args: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def describe_status(settings: ReminderSettings, next_due: datetime | None, now: datetime) -> str:
    if settings.on_hold:
        return "On hold until you tell me a clinician has checked you (see /stretch)"
    if settings.reminder_time is None:
        return "Off: pick a time to get a daily stretch"
    if pause_active(settings, now):
        if settings.paused_until is None:
            return "Paused until you resume"
        return f"Paused until {describe_next(settings.paused_until, ZoneInfo(settings.zone), now)}"
    if next_due is None:
        return "Off: no days chosen"
    return "On"


def render_settings(
    settings: ReminderSettings,
    next_due: datetime | None,
    now: datetime,
    focus: list[str],
    precautions: PrecautionAnswers,
) -> str:
    zone = ZoneInfo(settings.zone)
    chosen_time = format_time(settings.reminder_time) if settings.reminder_time else "not set"
    lines = [
        "<b>⚙️ Your daily reminder</b>",
        f"Time: <b>{chosen_time}</b>",
        f"Days: <b>{escape(describe_days(settings.days))}</b>",
        f"Timezone: <b>{escape(settings.zone)}</b>",
        f"Status: {escape(describe_status(settings, next_due, now))}",
        f"Focus: <b>{escape(describe_focus(focus))}</b>",
        f"Stretch safety: <b>{escape(summarize_answers(precautions))}</b>",
    ]
    if settings.zone == "UTC":
        lines.append("Is UTC your local time? If not, tap <b>Timezone</b>.")
    if next_due is not None:
        lines.append(
            f"Next: <b>{escape(describe_next(next_due, zone, now))}</b>, {escape(settings.zone)}"
        )
    return "\n".join(lines)


AREA_LABELS: dict[Area, str] = {
    Area.HIP_FLEXORS: "Hip flexors",
    Area.GLUTES: "Glutes",
    Area.PIRIFORMIS: "Piriformis",
    Area.ADDUCTORS: "Inner thighs",
    Area.HAMSTRINGS: "Hamstrings",
    Area.QUADS: "Quads",
    Area.LOWER_BACK: "Lower back",
    Area.THORACIC: "Upper back",
    Area.HIP_MOBILITY: "Hip mobility",
}


def describe_focus(areas: list[str]) -> str:
    chosen = [label for area, label in AREA_LABELS.items() if area.value in areas]
    return ", ".join(chosen) if chosen else "Any area"


def render_focus_menu(areas: list[str]) -> str:
    return (
        "<b>Which areas should stretches focus on?</b>\nTap to switch an area on or off; "
        "with none chosen, stretches come from every area.\n"
        f"Now: <b>{escape(describe_focus(areas))}</b>"
    )


def focus_menu_keyboard(areas: list[str]) -> InlineKeyboardMarkup:
    buttons = [
        _button(("✅ " if area.value in areas else "▫️ ") + label, Action.TOGGLE_FOCUS, area.value)
        for area, label in AREA_LABELS.items()
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup([*rows, back_row()])


def settings_keyboard(settings: ReminderSettings, now: datetime) -> InlineKeyboardMarkup:
    pause_or_resume = (
        _button("▶️ Resume", Action.RESUME)
        if pause_active(settings, now)
        else _button("⏸ Pause", Action.PAUSE_MENU)
    )
    return InlineKeyboardMarkup(
        [
            [_button("⏰ Time", Action.TIME_MENU), _button("📅 Days", Action.DAYS_MENU)],
            [_button("🌍 Timezone", Action.ZONE_MENU), pause_or_resume],
            [
                _button("🎯 Focus areas", Action.FOCUS_MENU),
                _button("🛡 Stretch safety", Action.SAFETY_MENU),
            ],
        ]
    )


def back_row() -> list[InlineKeyboardButton]:
    return [_button("⬅️ Back to settings", Action.SETTINGS)]


def render_time_menu() -> str:
    return (
        "<b>When should I remind you?</b>\nPick a time, or send it like "
        f"<code>/time 07:45</code> (I understand {escape(TIME_EXAMPLES)})."
    )


def time_menu_keyboard() -> InlineKeyboardMarkup:
    rows = [
        [
            _button(label, Action.SET_TIME, label.replace(":", ""))
            for label in COMMON_TIMES[i : i + 4]
        ]
        for i in range(0, len(COMMON_TIMES), 4)
    ]
    return InlineKeyboardMarkup([*rows, back_row()])


def render_days_menu(days: int) -> str:
    return (
        "<b>On which days?</b>\nTap a day to switch it on or off.\n"
        f"Now: <b>{escape(describe_days(days))}</b>"
    )


def days_menu_keyboard(days: int) -> InlineKeyboardMarkup:
    day_buttons = [
        _button(("✅ " if has_day(days, weekday) else "▫️ ") + name, Action.TOGGLE_DAY, str(weekday))
        for weekday, name in enumerate(DAY_ABBREVIATIONS)
    ]
    presets = [
        _button("Every day", Action.DAYS_PRESET, "127"),
        _button("Weekdays", Action.DAYS_PRESET, "31"),
        _button("Weekends", Action.DAYS_PRESET, "96"),
    ]
    return InlineKeyboardMarkup([day_buttons[:4], day_buttons[4:], presets, back_row()])


def render_zone_menu() -> str:
    return (
        "<b>Where are you?</b>\nPick a region, or send your timezone or city, like "
        "<code>/timezone Europe/Berlin</code>, <code>/timezone London</code> or "
        "<code>/timezone UTC+05:30</code>."
    )


def zone_menu_keyboard() -> InlineKeyboardMarkup:
    regions = [_button(region, Action.ZONE_REGION, region) for region in REGION_ZONES]
    return InlineKeyboardMarkup([regions[:3], regions[3:], back_row()])


def zone_region_keyboard(region: str) -> InlineKeyboardMarkup:
    zones = REGION_ZONES.get(region, ())
    buttons = [_button(zone_label(zone), Action.SET_ZONE, zone) for zone in zones]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup([*rows, [_button("⬅️ Regions", Action.ZONE_MENU)]])


def zone_suggestions_keyboard(zones: tuple[str, ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(zone, Action.SET_ZONE, zone)] for zone in zones] + [back_row()]
    )


# Mapping coordinates to a zone offline needs a large polygon database; a region list is enough.
LOCATION_HINT = (
    "Thanks! I don't keep a map to turn a location into a timezone, and your location is not "
    "stored. Pick your region below, or send <code>/timezone</code> with your city."
)


def render_pause_menu() -> str:
    return "<b>Pause daily reminders for how long?</b>"


def pause_menu_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(label, Action.PAUSE, days) for label, days in PAUSE_CHOICES], back_row()]
    )


def render_time_invalid(text: str) -> str:
    return (
        f"I couldn't read <b>{escape(text[:40])}</b> as a time, so your reminder stays as it was.\n"
        f"Try for example {escape(TIME_EXAMPLES)}."
    )


def render_zone_unknown(text: str, has_suggestions: bool) -> str:
    hint = (
        "Did you mean one of these?"
        if has_suggestions
        else (
            "Try a name like <code>Europe/Berlin</code>, a city like <code>London</code>, "
            "or an offset like <code>UTC+05:30</code>."
        )
    )
    return (
        f"I don't know the timezone <b>{escape(text[:60])}</b>; "
        f"your setting stays as it was.\n{hint}"
    )


def time_code(value: time) -> str:
    return f"{value.hour:02d}{value.minute:02d}"


Screen = tuple[str, InlineKeyboardMarkup]


def settings_screen(account: Account, now: datetime) -> Screen:
    """The settings screen for ``account`` as it is now."""
    settings = account.reminder_settings
    text = render_settings(
        settings, account.next_due_at, now, list(account.focus_areas), account.precautions
    )
    return text, settings_keyboard(settings, now)


def days_screen(account: Account) -> Screen:
    return render_days_menu(account.reminder_days), days_menu_keyboard(account.reminder_days)


def focus_screen(account: Account) -> Screen:
    areas = list(account.focus_areas)
    return render_focus_menu(areas), focus_menu_keyboard(areas)


def time_screen() -> Screen:
    return render_time_menu(), time_menu_keyboard()


def zone_screen() -> Screen:
    return render_zone_menu(), zone_menu_keyboard()


def pause_screen() -> Screen:
    return render_pause_menu(), pause_menu_keyboard()


def render_time_saved(value: time) -> str:
    return f"Saved: daily reminder at <b>{format_time(value)}</b>."


def render_zone_saved(zone: str, from_offset: bool) -> str:
    note = " (a fixed offset: it won't follow daylight saving)" if from_offset else ""
    return f"Saved: timezone <b>{escape(zone)}</b>{note}."


def render_resumed(was_paused: bool) -> str:
    if was_paused:
        return "Reminders are back on. ▶️"
    return "Reminders weren't paused, so nothing changed. ▶️"


SAVED = "Saved ✅"
