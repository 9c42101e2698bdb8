"""What the fake Bot API records, in a shape tests can assert on directly, and the
people tests put in its chats.

Everything here is an immutable snapshot: an edit produces a new `SentMessage`
rather than mutating the old one, so a test holding an earlier reply still sees
what the user saw at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

JSONDict = dict[str, Any]

MessageKind = Literal["text", "photo", "document", "animation"]
MessageAction = Literal["sent", "edited"]
ChatType = Literal["private", "group", "supergroup", "channel"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FakeUser:
    """A Telegram account that writes or presses buttons in a group, supergroup or channel."""

    id: int
    first_name: str = "Test"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_json(self) -> JSONDict:
        """The User object, with only the optional fields that are set (as Telegram sends it)."""
        body: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if (value := getattr(self, key)) is not None:
                body[key] = value
        return body


# The account Telegram shows as the author of every message an anonymous group admin sends;
# the group itself is then the message's `sender_chat`.
GROUP_ANONYMOUS_BOT = FakeUser(
    id=1087968824,
    first_name="Group",
    username="GroupAnonymousBot",
    language_code=None,
    is_bot=True,
)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request, exactly as the client uploaded it."""

    filename: str | None
    content: bytes
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class InlineButton:
    """One inline keyboard button; only the fields a chat test cares about."""

    text: str
    callback_data: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[InlineButton, ...], ...]


@dataclass(frozen=True, slots=True)
class SentFile:
    """A photo, animation or document the bot sent; `content` is None when sent by URL.
    `kind` is what Telegram stored it as: its file id can be resent only as that kind."""

    file_id: str
    filename: str | None
    content: bytes | None
    mime_type: str | None = None
    url: str | None = None
    kind: MessageKind = "document"
    width: int = 0
    height: int = 0
    duration: int = 0

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SentMessage:
    """One version of a bot message: the state right after a send or an edit.

    `text` is what the user sees (message text, or the caption of a photo or
    document): HTML tags stripped and entities decoded. `raw_text` is what the
    bot passed to the API.
    """

    seq: int
    chat_id: int
    message_id: int
    action: MessageAction
    kind: MessageKind
    text: str
    raw_text: str | None
    parse_mode: str | None
    date: int
    entities: tuple[JSONDict, ...] = ()
    reply_markup: JSONDict | None = None
    keyboard: Keyboard = ()
    file: SentFile | None = None
    edit_date: int | None = None

    @property
    def buttons(self) -> list[InlineButton]:
        """All inline buttons, row by row, in the order the terminal numbers them."""
        return [button for row in self.keyboard for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [button.text for button in self.buttons]

    @property
    def keyboard_pairs(self) -> list[list[tuple[str, str | None]]]:
        """The inline keyboard as rows of (text, callback_data)."""
        return [[(b.text, b.callback_data) for b in row] for row in self.keyboard]

    def button(self, text: str) -> InlineButton:
        """The button labelled `text`; KeyError lists the labels that do exist."""
        for candidate in self.buttons:
            if candidate.text == text:
                return candidate
        raise KeyError(f"no button {text!r} in message {self.message_id}: {self.button_texts}")


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery for one pressed button."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None = None
    cache_time: int | None = None


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """One callback query the sandbox delivered: which button, where, and by whom."""

    query_id: str
    chat_id: int
    message_id: int
    data: str
    user_id: int


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request as the server understood it, including rejected ones."""

    seq: int
    method: str
    params: JSONDict
    status: int
    description: str | None = None
    at: float = 0.0  # when it was answered, time.monotonic() of the sandbox

    @property
    def ok(self) -> bool:
        return self.status == 200
