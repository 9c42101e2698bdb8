"""The notice admins get about an error: its kind and where, never anything about the user."""

from __future__ import annotations

from bot.domain.notices import NOTICE_WINDOW_SECONDS
from bot.render.i18n import Translator


def render_error_notice(t: Translator, update_id: int | None, kind: str, held_back: int) -> str:
    if update_id is not None:
        notice = t.gettext("⚠️ Limber error while handling update {update_id}: {kind}")
    else:
        notice = t.gettext("⚠️ Limber error in a background job: {kind}")
    notice = notice.format(update_id=update_id, kind=kind)
    if held_back:
        minutes = round(NOTICE_WINDOW_SECONDS / 60)
        notice += "\n" + t.ngettext(
            "(Since the last notice: {n} more {kind} error, not reported one by one; at most "
            "one notice per kind every {minutes} minutes.)",
            "(Since the last notice: {n} more {kind} errors, not reported one by one; at most "
            "one notice per kind every {minutes} minutes.)",
            held_back,
        ).format(n=held_back, kind=kind, minutes=minutes)
    return notice
