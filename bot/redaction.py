"""Keeping secrets out of what the bot prints: the bot token, in any form, and the webhook
secret. One filter on every log handler, and one function for the few places that print or
raise text themselves (the transport's errors, the CLI's last words).

The token reaches text through URLs (``.../bot<token>/getMe`` in aiohttp's connect-timeout
message), through PTB (``InvalidToken`` quotes it) and through anything that formats those.
Anything token-shaped is redacted, so a second token (or an old one) is hidden too; the
configured secrets are redacted by value, whatever their shape.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[REDACTED]"

# A bot token is "<bot id>:<35 characters>"; in URLs it follows "/bot" (also "/file/bot").
_TOKEN_SHAPED = re.compile(r"(?<![0-9])[0-9]{5,}:[A-Za-z0-9_-]{30,}")
_TOKEN_IN_URL = re.compile(r"(/bot)[0-9]+:[^/\s?#'\"]+")
# Shorter values would redact ordinary words; a real token or secret is far longer.
_MIN_SECRET_LENGTH = 8
_secrets: set[str] = set()


def register_secrets(values: Iterable[str | None]) -> None:
    """Redact these exact values too, from now on (the configured token and webhook secret)."""
    for value in values:
        if value and len(value) >= _MIN_SECRET_LENGTH:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every secret replaced by ``[REDACTED]``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _TOKEN_IN_URL.sub(rf"\1{REDACTED}", text)
    return _TOKEN_SHAPED.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Redacts a record's message (with its ``args``), exception text and stack before any
    formatter sees them. Installed on handlers, so it covers every logger, ours and libraries'.

    The record is rewritten in place: ``msg`` becomes the final text and ``args`` empty, and the
    exception is rendered once into ``exc_text`` (``exc_info`` is dropped, so no formatter can
    render the original again).
    """

    def __init__(self) -> None:
        super().__init__()
        self._renderer = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self._renderer.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
