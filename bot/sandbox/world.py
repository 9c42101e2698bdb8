"""Telegram's side of the sandbox: chats (private, group, supergroup, channel), bot
messages, callback queries, updates.

Plain in-memory state without HTTP: `methods.py` applies Bot API calls to it
and `server.py` exposes it to tests. Lookups are by chat and message id, so a
request costs the same with 10 or 100k messages already sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.formatting import ParsedText, utf16_len
from bot.sandbox.models import (
    GROUP_ANONYMOUS_BOT,
    ButtonPress,
    CallbackAnswer,
    ChatType,
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
class UserMessage:
    """What the sandbox keeps of a message from the other side: enough to edit it later."""

    sender: JSONDict | None  # `from`; None for a channel post
    sender_chat: JSONDict | None  # the group for an anonymous admin, the channel for a post
    date: int
    text: str | None  # None for non-text messages (a location), which cannot be edited


@dataclass(slots=True)
class ChatState:
    """Everything the sandbox knows about one chat: private, group, supergroup or channel."""

    chat_id: int
    chat: JSONDict  # the Chat object in updates and messages
    user: JSONDict | None  # the person on the other end of a private chat; None elsewhere
    blocked: bool = False  # private: the user blocked the bot; elsewhere: the bot was removed
    next_message_id: int = 1
    messages: dict[int, SentMessage] = field(default_factory=dict)  # current, by id
    history: list[SentMessage] = field(default_factory=list)  # every send/edit, by seq
    deleted: list[int] = field(default_factory=list)
    user_messages: dict[int, UserMessage] = field(default_factory=dict)  # by id
    actions: list[str] = field(default_factory=list)
    user_mark: int = 0  # seq at the user's latest action: the default "replies after"

    @property
    def type(self) -> ChatType:
        chat_type: ChatType = self.chat["type"]
        return chat_type

    @property
    def private_user(self) -> JSONDict:
        """The user of a private chat; in other chats every action must name its author."""
        if self.user is None:
            raise ValueError(f"chat {self.chat_id} is a {self.type} chat: say which user acts")
        return self.user

    def new_message_id(self) -> int:
        # User and bot messages share one counter, as in a real chat.
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass(slots=True)
class PendingQuery:
    chat_id: int
    message_id: int
    data: str
    user_id: int
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

    def instant(self) -> float:
        """The sandbox clock with its fraction: when a call arrived (Telegram's dates are
        whole seconds, spacing checks need better)."""
        return self._clock()

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
        body: JSONDict = {"message_id": message.message_id}
        if chat.type == "channel":
            body["sender_chat"] = chat.chat  # channel posts are signed by the channel
        else:
            body["from"] = self.bot_user
        body["chat"] = chat.chat
        body["date"] = message.date
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
            if message.kind == "animation":  # Telegram sets both, for older clients
                body["document"] = _file_json("document", message.file)
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

    def new_chat(
        self, chat_type: ChatType, *, title: str, chat_id: int | None, username: str | None
    ) -> ChatState:
        """A group, supergroup or channel with the bot in it (no update: it joined earlier)."""
        if chat_type == "private":
            raise ValueError("private chats start with the user's first message")
        if chat_id is None:
            chat_id = next(i for i in _free_ids(chat_type) if i not in self.chats)
        elif not _is_id_of(chat_type, chat_id):
            raise ValueError(f"{chat_id} is not a {chat_type} id ({_ID_SHAPES[chat_type]})")
        elif chat_id in self.chats:
            raise ValueError(f"chat {chat_id} already exists")
        chat_json: JSONDict = {"id": chat_id, "type": chat_type, "title": title}
        if username:
            chat_json["username"] = username
        chat = self.chats[chat_id] = ChatState(chat_id, chat_json, None)
        return chat

    def chat_by_username(self, username: str) -> ChatState | None:
        """A public supergroup or channel, for `chat_id="@username"` (rare: a linear scan)."""
        name = username.removeprefix("@").lower()
        return next(
            (c for c in self.chats.values() if str(c.chat.get("username", "")).lower() == name),
            None,
        )

    def known_chat(self, chat_id: int) -> ChatState:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"chat {chat_id} does not exist yet; send a user message first")
        return chat

    def user_message(
        self,
        chat: ChatState,
        content: JSONDict,
        *,
        sender: JSONDict | None = None,
        sender_chat: JSONDict | None = None,
    ) -> JSONDict:
        """Queue a message from the other side; returns the update.

        The author is the private chat's user unless `sender` (a group member) or
        `sender_chat` (an anonymous admin's group, a channel) says otherwise.
        """
        if sender is None and sender_chat is None:
            sender = chat.private_user
        message_id = chat.new_message_id()
        record = UserMessage(sender, sender_chat, self.now(), content.get("text"))
        chat.user_messages[message_id] = record
        chat.user_mark = self.seq
        kind = "channel_post" if chat.type == "channel" else "message"
        return self.updates.push(kind, _incoming_json(chat, message_id, record, content))

    def user_text(
        self,
        chat: ChatState,
        text: str,
        *,
        sender: JSONDict | None = None,
        sender_chat: JSONDict | None = None,
    ) -> JSONDict:
        return self.user_message(chat, _text_content(text), sender=sender, sender_chat=sender_chat)

    def member_text(self, chat: ChatState, member: JSONDict, text: str) -> JSONDict:
        """A member writes in a group; an anonymous admin writes in the group's name."""
        if chat.type not in ("group", "supergroup"):
            raise ValueError(f"chat {chat.chat_id} is a {chat.type} chat, not a group")
        self._require_member(chat)
        anonymous = member["id"] == GROUP_ANONYMOUS_BOT.id
        return self.user_text(
            chat, text, sender=member, sender_chat=chat.chat if anonymous else None
        )

    def channel_post(self, chat: ChatState, text: str) -> JSONDict:
        if chat.type != "channel":
            raise ValueError(f"chat {chat.chat_id} is a {chat.type} chat, not a channel")
        self._require_member(chat)
        return self.user_text(chat, text, sender_chat=chat.chat)

    def edit_user_text(self, chat: ChatState, message_id: int, text: str) -> JSONDict:
        """The author edits an earlier text message: `edited_message` or `edited_channel_post`."""
        record = chat.user_messages.get(message_id)
        if record is None or record.text is None:
            raise ValueError(f"chat {chat.chat_id} has no user text message {message_id} to edit")
        self._require_member(chat)
        record.text = text
        chat.user_mark = self.seq
        message = _incoming_json(chat, message_id, record, _text_content(text))
        message["edit_date"] = self.now()
        kind = "edited_channel_post" if chat.type == "channel" else "edited_message"
        return self.updates.push(kind, message)

    def press(
        self, chat: ChatState, message: SentMessage, data: str, *, user: JSONDict | None = None
    ) -> str:
        """Queue a `callback_query` update for a bot message; returns the query id.

        The presser is the private chat's user unless `user` names a group member.
        """
        presser = user or chat.private_user
        self._require_member(chat)
        query_id = str(self.new_id())
        self.queries[query_id] = PendingQuery(chat.chat_id, message.message_id, data, presser["id"])
        chat.user_mark = self.seq
        query = {
            "id": query_id,
            "from": presser,
            "message": self.message_json(chat, message),
            "chat_instance": str(chat.chat_id),
            "data": data,
        }
        self.updates.push("callback_query", query)
        return query_id

    def set_blocked(self, chat: ChatState, blocked: bool) -> JSONDict:
        """Block or unblock the bot; queues the `my_chat_member` update Telegram sends."""
        user = chat.private_user
        chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        return self._membership_update(chat, user, self._member(old), self._member(new))

    def set_bot_in_chat(self, chat: ChatState, present: bool, *, by: JSONDict) -> JSONDict:
        """`by` adds the bot to a group or channel, or removes it; returns `my_chat_member`.

        A group also gets the service message announcing the bot, as Telegram sends both.
        """
        if chat.type == "private":
            raise ValueError("in a private chat the user blocks or unblocks the bot")
        # Removal from a basic group leaves; elsewhere it bans (Telegram's "kicked").
        gone = self._member("left" if chat.type == "group" else "kicked")
        inside = self._administrator() if chat.type == "channel" else self._member("member")
        old, new = (gone, inside) if present else (inside, gone)
        if present and not chat.blocked:
            old = self._member("left")  # registered silently before: this is its arrival
        chat.blocked = not present
        update = self._membership_update(chat, by, old, new)
        if present and chat.type != "channel":
            self.user_message(chat, {"new_chat_members": [self.bot_user]}, sender=by)
        return update

    def unanswered_presses(self) -> list[ButtonPress]:
        return [
            ButtonPress(query_id, q.chat_id, q.message_id, q.data, q.user_id)
            for query_id, q in self.queries.items()
            if not q.answered
        ]

    def _require_member(self, chat: ChatState) -> None:
        if chat.blocked and chat.type != "private":
            raise ValueError(f"the bot is not in chat {chat.chat_id}: Telegram delivers nothing")

    def _membership_update(
        self, chat: ChatState, by: JSONDict, old: JSONDict, new: JSONDict
    ) -> JSONDict:
        change = {
            "chat": chat.chat,
            "from": by,
            "date": self.now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self.updates.push("my_chat_member", change)

    def _member(self, status: str) -> JSONDict:
        body: JSONDict = {"status": status, "user": self.bot_user}
        if status == "kicked":
            body["until_date"] = 0  # banned forever, as a block is
        return body

    def _administrator(self) -> JSONDict:
        """A bot joins a channel only as an admin that may post and edit there."""
        rights = dict.fromkeys(_ADMIN_RIGHTS, False)
        rights.update(can_manage_chat=True, can_post_messages=True, can_edit_messages=True)
        return {"status": "administrator", "user": self.bot_user, **rights}


# The rights ChatMemberAdministrator must always list, besides the two channel ones.
_ADMIN_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)

# Supergroup and channel ids are -100 followed by the channel's own id (Bot API docs).
_CHANNEL_ID_OFFSET = -1_000_000_000_000
_ID_SHAPES: dict[ChatType, str] = {
    "group": f"negative, above {_CHANNEL_ID_OFFSET}",
    "supergroup": f"-100 followed by the channel id, below {_CHANNEL_ID_OFFSET}",
    "channel": f"-100 followed by the channel id, below {_CHANNEL_ID_OFFSET}",
}


def _is_id_of(chat_type: ChatType, chat_id: int) -> bool:
    if chat_type == "group":
        return _CHANNEL_ID_OFFSET < chat_id < 0
    return chat_id < _CHANNEL_ID_OFFSET


def _free_ids(chat_type: ChatType) -> Iterator[int]:
    """Ids that look like Telegram's: -4xxxxxxxxx for groups, -100xxxxxxxxxx otherwise."""
    base = -4_000_000_000 if chat_type == "group" else _CHANNEL_ID_OFFSET - 2_000_000_000
    return (base - n for n in itertools.count(1))


def _incoming_json(
    chat: ChatState, message_id: int, record: UserMessage, content: JSONDict
) -> JSONDict:
    message: JSONDict = {"message_id": message_id}
    if record.sender is not None:
        message["from"] = record.sender
    if record.sender_chat is not None:
        message["sender_chat"] = record.sender_chat
    return {**message, "chat": chat.chat, "date": record.date, **content}


def _text_content(text: str) -> JSONDict:
    content: JSONDict = {"text": text}
    if entities := command_entities(text):
        content["entities"] = entities
    return content


# tdlib's rule: "/" and 1-64 of [A-Za-z0-9_], optionally "@" and a 3-32 character username,
# with no word character, "/", "<" or ">" right before or after.
_COMMAND_AT = re.compile(r"/([A-Za-z0-9_]*)(?:@([A-Za-z0-9_]*))?")


def _glued(char: str) -> bool:
    return char.isalnum() or char in "_/<>"


def command_entities(text: str) -> list[JSONDict]:
    """The bot_command entities Telegram adds to a user's text, wherever the commands are."""
    entities: list[JSONDict] = []
    position = 0
    while (start := text.find("/", position)) >= 0:
        match = _COMMAND_AT.match(text, start)
        assert match is not None  # the pattern matches any "/"
        position = match.end()
        name, mention = match.groups()
        if start > 0 and _glued(text[start - 1]):
            continue
        if not 1 <= len(name) <= 64 or (mention is not None and not 3 <= len(mention) <= 32):
            continue
        if match.end() < len(text) and _glued(text[match.end()]):
            continue
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[:start]),
                "length": match.end() - start,  # ASCII only: UTF-16 length is len()
            }
        )
    return entities


def _file_json(kind: MessageKind, sent: SentFile) -> JSONDict | list[JSONDict]:
    common: JSONDict = {
        "file_id": sent.file_id,
        "file_unique_id": f"unique-{sent.file_id}",
        "file_size": sent.size,
    }
    if kind == "photo":
        return [{**common, "width": sent.width, "height": sent.height}]
    document = {**common, "mime_type": sent.mime_type or "application/octet-stream"}
    if sent.filename:
        document["file_name"] = sent.filename
    if kind == "animation":
        return {**document, "width": sent.width, "height": sent.height, "duration": sent.duration}
    return document
