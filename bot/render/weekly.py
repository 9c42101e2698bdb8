"""The weekly summary: its caption and buttons, and its settings screen."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.learn import LearnCard
from bot.domain.progress import Advice, Progress, Suggestion
from bot.domain.schedule import MONDAY, SUNDAY
from bot.domain.weekly import WeeklySettings
from bot.render.callbacks import Action, encode
from bot.render.dates import day_names
from bot.render.i18n import N_, Translator, text
from bot.render.learn import read_card_button
from bot.render.progress import render_streaks, text_version_button
from bot.render.settings import AREA_LABELS, back_row, describe_weekly

SUGGESTIONS = {
    Suggestion.FIRST_STEP: N_(
        "Pick two days next week and do one short stretch on each. /stretch finds one for you."
    ),
    Suggestion.ONE_MORE_DAY: N_("Try one more day than this week; a few minutes counts as a day."),
    Suggestion.NEW_AREA: N_(
        "Give your {area} some attention: choose it under /focus for a stretch or two."
    ),
    Suggestion.KEEP_GOING: N_("Keep this rhythm going; rest days are part of it too."),
}
WEEKLY_TIMES = ("0800", "1200", "1800", "2000")
OFF_SAVED = N_("Weekly summary off. You can turn it back on in /settings.")
ON_SAVED = N_("Weekly summary on: {when}.")


def render_suggestion(t: Translator, advice: Advice) -> str:
    suggestion = text(t, SUGGESTIONS[advice.suggestion])
    if advice.area is not None:
        suggestion = suggestion.format(area=t.gettext(AREA_LABELS[advice.area]).lower())
    return suggestion


def render_weekly_caption(
    t: Translator, progress: Progress, advice: Advice, card: LearnCard | None
) -> str:
    """The summary, as the picture's caption (Telegram allows 1,024 characters)."""
    lines = [
        t.gettext("<b>📊 Your week</b>"),
        t.ngettext(
            "You stretched on {days} day of the last 7 (the week before: {before}).",
            "You stretched on {days} days of the last 7 (the week before: {before}).",
            progress.this_week,
        ).format(days=progress.this_week, before=progress.week_before),
        render_streaks(t, progress),
        "",
        t.gettext("💡 <b>Next week:</b> {suggestion}").format(
            suggestion=escape(render_suggestion(t, advice))
        ),
    ]
    if card is not None:
        lines.append(
            t.gettext("📖 This week's card: <b>{title}</b>").format(title=escape(card.title))
        )
    return "\n".join(lines)


def weekly_keyboard(t: Translator, card: LearnCard | None) -> InlineKeyboardMarkup:
    rows = [[read_card_button(t, card)]] if card is not None else []
    rows.append([text_version_button(t)])
    rows.append(
        [
            InlineKeyboardButton(
                t.gettext("🔕 Stop weekly summaries"),
                callback_data=encode(Action.WEEKLY_SET, "0", "m"),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def _button(label: str, action: Action, *args: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def weekly_screen(t: Translator, weekly: WeeklySettings) -> tuple[str, InlineKeyboardMarkup]:
    """The weekly summary's settings: on or off, the day, the time."""
    lines = [
        t.gettext("<b>📊 Weekly summary</b>"),
        t.gettext(
            "Once a week: your progress picture, a look back at the week, one idea for the next "
            "and a short card to read."
        ),
        t.gettext("Now: <b>{when}</b>").format(when=escape(describe_weekly(t, weekly))),
    ]
    switch = (
        _button(t.gettext("🔕 Turn off"), Action.WEEKLY_SET, "0", "s")
        if weekly.enabled
        else _button(t.gettext("🔔 Turn on"), Action.WEEKLY_SET, "1", "s")
    )
    rows = [[switch]]
    if weekly.enabled:
        days = [
            _button(("✅ " if day == weekly.day else "") + name, Action.WEEKLY_DAY, str(day))
            for day, name in zip(range(MONDAY, SUNDAY + 1), day_names(t), strict=True)
        ]
        rows += [days[:4], days[4:]]
        times = [
            _button(
                ("✅ " if weekly.local_time is None else "") + t.gettext("My reminder time"),
                Action.WEEKLY_TIME,
                "r",
            )
        ]
        for hhmm in WEEKLY_TIMES:
            chosen = weekly.local_time is not None and weekly.local_time.strftime("%H%M") == hhmm
            times.append(
                _button(
                    ("✅ " if chosen else "") + f"{hhmm[:2]}:{hhmm[2:]}", Action.WEEKLY_TIME, hhmm
                )
            )
        rows += [times[:1], times[1:]]
    rows.append(back_row(t))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def render_weekly_saved(t: Translator, weekly: WeeklySettings) -> str:
    if not weekly.enabled:
        return text(t, OFF_SAVED)
    return t.gettext(ON_SAVED).format(when=escape(describe_weekly(t, weekly)))
