"""The notice admins get about an error: its kind and where, never anything about the user."""

from __future__ import annotations

from bot.domain.notices import NOTICE_WINDOW_SECONDS


def render_error_notice(update_id: int | None, kind: str, held_back: int) -> str:
    where = f"while handling update {update_id}" if update_id is not None else "in a background job"
    notice = f"⚠️ Limber error {where}: {kind}"
    if held_back:
        minutes = round(NOTICE_WINDOW_SECONDS / 60)
        more = "error" if held_back == 1 else "errors"
        notice += (
            f"\n(Since the last notice: {held_back} more {kind} {more}, not reported one by one; "
            f"at most one notice per kind every {minutes} minutes.)"
        )
    return notice
