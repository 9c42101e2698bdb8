"""Telegram's side of the sandbox: chats, bot messages, callback queries, updates.

Plain in-memory state without HTTP: `methods.py` applies Bot API calls to it
and `server.py` exposes it to tests. Lookups are by chat and message id, so a
request costs the same with 10 or 100k messages already sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
from bisect import bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.formatting import ParsedText, utf16_len
from bot.sandbox.models import (
    CallbackAnswer,
    JSONDict,
    Keyboard,
    MessageKind,
    SentFile,
    SentMessage,
)
from bot.sandbox.updates import UpdateQueue


class Notifier:
    """Wakes test-side waiters when something they watch changes."""

    def __init__(self) -> None:
        self._waiters: dict[Hashable, list[asyncio.Future[None]]] = {}

    def notify(self, key: Hashable) -> None:
        for waiter in self._waiters.pop(key, ()):
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, key: Hashable, seconds: float | None) -> None:
        """Until `key` is notified or `seconds` pass, whichever comes first."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(key, []).append(waiter)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter, seconds)


@dataclass(slots=True)
class ChatState:
    """Everything the sandbox knows about one private chat."""

    chat_id: int
    chat: JSONDict  # the Chat object in updates and messages
    user: JSONDict  # the User object of the person on the other end
    blocked: bool = False
    next_message_id: int = 1
    messages: dict[int, SentMessage] = field(default_factory=dict)  # current, by id
    history: list[SentMessage] = field(default_factory=list)  # every send/edit, by seq
    deleted: list[int] = field(default_factory=list)
    user_message_ids: set[int] = field(default_factory=set)
    actions: list[str] = field(default_factory=list)
    user_mark: int = 0  # seq at the user's latest action: the default "replies after"

    def new_message_id(self) -> int:
        # User and bot messages share one counter, as in a real private chat.
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass(slots=True)
class PendingQuery:
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


def chat_key(chat_id: int) -> tuple[str, int]:
    """Notifier key for "a bot message event happened in this chat"."""
    return ("chat", chat_id)


def answer_key(query_id: str) -> tuple[str, str]:
    return ("answer", query_id)


class World:
    """The chats and everything in them."""

    def __init__(self, *, bot_user: JSONDict, clock: Callable[[], float]) -> None:
        self.bot_user = bot_user
        self._clock = clock
        self.notifier = Notifier()
        self.updates = UpdateQueue()
        self.chats: dict[int, ChatState] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.answers: dict[str, CallbackAnswer] = {}
        self.files: dict[str, SentFile] = {}
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.webhook_url = ""
        self.seq = 0  # orders every bot message event; tests use it as a mark
        self._ids = itertools.count(1)

    def now(self) -> int:
        return int(self._clock())

    def new_id(self) -> int:
        """Unique across the server: file ids, callback query ids."""
        return next(self._ids)

    # -- the bot's side ---------------------------------------------------------

    def record_sent(
        self,
        chat: ChatState,
        *,
        kind: MessageKind,
        parsed: ParsedText,
        raw_text: str | None,
        parse_mode: str | None,
        markup: JSONDict | None,
        keyboard: Keyboard,
        file: SentFile | None = None,
    ) -> SentMessage:
        self.seq += 1
        message = SentMessage(
            seq=self.seq,
            chat_id=chat.chat_id,
            message_id=chat.new_message_id(),
            action="sent",
            kind=kind,
            text=parsed.text,
            raw_text=raw_text,
            parse_mode=parse_mode,
            date=self.now(),
            entities=parsed.entities,
            reply_markup=markup,
            keyboard=keyboard,
            file=file,
        )
        self._remember(chat, message)
        return message

    def record_edit(self, chat: ChatState, old: SentMessage, **changes: Any) -> SentMessage:
        self.seq += 1
        message = dataclasses.replace(
            old, seq=self.seq, action="edited", edit_date=self.now(), **changes
        )
        self._remember(chat, message)
        return message

    def _remember(self, chat: ChatState, message: SentMessage) -> None:
        chat.messages[message.message_id] = message
        chat.history.append(message)
        self.notifier.notify(chat_key(chat.chat_id))

    def record_answer(self, answer: CallbackAnswer) -> None:
        self.answers[answer.query_id] = answer
        self.notifier.notify(answer_key(answer.query_id))

    def events_after(self, chat_id: int, since: int) -> list[SentMessage]:
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return chat.history[bisect_right(chat.history, since, key=lambda m: m.seq) :]

    def message_json(self, chat: ChatState, message: SentMessage) -> JSONDict:
        """The Message object Telegram would return for this version of the message."""
        body: JSONDict = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.chat,
            "date": message.date,
        }
        if message.edit_date is not None:
            body["edit_date"] = message.edit_date
        text_key, entities_key = (
            ("text", "entities") if message.kind == "text" else ("caption", "caption_entities")
        )
        if message.text:
            body[text_key] = message.text
        if message.entities:
            body[entities_key] = list(message.entities)
        if message.file is not None:
            body[message.kind] = _file_json(message.kind, message.file)
        if message.keyboard and message.reply_markup is not None:
            # Echo the bot's own button objects so extra fields (web_app, ...) survive.
            body["reply_markup"] = {"inline_keyboard": message.reply_markup["inline_keyboard"]}
        return body

    # -- the user's side --------------------------------------------------------

    def chat(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "en",
        username: str | None = None,
    ) -> ChatState:
        """The chat, created on first contact; later calls keep the first user details."""
        chat = self.chats.get(chat_id)
        if chat is None:
            user: JSONDict = {"id": user_id or chat_id, "is_bot": False, "first_name": first_name}
            chat_json: JSONDict = {"id": chat_id, "type": "private", "first_name": first_name}
            if username:
                user["username"] = chat_json["username"] = username
            if language_code:
                user["language_code"] = language_code
            chat = self.chats[chat_id] = ChatState(chat_id, chat_json, user)
        return chat

    def known_chat(self, chat_id: int) -> ChatState:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"chat {chat_id} does not exist yet; send a user message first")
        return chat

    def user_message(self, chat: ChatState, content: JSONDict) -> JSONDict:
        """Queue a `message` update from the user; returns the update."""
        message_id = chat.new_message_id()
        chat.user_message_ids.add(message_id)
        chat.user_mark = self.seq
        message = {
            "message_id": message_id,
            "from": chat.user,
            "chat": chat.chat,
            "date": self.now(),
            **content,
        }
        return self.updates.push("message", message)

    def user_text(self, chat: ChatState, text: str) -> JSONDict:
        content: JSONDict = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        return self.user_message(chat, content)

    def press(self, chat: ChatState, message: SentMessage, data: str) -> str:
        """Queue a `callback_query` update for a bot message; returns the query id."""
        query_id = str(self.new_id())
        self.queries[query_id] = PendingQuery(chat.chat_id, message.message_id, data)
        chat.user_mark = self.seq
        query = {
            "id": query_id,
            "from": chat.user,
            "message": self.message_json(chat, message),
            "chat_instance": str(chat.chat_id),
            "data": data,
        }
        self.updates.push("callback_query", query)
        return query_id

    def set_blocked(self, chat: ChatState, blocked: bool) -> JSONDict:
        """Block or unblock the bot; queues the `my_chat_member` update Telegram sends."""
        chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        change = {
            "chat": chat.chat,
            "from": chat.user,
            "date": self.now(),
            "old_chat_member": self._member(old),
            "new_chat_member": self._member(new),
        }
        return self.updates.push("my_chat_member", change)

    def _member(self, status: str) -> JSONDict:
        body: JSONDict = {"status": status, "user": self.bot_user}
        if status == "kicked":
            body["until_date"] = 0  # banned forever, as a block is
        return body


def command_entities(text: str) -> list[JSONDict]:
    """A bot_command entity for a leading /command, as Telegram adds it."""
    if not text.startswith("/") or len(text) < 2:
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


def _file_json(kind: MessageKind, sent: SentFile) -> JSONDict | list[JSONDict]:
    common: JSONDict = {
        "file_id": sent.file_id,
        "file_unique_id": f"unique-{sent.file_id}",
        "file_size": sent.size,
    }
    if kind == "photo":
        # The sandbox does not decode images; clients only need the fields to exist.
        return [{**common, "width": 0, "height": 0}]
    document = {**common, "mime_type": sent.mime_type or "application/octet-stream"}
    if sent.filename:
        document["file_name"] = sent.filename
    return document
