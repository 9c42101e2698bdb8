"""/progress in words: the photo's caption, the text version with every fact the picture
shows, and their buttons."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.progress import WEEKS, Progress
from bot.render.callbacks import Action, encode
from bot.render.i18n import Translator, text
from bot.render.progress_picture import FORGIVEN, NOTHING_YET, describe_hold
from bot.render.settings import AREA_LABELS


def render_streaks(t: Translator, progress: Progress) -> str:
    """ "🔥 Current streak: 5 days · best: 12 days" """
    current, best = progress.streaks.current, progress.streaks.best
    return t.gettext("🔥 Current streak: <b>{current}</b> · best: <b>{best}</b>").format(
        current=t.ngettext("{n} day", "{n} days", current).format(n=current),
        best=t.ngettext("{n} day", "{n} days", best).format(n=best),
    )


def render_progress_caption(t: Translator, progress: Progress) -> str:
    """The photo's caption: the streaks, and where the full text is."""
    lines = [
        t.gettext("<b>📈 Your progress</b>"),
        render_streaks(t, progress),
        "<i>" + escape(text(t, FORGIVEN)) + "</i>",
    ]
    if progress.total == 0:
        lines.append(escape(text(t, NOTHING_YET)))
    return "\n".join(lines)


def render_progress_text(t: Translator, progress: Progress) -> str:
    """Everything the picture shows, in words (for screen readers, and anyone who prefers it)."""
    lines = [
        t.ngettext(
            "<b>📈 Your progress: the last {weeks} week</b>",
            "<b>📈 Your progress: the last {weeks} weeks</b>",
            WEEKS,
        ).format(weeks=WEEKS),
        t.ngettext(
            "Days with a stretch: <b>{days}</b> of {total}",
            "Days with a stretch: <b>{days}</b> of {total}",
            progress.active_days,
        ).format(days=progress.active_days, total=len(progress.days)),
        t.gettext("Stretches done: <b>{count}</b>").format(count=progress.total),
        t.gettext("This week: {days} days; the week before: {before}").format(
            days=progress.this_week, before=progress.week_before
        ),
        render_streaks(t, progress),
        "<i>" + escape(text(t, FORGIVEN)) + "</i>",
    ]
    if progress.areas:
        lines += ["", t.gettext("<b>Per body area</b>")]
        lines += [
            f"• {escape(t.gettext(AREA_LABELS[area]))}: {count}" for area, count in progress.areas
        ]
    if progress.holds:
        lines += ["", t.gettext("<b>Longest holds</b>")]
        lines += [
            "• " + escape(describe_hold(t, hold.name, hold.seconds, hold.times))
            for hold in progress.holds
        ]
    if progress.total == 0:
        lines += ["", escape(text(t, NOTHING_YET))]
    return "\n".join(lines)


def text_version_button(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("📝 Text version"), callback_data=encode(Action.PROGRESS_TEXT)
    )


def progress_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [text_version_button(t)],
            [
                InlineKeyboardButton(
                    t.gettext("🧘 Stretch now"), callback_data=encode(Action.STRETCH_NOW)
                )
            ],
        ]
    )
