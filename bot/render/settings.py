"""The settings screen and its pickers: time, days, timezone, pause. Texts in the user's
language through ``t``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from html import escape
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Area
from bot.domain.account import Account
from bot.domain.precautions import PrecautionAnswers
from bot.domain.reminders import ReminderSettings, pause_active
from bot.domain.schedule import EVERY_DAY, WEEKDAYS, WEEKENDS, has_day
from bot.domain.timeparse import format_time
from bot.domain.timezones import REGION_ZONES, zone_label
from bot.domain.weekly import WeeklySettings
from bot.render.callbacks import Action, encode
from bot.render.checkin import checkins_toggle_button, describe_checkins
from bot.render.dates import day_names, describe_days, describe_next
from bot.render.i18n import N_, Translator
from bot.render.precautions import summarize_answers

# The waking day: half hours in the early morning, when most reminders go, then every hour to
# 22:00 (anything else can be typed).
COMMON_TIMES = ("06:00", "06:30", "07:00", "07:30", "08:00", "08:30", "09:00", "10:00", "11:00",
                "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00", "19:00", "20:00",
                "21:00", "22:00")  # fmt: skip
PAUSE_DAYS = (1, 3, 7)
TIME_EXAMPLES = "07:30, 7:30, 7.30, 0730, 7pm, 7:30 am, 19h"


def _button(label: str, action: Action, *args: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def describe_status(
    t: Translator, settings: ReminderSettings, next_due: datetime | None, now: datetime
) -> str:
    if settings.on_hold:
        return t.gettext("On hold until you tell me a clinician has checked you (see /stretch)")
    if settings.reminder_time is None:
        return t.gettext("Off: pick a time to get a daily stretch")
    if pause_active(settings, now):
        if settings.paused_until is None:
            return t.gettext("Paused until you resume")
        until = describe_next(t, settings.paused_until, ZoneInfo(settings.zone), now)
        return t.gettext("Paused until {when}").format(when=until)
    if next_due is None:
        return t.gettext("Off: no days chosen")
    return t.gettext("On")


def render_settings(
    t: Translator,
    settings: ReminderSettings,
    next_due: datetime | None,
    now: datetime,
    focus: list[str],
    precautions: PrecautionAnswers,
) -> str:
    zone = ZoneInfo(settings.zone)
    chosen_time = (
        format_time(settings.reminder_time) if settings.reminder_time else t.gettext("not set")
    )
    lines = [
        t.gettext("<b>⚙️ Your daily reminder</b>"),
        t.gettext("Time: <b>{time}</b>").format(time=chosen_time),
        t.gettext("Days: <b>{days}</b>").format(days=escape(describe_days(t, settings.days))),
        t.gettext("Timezone: <b>{zone}</b>").format(zone=escape(settings.zone)),
        t.gettext("Status: {status}").format(
            status=escape(describe_status(t, settings, next_due, now))
        ),
        t.gettext("Focus: <b>{areas}</b>").format(areas=escape(describe_focus(t, focus))),
        t.gettext("Stretch safety: <b>{answers}</b>").format(
            answers=escape(summarize_answers(t, precautions))
        ),
    ]
    if settings.zone == "UTC":
        lines.append(t.gettext("Is UTC your local time? If not, tap <b>Timezone</b>."))
    if next_due is not None:
        when = escape(describe_next(t, next_due, zone, now))
        lines.append(
            t.gettext("Next: <b>{when}</b>, {zone}").format(when=when, zone=escape(settings.zone))
        )
    return "\n".join(lines)


AREA_LABELS: dict[Area, str] = {
    Area.HIP_FLEXORS: N_("Hip flexors"),
    Area.GLUTES: N_("Glutes"),
    Area.PIRIFORMIS: N_("Piriformis"),
    Area.ADDUCTORS: N_("Inner thighs"),
    Area.HAMSTRINGS: N_("Hamstrings"),
    Area.QUADS: N_("Quads"),
    Area.LOWER_BACK: N_("Lower back"),
    Area.THORACIC: N_("Upper back"),
    Area.HIP_MOBILITY: N_("Hip mobility"),
}


def describe_focus(t: Translator, areas: list[str]) -> str:
    chosen = [t.gettext(label) for area, label in AREA_LABELS.items() if area.value in areas]
    return ", ".join(chosen) if chosen else t.gettext("Any area")


def render_focus_menu(t: Translator, areas: list[str]) -> str:
    return (
        t.gettext("<b>Which areas should stretches focus on?</b>")
        + "\n"
        + t.gettext(
            "Tap to switch an area on or off; with none chosen, stretches come from every area."
        )
        + "\n"
        + t.gettext("Now: <b>{areas}</b>").format(areas=escape(describe_focus(t, areas)))
    )


def focus_menu_keyboard(t: Translator, areas: list[str]) -> InlineKeyboardMarkup:
    buttons = [
        _button(
            ("✅ " if area.value in areas else "▫️ ") + t.gettext(label),
            Action.TOGGLE_FOCUS,
            area.value,
        )
        for area, label in AREA_LABELS.items()
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup([*rows, back_row(t)])


def settings_keyboard(
    t: Translator, settings: ReminderSettings, now: datetime
) -> InlineKeyboardMarkup:
    pause_or_resume = (
        _button(t.gettext("▶️ Resume"), Action.RESUME)
        if pause_active(settings, now)
        else _button(t.gettext("⏸ Pause"), Action.PAUSE_MENU)
    )
    return InlineKeyboardMarkup(
        [
            [
                _button(t.gettext("⏰ Time"), Action.TIME_MENU),
                _button(t.gettext("📅 Days"), Action.DAYS_MENU),
            ],
            [_button(t.gettext("🌍 Timezone"), Action.ZONE_MENU), pause_or_resume],
            [
                _button(t.gettext("🎯 Focus areas"), Action.FOCUS_MENU),
                _button(t.gettext("🛡 Stretch safety"), Action.SAFETY_MENU),
            ],
            [_button(t.gettext("🌐 Language"), Action.LANGUAGE_MENU)],
            [_button(t.gettext("🧘 Stretch now"), Action.STRETCH_NOW)],
        ]
    )


def back_row(t: Translator) -> list[InlineKeyboardButton]:
    return [_button(t.gettext("⬅️ Back to settings"), Action.SETTINGS)]


def render_time_menu(t: Translator) -> str:
    return (
        t.gettext("<b>When should I remind you?</b>")
        + "\n"
        + t.gettext(
            "Pick a time, or just type it, like <code>7:45</code> (I understand {examples})."
        ).format(examples=escape(TIME_EXAMPLES))
    )


def time_grid(t: Translator) -> list[list[InlineKeyboardButton]]:
    return [
        [
            _button(label, Action.SET_TIME, label.replace(":", ""))
            for label in COMMON_TIMES[i : i + 4]
        ]
        for i in range(0, len(COMMON_TIMES), 4)
    ]


def time_menu_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*time_grid(t), back_row(t)])


def render_days_menu(t: Translator, days: int) -> str:
    return (
        t.gettext("<b>On which days?</b>")
        + "\n"
        + t.gettext("Tap a day to switch it on or off.")
        + "\n"
        + t.gettext("Now: <b>{days}</b>").format(days=escape(describe_days(t, days)))
    )


def days_menu_keyboard(t: Translator, days: int) -> InlineKeyboardMarkup:
    day_buttons = [
        _button(("✅ " if has_day(days, weekday) else "▫️ ") + name, Action.TOGGLE_DAY, str(weekday))
        for weekday, name in enumerate(day_names(t))
    ]
    presets = [
        _button(describe_days(t, preset), Action.DAYS_PRESET, str(preset))
        for preset in (EVERY_DAY, WEEKDAYS, WEEKENDS)
    ]
    return InlineKeyboardMarkup([day_buttons[:4], day_buttons[4:], presets, back_row(t)])


def render_zone_menu(t: Translator) -> str:
    return (
        t.gettext("<b>Where are you?</b>")
        + "\n"
        + t.gettext(
            "Pick a region, or just type your city or timezone, like <code>London</code>, "
            "<code>Europe/Berlin</code> or <code>UTC+05:30</code>."
        )
    )


def zone_menu_keyboard(t: Translator) -> InlineKeyboardMarkup:
    regions = [
        _button(t.gettext(REGION_LABELS[region]), Action.ZONE_REGION, region)
        for region in REGION_ZONES
    ]
    return InlineKeyboardMarkup([regions[:3], regions[3:], back_row(t)])


def zone_region_keyboard(t: Translator, region: str) -> InlineKeyboardMarkup:
    zones = REGION_ZONES.get(region, ())
    buttons = [_button(zone_label(zone), Action.SET_ZONE, zone) for zone in zones]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup([*rows, [_button(t.gettext("⬅️ Regions"), Action.ZONE_MENU)]])


def zone_suggestions_keyboard(t: Translator, zones: tuple[str, ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(zone, Action.SET_ZONE, zone)] for zone in zones] + [back_row(t)]
    )


# Mapping coordinates to a zone exactly needs a large polygon database; the longitude narrows
# the choice enough for the user to tap their place.
LOCATION_HINT = N_(
    "Thanks! Your location is not stored. From it, your timezone is likely one of these: "
    "tap yours, or type your city."
)


def render_zone_question(t: Translator, pending: time | None) -> str:
    """Asked before a reminder time is saved while the zone is still the default UTC."""
    ask = (
        t.gettext("<b>Where are you?</b> So that {time} is {time} where you are.").format(
            time=format_time(pending)
        )
        if pending is not None
        else t.gettext("<b>Where are you?</b> So that the reminder comes at your time of day.")
    )
    return (
        ask
        + "\n"
        + t.gettext(
            "Tap your place, type your city, share your location (📎), or simply type the time "
            "it is for you now (like <code>7:40pm</code>) and I'll work it out."
        )
    )


def zone_question_keyboard(t: Translator, likely: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [_button(zone_label(zone), Action.SET_ZONE, zone) for zone in likely]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup(
        [
            *rows,
            [_button(t.gettext("🌍 Other region"), Action.ZONE_MENU)],
            [_button(t.gettext("Keep UTC"), Action.SET_ZONE, "UTC")],
        ]
    )


def render_zones_at_clock(t: Translator, clock: time, zones: Sequence[str]) -> str:
    if not zones:
        return t.gettext(
            "No timezone shows {clock} right now. Check the time and type it again, or type "
            "your city."
        ).format(clock=format_time(clock))
    return t.gettext("It's {clock} for you: which of these is your timezone?").format(
        clock=format_time(clock)
    )


def render_pause_menu(t: Translator) -> str:
    return t.gettext("<b>Pause daily reminders for how long?</b>")


def pause_menu_keyboard(t: Translator) -> InlineKeyboardMarkup:
    choices = [
        _button(t.ngettext("{n} day", "{n} days", days).format(n=days), Action.PAUSE, str(days))
        for days in PAUSE_DAYS
    ]
    until_resumed = _button(t.gettext("Until I resume"), Action.PAUSE, "0")
    return InlineKeyboardMarkup([[*choices, until_resumed], back_row(t)])


def render_time_invalid(t: Translator, text: str) -> str:
    return (
        t.gettext(
            "I couldn't read <b>{text}</b> as a time, so your reminder stays as it was."
        ).format(text=escape(text[:40]))
        + "\n"
        + t.gettext("Try for example {examples}.").format(examples=escape(TIME_EXAMPLES))
    )


def render_zone_unknown(t: Translator, text: str, has_suggestions: bool) -> str:
    hint = (
        t.gettext("Did you mean one of these?")
        if has_suggestions
        else t.gettext(
            "Try a name like <code>Europe/Berlin</code>, a city like <code>London</code>, "
            "or an offset like <code>UTC+05:30</code>."
        )
    )
    return (
        t.gettext("I don't know the timezone <b>{text}</b>; your setting stays as it was.").format(
            text=escape(text[:60])
        )
        + "\n"
        + hint
    )


Screen = tuple[str, InlineKeyboardMarkup]

REGION_LABELS = {
    "Europe": N_("Europe"),
    "Americas": N_("Americas"),
    "Asia": N_("Asia"),
    "Africa": N_("Africa"),
    "Oceania": N_("Oceania"),
}


def describe_weekly(t: Translator, weekly: WeeklySettings) -> str:
    """ "Sun at 18:00", or "Off"."""
    if not weekly.enabled:
        return t.gettext("Off")
    return t.gettext("{weekday} at {time}").format(
        weekday=day_names(t)[weekly.day], time=format_time(weekly.at)
    )


def settings_screen(t: Translator, account: Account, now: datetime) -> Screen:
    """The settings screen for ``account`` as it is now."""
    settings = account.reminder_settings
    text = render_settings(
        t, settings, account.next_due_at, now, list(account.focus_areas), account.precautions
    )
    text += "\n" + t.gettext("Weekly summary: <b>{when}</b>").format(
        when=escape(describe_weekly(t, account.weekly_settings))
    )
    # The pain check-in (render.checkin): its state and its switch.
    text += "\n" + describe_checkins(t, account.checkins_on)
    keyboard = settings_keyboard(t, settings, now).inline_keyboard
    weekly = [_button(t.gettext("📊 Weekly summary"), Action.WEEKLY_MENU)]
    checkins = [checkins_toggle_button(t, account.checkins_on)]
    return text, InlineKeyboardMarkup([*keyboard, weekly, checkins])


def days_screen(t: Translator, account: Account) -> Screen:
    days = account.reminder_days
    return render_days_menu(t, days), days_menu_keyboard(t, days)


def focus_screen(t: Translator, account: Account) -> Screen:
    areas = list(account.focus_areas)
    return render_focus_menu(t, areas), focus_menu_keyboard(t, areas)


def time_screen(t: Translator) -> Screen:
    return render_time_menu(t), time_menu_keyboard(t)


def zone_screen(t: Translator) -> Screen:
    return render_zone_menu(t), zone_menu_keyboard(t)


def pause_screen(t: Translator) -> Screen:
    return render_pause_menu(t), pause_menu_keyboard(t)


def render_time_saved(t: Translator, value: time, zone: str | None = None) -> str:
    if zone is None:
        return t.gettext("Saved: daily reminder at <b>{time}</b>.").format(time=format_time(value))
    return t.gettext("Saved: daily reminder at <b>{time}</b>, {zone} time.").format(
        time=format_time(value), zone=escape(zone_label(zone))
    )


def render_zone_saved(t: Translator, zone: str, from_offset: bool) -> str:
    if from_offset:
        return t.gettext(
            "Saved: timezone <b>{zone}</b> (a fixed offset: it won't follow daylight saving)."
        ).format(zone=escape(zone))
    return t.gettext("Saved: timezone <b>{zone}</b>.").format(zone=escape(zone))


def render_resumed(t: Translator, was_paused: bool) -> str:
    if was_paused:
        return t.gettext("Reminders are back on. ▶️")
    return t.gettext("Reminders weren't paused, so nothing changed. ▶️")


SAVED = N_("Saved ✅")


def language_name(language: str) -> str:
    """A language in its own words ("English", "Deutsch"), as its speakers look for it."""
    try:
        name = Locale.parse(language).get_display_name(language)
    except (UnknownLocaleError, ValueError):
        name = None
    return name.capitalize() if name else language


def language_screen(t: Translator, languages: Sequence[str]) -> Screen:
    """The languages Limber speaks (one per catalogue); the current one ticked."""
    text = (
        t.gettext("<b>Which language should I use?</b>")
        + "\n"
        + t.gettext("Now: <b>{language}</b>").format(language=escape(language_name(t.language)))
    )
    buttons = [
        [
            _button(
                ("✅ " if lang == t.language else "") + language_name(lang),
                Action.SET_LANGUAGE,
                lang,
            )
        ]
        for lang in languages
    ]
    return text, InlineKeyboardMarkup([*buttons, back_row(t)])
