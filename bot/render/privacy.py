"""Texts for /mydata and /forget."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from html import escape
from typing import Any

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.stretches import Area
from bot.domain.abilities import cannot_of
from bot.domain.checkin import PainAnswer
from bot.domain.precautions import PrecautionAnswers
from bot.domain.timeparse import format_time
from bot.domain.weekly import DEFAULT_DAY, WeeklySettings
from bot.render.callbacks import Action, encode
from bot.render.checkin import render_checkin_history
from bot.render.dates import describe_days
from bot.render.i18n import N_, Translator
from bot.render.onboarding import NEED_LABELS
from bot.render.precautions import describe_answers, exported_answers
from bot.render.settings import AREA_LABELS, describe_weekly

AREAS = frozenset(area.value for area in Area)


LEVELS = {1: N_("gentle"), 2: N_("moderate"), 3: N_("challenging")}


def _yes_no(t: Translator, flag: object) -> str:
    return t.gettext("yes") if flag else t.gettext("no")


def _when(t: Translator, stored: str | None) -> str:
    """A stored ISO timestamp as a date the user reads ("30 Nov 2026")."""
    if not stored:
        return "-"
    return format_date(datetime.fromisoformat(stored), format="medium", locale=t.locale)


def render_data_summary(t: Translator, export: dict[str, list[dict[str, Any]]]) -> str:
    users = export.get("users", [])
    if not users:
        return t.gettext("I store nothing about you right now.")
    user = users[0]
    reminder = (
        format_time(time.fromisoformat(user["reminder_time"]))
        if user["reminder_time"]
        else t.gettext("not set")
    )
    areas = [t.gettext(AREA_LABELS[Area(area)]) for area in user["focus_areas"] if area in AREAS]
    level = t.gettext(LEVELS.get(int(user["level"]), LEVELS[1]))
    counts = {
        "activity": len(export.get("activity", [])),
        "deliveries": len(export.get("deliveries", [])),
        "checks": len(export.get("checks", [])),
        "feedback": len(export.get("stretch_feedback", [])),
        "stopped": len(export.get("stopped_stretches", [])),
    }
    area_levels = user.get("area_levels") or {}
    lines = [
        t.gettext("<b>What I store about you</b>"),
        t.gettext("• Telegram user id: {id}").format(id=user["id"]),
        t.gettext("• Reminder: {time}, {days}, timezone {zone}").format(
            time=escape(reminder),
            days=escape(describe_days(t, user["reminder_days"])),
            zone=escape(str(user["timezone"])),
        ),
        t.gettext("• Focus areas: {areas}; stretches at a {level} level").format(
            areas=escape(", ".join(areas) or t.gettext("none")), level=escape(level)
        ),
        *(
            [
                t.gettext("• Your own level for some areas: {levels}").format(
                    levels=escape(_area_levels(t, area_levels))
                )
            ]
            if area_levels
            else []
        ),
        t.ngettext(
            "• How stretches felt: {n} answer (only Good, Too easy, Too hard or It hurt, and "
            "when; never where or how it hurt)",
            "• How stretches felt: {n} answers (only Good, Too easy, Too hard or It hurt, and "
            "when; never where or how it hurt)",
            counts["feedback"],
        ).format(n=counts["feedback"]),
        t.gettext("• Stretches left out because they hurt: {n} (see /stopped)").format(
            n=counts["stopped"]
        ),
        t.gettext("• Stretch safety answers: {answers}").format(
            answers=escape(describe_answers(t, _precautions(user)))
        ),
        t.gettext("• Left out because you can't or haven't got it: {needs}").format(
            needs=escape(describe_cannot(t, int(user.get("cannot") or 0)))
        ),
        t.gettext("• Language: {language}").format(language=escape(str(user["language"] or "-"))),
        t.gettext("• Weekly summary: {when}").format(when=escape(_weekly(t, user))),
        t.gettext("• Paused: {paused}; active: {active}").format(
            paused=_yes_no(t, user["paused"]), active=_yes_no(t, user["active"])
        ),
        t.ngettext(
            "• Activity log: {n} entry (stretches shown and done)",
            "• Activity log: {n} entries (stretches shown and done)",
            counts["activity"],
        ).format(n=counts["activity"]),
        t.ngettext(
            "• Guided sessions: {n} finished (each step done or skipped is in the file)",
            "• Guided sessions: {n} finished (each step done or skipped is in the file)",
            _sessions(export),
        ).format(n=_sessions(export)),
        *_in_progress(t, export),
        t.gettext("• Reminder deliveries: {n}").format(n=counts["deliveries"]),
        t.gettext(
            "• Red-flag checks: {n} (only the outcome, its time and a random check id; "
            "never your answers)"
        ).format(n=counts["checks"]),
        t.gettext("• First contact: {date}").format(date=escape(_when(t, user["created_at"]))),
        t.gettext("• Pain check-ins every two weeks: {on}").format(
            on=_yes_no(t, user.get("checkin_due_at"))
        ),
        render_checkin_history(t, _checkins(export)),
        "",
        t.gettext("The attached file holds all of it. Send /forget to delete everything."),
    ]
    return "\n".join(lines)


def _area_levels(t: Translator, levels: dict[str, int]) -> str:
    """{"glutes": 2} as "Glutes: moderate"."""
    return ", ".join(
        f"{t.gettext(AREA_LABELS[Area(area)])}: {t.gettext(LEVELS.get(int(level), LEVELS[1]))}"
        for area, level in sorted(levels.items())
        if area in AREAS
    )


def _sessions(export: dict[str, list[dict[str, Any]]]) -> int:
    return sum(row.get("kind") == "session" for row in export.get("activity", []))


def _in_progress(t: Translator, export: dict[str, list[dict[str, Any]]]) -> list[str]:
    """A session or hold timer running now, when there is one."""
    lines = []
    if export.get("guided_sessions"):
        lines.append(t.gettext("• A guided session in progress (its steps and how far you got)"))
    if export.get("timers"):
        lines.append(t.gettext("• A hold timer running (what it times and when it ends)"))
    return lines


def describe_cannot(t: Translator, code: int) -> str:
    cannot = cannot_of(code)
    chosen = [t.gettext(label) for need, label in NEED_LABELS.items() if need in cannot]
    return ", ".join(chosen) if chosen else t.gettext("nothing")


def _weekly(t: Translator, user: dict[str, Any]) -> str:
    """The weekly summary setting in words; exports from before it existed read as off."""
    weekly_time, reminder_time = user.get("weekly_time"), user.get("reminder_time")
    return describe_weekly(
        t,
        WeeklySettings(
            enabled=user.get("weekly_summary"),
            day=int(user.get("weekly_day", DEFAULT_DAY)),
            local_time=time.fromisoformat(weekly_time) if weekly_time else None,
            reminder_time=time.fromisoformat(reminder_time) if reminder_time else None,
            zone=str(user["timezone"]),
        ),
    )


def _checkins(export: dict[str, list[dict[str, Any]]]) -> list[tuple[date, PainAnswer]]:
    known = {answer.value for answer in PainAnswer}
    return [
        (date.fromisoformat(row["answered_on"]), PainAnswer(row["answer"]))
        for row in export.get("checkins", [])
        if row.get("answer") in known
    ]


def _precautions(user: dict[str, Any]) -> PrecautionAnswers:
    return PrecautionAnswers.stored(int(user.get("precaution_answers") or 0))


def export_file_bytes(export: dict[str, list[dict[str, Any]]]) -> bytes:
    """The export as JSON; the safety answers in words rather than as their stored code."""
    readable = {
        **export,
        "users": [
            {
                **user,
                "precaution_answers": exported_answers(_precautions(user)),
                "cannot": sorted(need.value for need in cannot_of(int(user.get("cannot") or 0))),
            }
            for user in export.get("users", [])
        ],
    }
    return json.dumps(readable, indent=2, ensure_ascii=False, sort_keys=True).encode()


FORGET_QUESTION = N_(
    "<b>Delete everything I store about you?</b>\n"
    "Your settings, safety answers, reminders, activity log, what you told me about how "
    "stretches felt, sessions and timers, pain check-ins and check outcomes will be gone "
    "for good. This cannot be undone."
)
FORGET_DONE = N_(
    "Done: everything I stored about you is deleted. "
    "If you write to me again I'll start fresh, as with a new user."
)
FORGET_CANCELLED = N_("Nothing was deleted.")
EXPORT_FILENAME = "limber-my-data.json"
EXPORT_CAPTION = N_("Everything Limber stores about you, as JSON.")
FORGET_EXPIRED = N_("This confirmation has expired: nothing was deleted. Send /forget again.")


def forget_keyboard(t: Translator, question_message_id: int) -> InlineKeyboardMarkup:
    confirm = encode(Action.FORGET_CONFIRM, str(question_message_id))
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t.gettext("🗑 Yes, delete everything"), callback_data=confirm),
                InlineKeyboardButton(
                    t.gettext("Keep my data"), callback_data=encode(Action.FORGET_CANCEL)
                ),
            ]
        ]
    )
