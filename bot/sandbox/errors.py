"""Bot API errors in Telegram's own envelope, so clients map them as in production."""

from __future__ import annotations

from typing import Any

BLOCKED_DESCRIPTION = "Forbidden: bot was blocked by the user"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


# Telegram's 403 for a bot that can no longer write to a chat, by chat type.
_FORBIDDEN = {
    "private": BLOCKED_DESCRIPTION,
    "group": "Forbidden: bot was kicked from the group chat",
    "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    "channel": "Forbidden: bot is not a member of the channel chat",
}


def forbidden_description(chat_type: str) -> str:
    return _FORBIDDEN[chat_type]


class ApiError(Exception):
    """An error response: HTTP status, Telegram description and optional parameters."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        # PTB turns `parameters.retry_after` into RetryAfter; without it a 429
        # would surface as a generic NetworkError.
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def default_description(status: int, retry_after: int | None) -> str:
    """Telegram's usual wording for a status, for injected faults."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: BLOCKED_DESCRIPTION,
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }.get(status, f"Error {status}")
