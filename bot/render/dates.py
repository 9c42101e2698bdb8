"""Days and times in words, in the user's language (Babel's day and month names)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names

from bot.domain.schedule import EVERY_DAY, NO_DAYS, WEEKDAYS, WEEKENDS, format_clock, validate_days
from bot.render.i18n import N_, Translator

NAMED_DAY_SETS = {
    EVERY_DAY: N_("Every day"),
    WEEKDAYS: N_("Weekdays"),
    WEEKENDS: N_("Weekends"),
    NO_DAYS: N_("No days"),
}


def day_names(t: Translator) -> list[str]:
    """Short weekday names, Monday first ("Mon" ... "Sun" in English)."""
    names = get_day_names("abbreviated", locale=t.locale)
    return [str(names[weekday]) for weekday in range(7)]


def describe_days(t: Translator, days: int) -> str:
    """ "Every day", "Weekdays", "Weekends", "No days" or "Mon, Wed, Fri"."""
    named = NAMED_DAY_SETS.get(validate_days(days))
    if named is not None:
        return t.gettext(named)
    return ", ".join(name for bit, name in enumerate(day_names(t)) if days & (1 << bit))


def describe_next(t: Translator, due_utc: datetime, tz: ZoneInfo, now: datetime) -> str:
    """Short local description of a due instant relative to ``now``.

    "today 07:30", "tomorrow 07:30", "Wed 07:30" (2-6 days ahead), otherwise "Mon 14 Jul 07:30"
    (a week or more ahead, or in the past) so a weekday name is never ambiguous. Lower-case
    "today"/"tomorrow" reads naturally after "Next reminder: ".
    """
    local_due = due_utc.astimezone(tz)
    days_ahead = (local_due.date() - now.astimezone(tz).date()).days
    clock = format_clock(local_due)
    if days_ahead == 0:
        return t.gettext("today {clock}").format(clock=clock)
    if days_ahead == 1:
        return t.gettext("tomorrow {clock}").format(clock=clock)
    weekday = day_names(t)[local_due.weekday()]
    if 2 <= days_ahead <= 6:
        return t.gettext("{weekday} {clock}").format(weekday=weekday, clock=clock)
    month = str(get_month_names("abbreviated", locale=t.locale)[local_due.month])
    return t.gettext("{weekday} {day} {month} {clock}").format(
        weekday=weekday, day=local_due.day, month=month, clock=clock
    )
