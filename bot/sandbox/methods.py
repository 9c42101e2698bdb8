"""What each Bot API method does to the sandbox world, with Telegram's refusals."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.sandbox.errors import (
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    bad_request,
    forbidden_description,
)
from bot.sandbox.formatting import EntityParseError, ParsedText, parse_html
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.media import inspect_animation, inspect_photo, photo_fits
from bot.sandbox.models import (
    CallbackAnswer,
    JSONDict,
    Keyboard,
    MessageKind,
    SentFile,
    SentMessage,
    UploadedFile,
)
from bot.sandbox.spec import (
    MethodSpec,
    coerce_array,
    coerce_boolean,
    coerce_file_or_string,
    coerce_integer,
    coerce_integer_or_string,
    coerce_object,
    coerce_string,
    missing_parameter,
)
from bot.sandbox.world import ChatState, World

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)

T = TypeVar("T")


@dataclass(slots=True)
class Args:
    """One request's parameters with typed access.

    With the spec loaded, values are already coerced and `opt` is a cheap
    isinstance check; without the spec, the coercion happens here.
    """

    method: str
    params: JSONDict
    attachments: dict[str, UploadedFile] = field(default_factory=dict)
    spec: MethodSpec | None = None

    def opt(self, name: str, coerce: Callable[[str, Any], T]) -> T | None:
        value = self.params.get(name)
        return None if value is None else coerce(name, value)

    def req(self, name: str, coerce: Callable[[str, Any], T]) -> T:
        value = self.opt(name, coerce)
        if value is None:
            raise missing_parameter(name)
        return value


Handler = Callable[[Args], Awaitable[Any]]


class BotApiMethods:
    """Handlers by Bot API method name; each returns the `result` or raises ApiError."""

    def __init__(
        self, world: World, *, strict_html: bool, auto_register_chats: bool = False
    ) -> None:
        self.world = world
        self.strict_html = strict_html
        self.auto_register_chats = auto_register_chats

    def table(self) -> dict[str, Handler]:
        return {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendPhoto": self.send_photo,
            "sendAnimation": self.send_animation,
            "sendDocument": self.send_document,
            "sendChatAction": self.send_chat_action,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "close": self.always_true,
            "logOut": self.always_true,
        }

    async def generic(self, args: Args) -> bool:
        """Spec methods without a handler: accepted if Telegram would just say `true`.

        Setters like setMyDescription or setChatMenuButton then work; anything
        returning an object would need a real implementation to be useful.
        """
        if args.spec is None or not args.spec.returns_boolean:
            raise bad_request(f"method {args.method} is not implemented by the sandbox")
        if "chat_id" in args.params:
            self._target_chat(args)  # "chat not found" and blocked users apply here too
        return True

    async def always_true(self, args: Args) -> bool:
        return True

    async def get_me(self, args: Args) -> JSONDict:
        return {
            **self.world.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, args: Args) -> list[JSONDict]:
        if self.world.webhook_url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        return await self.world.updates.poll(
            offset=args.opt("offset", coerce_integer),
            limit=args.opt("limit", coerce_integer) or 100,
            wait_seconds=args.opt("timeout", coerce_integer) or 0,
            allowed_updates=args.opt("allowed_updates", coerce_array),
        )

    # -- sending ----------------------------------------------------------------

    async def send_message(self, args: Args) -> JSONDict:
        chat = self._target_chat(args)
        raw_text = args.opt("text", coerce_string) or ""
        parsed = self._message_text(args, raw_text)
        markup, keyboard = self._reply_markup(args, inline_only=False)
        message = self.world.record_sent(
            chat,
            kind="text",
            parsed=parsed,
            raw_text=raw_text,
            parse_mode=args.opt("parse_mode", coerce_string) or None,
            markup=markup,
            keyboard=keyboard,
        )
        return self.world.message_json(chat, message)

    async def send_photo(self, args: Args) -> JSONDict:
        return self._send_media(args, "photo")

    async def send_document(self, args: Args) -> JSONDict:
        return self._send_media(args, "document")

    async def send_animation(self, args: Args) -> JSONDict:
        return self._send_media(args, "animation")

    def _send_media(self, args: Args, kind: MessageKind) -> JSONDict:
        chat = self._target_chat(args)
        sent_file = self._input_file(args, kind)
        kind = sent_file.kind  # an upload Telegram cannot play as an animation is a document
        caption = args.opt("caption", coerce_string)
        markup, keyboard = self._reply_markup(args, inline_only=False)
        message = self.world.record_sent(
            chat,
            kind=kind,
            parsed=self._caption(args, caption),
            raw_text=caption,
            parse_mode=args.opt("parse_mode", coerce_string) or None,
            markup=markup,
            keyboard=keyboard,
            file=sent_file,
        )
        return self.world.message_json(chat, message)

    async def send_chat_action(self, args: Args) -> bool:
        chat = self._target_chat(args)
        action = args.req("action", coerce_string)
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.actions.append(action)
        return True

    # -- editing ----------------------------------------------------------------

    async def edit_message_text(self, args: Args) -> JSONDict:
        chat, old = self._message_to_edit(args)
        if old.kind != "text":
            raise bad_request("there is no text in the message to edit")
        raw_text = args.opt("text", coerce_string) or ""
        parsed = self._message_text(args, raw_text)
        return self._edit_content(args, chat, old, parsed, raw_text)

    async def edit_message_caption(self, args: Args) -> JSONDict:
        chat, old = self._message_to_edit(args)
        if old.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        caption = args.opt("caption", coerce_string)
        return self._edit_content(args, chat, old, self._caption(args, caption), caption)

    def _edit_content(
        self,
        args: Args,
        chat: ChatState,
        old: SentMessage,
        parsed: ParsedText,
        raw_text: str | None,
    ) -> JSONDict:
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        markup, keyboard = self._reply_markup(args, inline_only=True)
        if (parsed.text, parsed.entities, keyboard) == (old.text, old.entities, old.keyboard):
            raise ApiError(400, NOT_MODIFIED)
        edited = self.world.record_edit(
            chat,
            old,
            text=parsed.text,
            entities=parsed.entities,
            raw_text=raw_text,
            parse_mode=args.opt("parse_mode", coerce_string) or None,
            reply_markup=markup,
            keyboard=keyboard,
        )
        return self.world.message_json(chat, edited)

    async def edit_message_reply_markup(self, args: Args) -> JSONDict:
        chat, old = self._message_to_edit(args)
        markup, keyboard = self._reply_markup(args, inline_only=True)
        if keyboard == old.keyboard:
            raise ApiError(400, NOT_MODIFIED)
        edited = self.world.record_edit(chat, old, reply_markup=markup, keyboard=keyboard)
        return self.world.message_json(chat, edited)

    async def delete_message(self, args: Args) -> bool:
        chat = self._target_chat(args)
        message_id = args.req("message_id", coerce_integer)
        found = chat.messages.pop(message_id, None) or chat.user_messages.pop(message_id, None)
        if found is None:
            raise bad_request("message to delete not found")
        chat.deleted.append(message_id)
        return True

    # -- callback queries and commands ------------------------------------------

    async def answer_callback_query(self, args: Args) -> bool:
        query_id = args.req("callback_query_id", coerce_string)
        query = self.world.queries.get(query_id)
        if query is None or query.answered:
            raise ApiError(400, QUERY_TOO_OLD)
        text = args.opt("text", coerce_string)
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        self.world.record_answer(
            CallbackAnswer(
                query_id=query_id,
                text=text,
                show_alert=bool(args.opt("show_alert", coerce_boolean)),
                url=args.opt("url", coerce_string),
                cache_time=args.opt("cache_time", coerce_integer),
            )
        )
        return True

    async def set_my_commands(self, args: Args) -> bool:
        commands = [_bot_command(raw) for raw in args.req("commands", coerce_array)]
        if len(commands) > MAX_COMMANDS:
            raise bad_request("too many commands")
        self.world.commands[_commands_key(args)] = commands
        return True

    async def get_my_commands(self, args: Args) -> list[JSONDict]:
        commands = self.world.commands.get(_commands_key(args), [])
        return [{"command": command, "description": text} for command, text in commands]

    async def delete_my_commands(self, args: Args) -> bool:
        self.world.commands.pop(_commands_key(args), None)
        return True

    # -- webhook ----------------------------------------------------------------

    async def set_webhook(self, args: Args) -> bool:
        url = args.req("url", coerce_string)
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.world.webhook_url = url
        if args.opt("drop_pending_updates", coerce_boolean):
            self.world.updates.clear()
        return True

    async def delete_webhook(self, args: Args) -> bool:
        self.world.webhook_url = ""
        if args.opt("drop_pending_updates", coerce_boolean):
            self.world.updates.clear()
        return True

    async def get_webhook_info(self, args: Args) -> JSONDict:
        return {
            "url": self.world.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }

    # -- shared checks ----------------------------------------------------------

    def _target_chat(self, args: Args) -> ChatState:
        chat_id = args.req("chat_id", coerce_integer_or_string)
        if isinstance(chat_id, str):
            chat = self.world.chat_by_username(chat_id)  # "@name" of a supergroup or channel
        else:
            chat = self.world.chats.get(chat_id)
        if chat is None:
            if not (self.auto_register_chats and isinstance(chat_id, int) and chat_id > 0):
                raise bad_request("chat not found")
            chat = self.world.chat(chat_id)
        if chat.blocked:
            raise ApiError(403, forbidden_description(chat.type))
        return chat

    def _message_to_edit(self, args: Args) -> tuple[ChatState, SentMessage]:
        if args.opt("inline_message_id", coerce_string):
            raise bad_request("inline messages are not supported by the sandbox")
        chat = self._target_chat(args)
        message_id = args.req("message_id", coerce_integer)
        message = chat.messages.get(message_id)
        if message is None:
            if message_id in chat.user_messages:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return chat, message

    def _message_text(self, args: Args, raw: str) -> ParsedText:
        parsed = self._formatted(args, raw, "entities")
        if not parsed.text.strip():
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return parsed

    def _caption(self, args: Args, caption: str | None) -> ParsedText:
        parsed = self._formatted(args, caption or "", "caption_entities")
        if len(parsed.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return parsed

    def _formatted(self, args: Args, raw: str, entities_field: str) -> ParsedText:
        """Apply parse_mode (or explicit entities): the text the user will see."""
        parse_mode = (args.opt("parse_mode", coerce_string) or "").lower()
        if parse_mode == "html":
            try:
                return parse_html(raw, strict=self.strict_html)
            except EntityParseError as err:
                raise bad_request(f"can't parse entities: {err}") from None
        if parse_mode in ("", "markdown", "markdownv2"):
            # Markdown is not emulated: the text is shown as sent.
            entities = args.opt(entities_field, coerce_array) or []
            return ParsedText(raw, tuple(e for e in entities if isinstance(e, dict)))
        raise bad_request("unsupported parse_mode")

    def _reply_markup(self, args: Args, *, inline_only: bool) -> tuple[JSONDict | None, Keyboard]:
        markup = args.opt("reply_markup", coerce_object)
        return markup, parse_reply_markup(markup, inline_only=inline_only)

    def _input_file(self, args: Args, kind: MessageKind) -> SentFile:
        """An uploaded file, an `attach://` part, a known file_id or a URL."""
        value = args.req(kind, coerce_file_or_string)
        if isinstance(value, str):
            if not value.startswith("attach://"):
                return self._file_reference(value, kind)
            upload = args.attachments.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value} not found in the request")
            value = upload
        if not value.content:
            raise bad_request("file must be non-empty")
        sent = _uploaded(f"sandbox-{kind}-{self.world.new_id()}", value, kind)
        self.world.files[sent.file_id] = sent
        return sent

    def _file_reference(self, value: str, kind: MessageKind) -> SentFile:
        if value in self.world.files:
            known = self.world.files[value]  # resending by file_id, as the same kind only
            if known.kind != kind and known.url is None:
                raise bad_request("type of file mismatch")
            return known
        if value.startswith(("http://", "https://")):
            return SentFile(
                f"sandbox-{kind}-{self.world.new_id()}", None, None, url=value, kind=kind
            )
        raise bad_request("wrong file identifier/HTTP URL specified")


def _uploaded(file_id: str, upload: UploadedFile, kind: MessageKind) -> SentFile:
    """What Telegram keeps of an upload: a photo must be an image within its limits; an
    animation that is not a GIF or MP4 is delivered as a plain document."""
    content = upload.content
    if kind == "photo":
        info = inspect_photo(content)
        if info is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        if not photo_fits(info):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        return SentFile(
            file_id, upload.filename, content, info.mime_type, kind=kind,
            width=info.width, height=info.height,
        )  # fmt: skip
    if kind == "animation":
        animation = inspect_animation(content)
        if animation is not None:
            return SentFile(
                file_id, upload.filename, content, animation.mime_type, kind=kind,
                width=animation.width, height=animation.height, duration=animation.duration,
            )  # fmt: skip
    return SentFile(file_id, upload.filename, content, upload.content_type, kind="document")


def _commands_key(args: Args) -> tuple[str, str]:
    scope = args.opt("scope", coerce_object) or {"type": "default"}
    return commands_key(scope, args.opt("language_code", coerce_string) or "")


def commands_key(scope: JSONDict | None, language_code: str) -> tuple[str, str]:
    """Commands are stored per (scope, language), exactly as setMyCommands sets them."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


def _bot_command(raw: Any) -> tuple[str, str]:
    if not isinstance(raw, dict):
        raise bad_request("can't parse BotCommand JSON object")
    command, description = raw.get("command"), raw.get("description")
    if not isinstance(command, str) or not _COMMAND.fullmatch(command):
        raise bad_request("BOT_COMMAND_INVALID")
    if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
        raise bad_request("command description is empty or too long")
    return command, description
