"""Reply markup validation with Telegram's limits and error texts."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.models import InlineButton, Keyboard

MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100

# Exactly one of these makes an inline button do something.
_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def parse_reply_markup(markup: dict[str, Any] | None, *, inline_only: bool) -> Keyboard:
    """Validate any reply markup; return the inline keyboard rows (empty otherwise).

    Edits accept only inline keyboards, hence `inline_only`.
    """
    if markup is None:
        return ()
    if "inline_keyboard" in markup:
        return _inline_keyboard(markup["inline_keyboard"])
    if inline_only or not any(
        key in markup for key in ("keyboard", "remove_keyboard", "force_reply")
    ):
        raise bad_request("can't parse inline keyboard markup JSON object")
    return ()


def _inline_keyboard(rows: Any) -> Keyboard:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    return tuple(tuple(_button(raw) for raw in row) for row in rows)


def _button(raw: Any) -> InlineButton:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [key for key in _ACTIONS if key in raw]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    callback_data = raw.get("callback_data")
    if callback_data is not None:
        if not isinstance(callback_data, str):
            raise bad_request("BUTTON_DATA_INVALID")
        size = len(callback_data.encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise bad_request("BUTTON_URL_INVALID")
    return InlineButton(text=raw["text"], callback_data=callback_data, url=url)
