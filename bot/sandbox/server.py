"""A fake Telegram Bot API over real HTTP, for end-to-end tests and `limber demo`.

The real bot (PTB) talks to it exactly as to api.telegram.org:
`ApplicationBuilder().base_url(f"{api.base_url}/bot")` makes PTB call
`{base_url}/bot{token}/{method}`. Tests drive the user's side through the
injection API (`send_user_message`, `press_button`, `block_bot`, ...; in groups,
supergroups and channels `create_group`, `send_group_message`,
`publish_channel_post`, `add_bot_to_chat`, ...) and inspect what the bot did
through snapshots (`messages`, `history`, `calls`, `unanswered_callback_queries`).

Requests are validated against Telegram's published spec (unknown, missing and
mistyped parameters are rejected) and against the limits that bite bots in
production: message length, HTML markup, callback_data size, "message is not
modified", blocked users, expired callback queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable, Hashable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from aiohttp import web
from telegram import Update

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.faults import Fault, FaultPlan
from bot.sandbox.limits import RateLimits
from bot.sandbox.methods import Args, BotApiMethods, Handler, commands_key
from bot.sandbox.models import (
    ApiCall,
    ButtonPress,
    CallbackAnswer,
    FakeUser,
    JSONDict,
    SentMessage,
    UploadedFile,
)
from bot.sandbox.spec import ApiSpec, default_spec_path
from bot.sandbox.world import ChatState, World, answer_key, chat_key

_LOGGER = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:SANDBOX-not-a-real-token"
_CALLS_KEY = "calls"

T = TypeVar("T")


class FakeBotApi:
    """A local Telegram Bot API server with an injection and inspection API for tests.

    Use as `async with FakeBotApi() as api:` and point the bot at
    `f"{api.base_url}/bot"` with `api.token`.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        spec_path: str | Path | None = None,
        bot_username: str = "limber_sandbox_bot",
        bot_first_name: str = "Limber",
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        validate: bool = True,
        auto_register_chats: bool = False,
        clock: Callable[[], float] = time.time,
        rate_limits: RateLimits | None = None,
    ) -> None:
        """``validate=False`` skips the spec (parameters are coerced as they are read, unknown
        ones are ignored) and ``auto_register_chats=True`` makes every positive chat id a known
        private chat: both are for load benchmarks, which must not pay for checks they do not
        test or register a million chats first. ``rate_limits`` answers messages over
        Telegram's broadcast rates with 429 (off by default).
        """
        self.token = token
        prefix = token.split(":", 1)[0]
        bot_user: JSONDict = {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.spec = _load_spec(spec_path) if validate else ApiSpec.empty()
        self._world = World(bot_user=bot_user, clock=clock)
        self._methods = BotApiMethods(
            self._world, strict_html=strict_html, auto_register_chats=auto_register_chats
        )
        handlers = self._methods.table()
        self._handlers: dict[str, Handler] = {n.lower(): h for n, h in handlers.items()}
        # Telegram matches method names case-insensitively; the log uses the real name.
        # With the spec loaded, exactly its methods exist and anything else is a 404.
        names = self.spec.method_names() if len(self.spec) else list(handlers)
        self._canonical = {name.lower(): name for name in names}
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._faults = FaultPlan()
        self._calls: list[ApiCall] = []
        self.rate_limits = rate_limits

    @property
    def bot_user(self) -> JSONDict:
        return self._world.bot_user

    @property
    def bot_username(self) -> str:
        """For commands addressed to the bot in groups: `/time@{bot_username}`."""
        return str(self._world.bot_user["username"])

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)  # documents up to 50 MB
        for path in ("/bot{token}/{method}", "/bot{token}/{method}/"):
            app.router.add_route("*", path, self._handle_http)
        # Long polls and delays end when _closing is set, so a short grace period suffices.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        # Binding the socket ourselves is the public way to learn a random port.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        self._closing.set()
        self._world.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`; the bot's base_url is this plus "/bot"."""
        if self._runner is None:
            raise RuntimeError("FakeBotApi is not running; call start() first")
        return f"http://{self._host}:{self._port}"

    # -- HTTP -------------------------------------------------------------------

    async def _handle_http(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(401, ApiError(401, "Unauthorized").envelope())
        method = request.match_info["method"].lower()
        if method not in self._canonical:
            return _json_response(404, ApiError(404, "Not Found").envelope())
        try:
            raw, files = await _read_request(request)
        except ApiError as err:
            return _json_response(err.status, err.envelope())
        status, payload = await self._call(method, raw, files)
        return _json_response(status, payload)

    async def _call(
        self, method: str, raw: JSONDict, files: dict[str, UploadedFile]
    ) -> tuple[int, JSONDict]:
        """Faults, validation, the handler and the call log, for one request."""
        chat_id = _peek_chat_id(raw) if self._faults else None
        delay = self._faults.take_delay(method, chat_id) if self._faults else None
        if delay is not None and not delay.after_processing:
            await self._pause(delay.seconds)
        params = raw
        try:
            fault = self._faults.take_fault(method, chat_id) if self._faults else None
            args = self._parse_args_or_fault(method, raw, files, fault)
            params = args.params
            if fault is not None:
                raise fault.error()  # parsed first only so the log shows typed params
            if self.rate_limits is not None:
                self.rate_limits.check(method, params)
            result = await self._handlers.get(method, self._methods.generic)(args)
        except ApiError as err:
            self._log(method, params, err.status, err.description)
            response = (err.status, err.envelope())
        except Exception as exc:  # a sandbox bug: say so instead of a bare HTTP 500
            _LOGGER.exception("sandbox failed on %s", method)
            bug = ApiError(500, f"Internal Server Error: sandbox bug: {exc!r}")
            self._log(method, params, bug.status, bug.description)
            response = (bug.status, bug.envelope())
        else:
            self._log(method, params, 200, None)
            response = (200, {"ok": True, "result": result})
        if delay is not None and delay.after_processing:
            # Telegram has done the work; only the client never hears about it.
            await self._pause(delay.seconds)
        return response

    def _parse_args_or_fault(
        self, method: str, raw: JSONDict, files: dict[str, UploadedFile], fault: Fault | None
    ) -> Args:
        try:
            return self._parse_args(method, raw, files)
        except ApiError:
            if fault is not None:
                raise fault.error() from None  # Telegram refuses before it validates
            raise

    def _parse_args(self, method: str, raw: JSONDict, files: dict[str, UploadedFile]) -> Args:
        spec = self.spec.get(method)
        params = dict(raw)
        attachments: dict[str, UploadedFile] = {}
        for name, upload in files.items():
            # A file part is a parameter (`document`) or an `attach://name` target.
            if spec is None or name in spec.fields:
                params[name] = upload
            else:
                attachments[name] = upload
        if spec is not None:
            params = spec.coerce(params)
        return Args(self._canonical[method], params, attachments, spec)

    def _log(self, method: str, params: JSONDict, status: int, description: str | None) -> None:
        call = ApiCall(
            len(self._calls) + 1,
            self._canonical[method],
            params,
            status,
            description,
            at=self._world.instant(),
        )
        self._calls.append(call)
        self._world.notifier.notify(_CALLS_KEY)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # -- injection: the user's side of the chat ----------------------------------

    def register_chat(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "en",
        username: str | None = None,
    ) -> None:
        """Make `chat_id` known, as if the user had written before, without an update."""
        self._world.chat(
            chat_id,
            user_id=user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
        )

    async def send_user_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "en",
        username: str | None = None,
    ) -> Update:
        """The user types `text`; a leading /command gets its bot_command entity.

        The first message creates the chat (user details are fixed from then on).
        Writing to a bot one has blocked unblocks it first, as in Telegram.
        """
        chat = self._world.chat(
            chat_id,
            user_id=user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
        )
        _require_private(chat)
        await self._restart_if_blocked(chat_id)
        return _update(self._world.user_text(chat, text))

    async def send_location(
        self,
        chat_id: int,
        latitude: float,
        longitude: float,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "en",
    ) -> Update:
        chat = self._world.chat(
            chat_id, user_id=user_id, first_name=first_name, language_code=language_code
        )
        _require_private(chat)
        await self._restart_if_blocked(chat_id)
        location = {"latitude": latitude, "longitude": longitude}
        return _update(self._world.user_message(chat, {"location": location}))

    async def press_button(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        user: FakeUser | None = None,
    ) -> str:
        """The user presses a button of bot message `message_id`; returns the query id.

        `callback_data` is not checked against the keyboard, so tests can replay
        stale or forged data, as a client showing an old message would send.
        In a group, supergroup or channel, `user` (any member) is required.
        """
        chat = self._world.known_chat(chat_id)
        message = chat.messages.get(message_id)
        if message is None:
            raise ValueError(f"chat {chat_id} has no bot message {message_id} to press")
        return self._world.press(chat, message, callback_data, user=_user_json(user))

    async def press_button_labeled(
        self,
        chat_id: int,
        label: str,
        *,
        message_id: int | None = None,
        user: FakeUser | None = None,
    ) -> str:
        """Press the button labelled `label` on the newest bot message that has one."""
        chat = self._world.known_chat(chat_id)
        candidates = (
            [chat.messages[message_id]]
            if message_id is not None
            else sorted(chat.messages.values(), key=lambda m: -m.message_id)
        )
        for message in candidates:
            for button in message.buttons:
                if button.text == label and button.callback_data is not None:
                    return self._world.press(
                        chat, message, button.callback_data, user=_user_json(user)
                    )
        raise ValueError(f"no callback button {label!r} in chat {chat_id}")

    async def block_bot(self, chat_id: int) -> Update:
        """The user blocks the bot: a my_chat_member update, then 403 on every send."""
        return _update(self._world.set_blocked(self._world.known_chat(chat_id), True))

    async def unblock_bot(self, chat_id: int) -> Update:
        return _update(self._world.set_blocked(self._world.known_chat(chat_id), False))

    async def edit_user_message(self, chat_id: int, message_id: int, text: str) -> Update:
        """The author edits their earlier text message `message_id` to `text`.

        Works for private and group messages (an `edited_message` update, `edit_date` set)
        and channel posts (`edited_channel_post`). The message id is the one in the Update
        that sent it, e.g. `(await api.send_user_message(...)).message.message_id`.
        """
        chat = self._world.known_chat(chat_id)
        return _update(self._world.edit_user_text(chat, message_id, text))

    # -- injection: groups, supergroups and channels ------------------------------

    def create_group(self, title: str = "Test group", *, chat_id: int | None = None) -> int:
        """A basic group (`type: "group"`, negative id) with the bot in it; returns its id.

        No update is sent, as if the bot had joined before the test; `add_bot_to_chat`
        delivers the arrival. The sandbox delivers every message in a group to the bot
        (as to a bot with privacy mode off or admin rights), the strictest case for it.
        """
        return self._world.new_chat("group", title=title, chat_id=chat_id, username=None).chat_id

    def create_supergroup(
        self,
        title: str = "Test supergroup",
        *,
        chat_id: int | None = None,
        username: str | None = None,
    ) -> int:
        """A supergroup (id -100...) with the bot in it; returns its id. See `create_group`."""
        chat = self._world.new_chat("supergroup", title=title, chat_id=chat_id, username=username)
        return chat.chat_id

    def create_channel(
        self,
        title: str = "Test channel",
        *,
        chat_id: int | None = None,
        username: str | None = None,
    ) -> int:
        """A channel (id -100...) where the bot is an admin that may post; returns its id."""
        chat = self._world.new_chat("channel", title=title, chat_id=chat_id, username=username)
        return chat.chat_id

    async def send_group_message(self, chat_id: int, text: str, *, user: FakeUser) -> Update:
        """`user` writes `text` in a group or supergroup (commands get their entities).

        With `user=GROUP_ANONYMOUS_BOT` an anonymous admin writes: the group is the
        message's `sender_chat`, as Telegram sends it. Address a command to the bot as
        `f"/time@{api.bot_username} 08:15"`.
        """
        chat = self._world.known_chat(chat_id)
        return _update(self._world.member_text(chat, user.to_json(), text))

    async def publish_channel_post(self, chat_id: int, text: str) -> Update:
        """An admin posts in a channel: a `channel_post` signed by the channel, without `from`."""
        return _update(self._world.channel_post(self._world.known_chat(chat_id), text))

    async def add_bot_to_chat(self, chat_id: int, *, by: FakeUser) -> Update:
        """`by` adds the bot to a group, supergroup or channel; returns its `my_chat_member`.

        Groups and supergroups also get the `new_chat_members` service message after it.
        """
        chat = self._world.known_chat(chat_id)
        return _update(self._world.set_bot_in_chat(chat, True, by=by.to_json()))

    async def remove_bot_from_chat(self, chat_id: int, *, by: FakeUser) -> Update:
        """`by` removes the bot: a `my_chat_member` update, then 403 on every send there."""
        chat = self._world.known_chat(chat_id)
        return _update(self._world.set_bot_in_chat(chat, False, by=by.to_json()))

    async def inject_update(self, kind: str, payload: JSONDict) -> Update:
        """Any other update type, e.g. `inject_update("message_reaction", {...})`."""
        return _update(self._world.updates.push(kind, payload))

    async def _restart_if_blocked(self, chat_id: int) -> None:
        # Writing to a blocked bot means pressing "Restart", which unblocks it.
        if self.is_blocked(chat_id):
            await self.unblock_bot(chat_id)

    # -- fault injection ---------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `times` calls to `method` ("*" for any) fail with `status`.

        The failing calls have no effect, like requests Telegram refused. A 429
        always carries `parameters.retry_after` (default 1 s), as Telegram's do.
        """
        self._faults.add_fault(
            method,
            status=status,
            retry_after=retry_after,
            description=description,
            times=times,
            chat_id=chat_id,
        )

    def delay_next(
        self,
        method: str,
        seconds: float,
        *,
        times: int = 1,
        chat_id: int | None = None,
        after_processing: bool = False,
    ) -> None:
        """Slow down the next `times` calls to `method` ("*" for any).

        With `after_processing=True` the call takes effect at once and only the
        response is late: the client times out although Telegram accepted the
        request, which is how duplicate sends happen in production.
        """
        self._faults.add_delay(
            method, seconds, times=times, chat_id=chat_id, after_processing=after_processing
        )

    def clear_faults(self) -> None:
        self._faults.clear()

    # -- inspection ---------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every request in arrival order, rejected ones included."""
        return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        lower = method.lower()
        return [call for call in self._calls if call.method.lower() == lower]

    def messages(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in the chat as they look now (edits applied, deleted gone)."""
        chat = self._world.chats.get(chat_id)
        return sorted(chat.messages.values(), key=lambda m: m.message_id) if chat else []

    def history(self, chat_id: int) -> list[SentMessage]:
        """Every send and edit in the chat, in order: one snapshot each."""
        chat = self._world.chats.get(chat_id)
        return list(chat.history) if chat else []

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """The current version of one bot message; KeyError if never sent or deleted."""
        return self._world.known_chat(chat_id).messages[message_id]

    def last_message(self, chat_id: int) -> SentMessage | None:
        """The newest bot message still in the chat, in its current version."""
        chat = self._world.chats.get(chat_id)
        if not chat or not chat.messages:
            return None
        return chat.messages[max(chat.messages)]

    def deleted_message_ids(self, chat_id: int) -> list[int]:
        chat = self._world.chats.get(chat_id)
        return list(chat.deleted) if chat else []

    def chat_actions(self, chat_id: int) -> list[str]:
        chat = self._world.chats.get(chat_id)
        return list(chat.actions) if chat else []

    def is_blocked(self, chat_id: int) -> bool:
        chat = self._world.chats.get(chat_id)
        return bool(chat and chat.blocked)

    @property
    def callback_answers(self) -> dict[str, CallbackAnswer]:
        return dict(self._world.answers)

    def unanswered_callback_queries(self) -> list[ButtonPress]:
        """Button presses the bot never answered: each leaves a client spinning."""
        return self._world.unanswered_presses()

    def commands(
        self, *, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        """(command, description) pairs registered for exactly this scope and language."""
        return list(self._world.commands.get(commands_key(scope, language_code), []))

    @property
    def webhook_url(self) -> str:
        return self._world.webhook_url

    @property
    def pending_update_count(self) -> int:
        return len(self._world.updates)

    # -- waiting ------------------------------------------------------------------

    def mark(self) -> int:
        """A position in the bot's message stream; pass it as `after=` to wait for newer."""
        return self._world.seq

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float | None = 5.0,  # noqa: ASYNC109 - a deadline for the wait, not for I/O
        *,
        after: int | None = None,
    ) -> list[SentMessage]:
        """Sends and edits in the chat after a mark, once there are at least `count`.

        Without `after`, the mark is the user's latest action in that chat
        (send_user_message, press_button, ...), which is what "the replies"
        usually means. Returns every event after the mark, possibly more than
        `count`; raises TimeoutError listing what did arrive.
        """
        since = self._default_mark(chat_id) if after is None else after

        def ready() -> list[SentMessage] | None:
            events = self._world.events_after(chat_id, since)
            return events if len(events) >= count else None

        def failure() -> str:
            got = [m.text for m in self._world.events_after(chat_id, since)]
            return f"expected {count} bot message(s) in chat {chat_id}, got {len(got)}: {got}"

        return await self._wait_until(chat_key(chat_id), ready, timeout, failure)

    async def iter_bot_messages(
        self, chat_id: int, *, after: int | None = None
    ) -> AsyncIterator[SentMessage]:
        """Every send and edit in the chat after the mark, as it happens (never ends)."""
        cursor = self.mark() if after is None else after
        while True:
            batch = await self.wait_for_bot_messages(chat_id, 1, None, after=cursor)
            for message in batch:
                yield message
            cursor = batch[-1].seq

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float | None = 5.0,  # noqa: ASYNC109 - a deadline for the wait, not for I/O
    ) -> CallbackAnswer:
        return await self._wait_until(
            answer_key(query_id),
            lambda: self._world.answers.get(query_id),
            timeout,
            lambda: f"callback query {query_id} was not answered",
        )

    async def wait_for_call(
        self,
        method: str,
        timeout: float | None = 5.0,  # noqa: ASYNC109 - a deadline for the wait, not for I/O
        *,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> ApiCall:
        """The first logged call to `method` (matching `where`), waiting for it if needed.

        E.g. `await api.wait_for_call("getUpdates")` to know the bot is polling.
        """
        lower = method.lower()

        def found() -> ApiCall | None:
            for call in self._calls:
                if call.method.lower() == lower and (where is None or where(call)):
                    return call
            return None

        return await self._wait_until(_CALLS_KEY, found, timeout, lambda: f"no {method} call")

    def _default_mark(self, chat_id: int) -> int:
        chat = self._world.chats.get(chat_id)
        return chat.user_mark if chat else 0

    async def _wait_until(
        self,
        key: Hashable,
        check: Callable[[], T | None],
        seconds: float | None,
        describe: Callable[[], str],
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while (result := check()) is None:
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                raise TimeoutError(describe())
            await self._world.notifier.wait(key, remaining)
        return result


def _load_spec(spec_path: str | Path | None) -> ApiSpec:
    if spec_path is not None:
        return ApiSpec.load(Path(spec_path))  # an explicit path must exist
    path = default_spec_path()
    if not path.is_file():
        _LOGGER.warning("Bot API spec not found at %s; parameters are not validated", path)
        return ApiSpec.empty()
    return ApiSpec.load(path)


def _update(update: JSONDict) -> Update:
    return Update.de_json(update, None)


def _user_json(user: FakeUser | None) -> JSONDict | None:
    return None if user is None else user.to_json()


def _require_private(chat: ChatState) -> None:
    if chat.type != "private":
        raise ValueError(
            f"chat {chat.chat_id} is a {chat.type} chat: use send_group_message or "
            "publish_channel_post"
        )


def _json_response(status: int, payload: JSONDict) -> web.Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(body=body, status=status, content_type="application/json")


def _peek_chat_id(params: JSONDict) -> int | None:
    """chat_id before validation, so faults can target one chat."""
    value = params.get("chat_id")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
    return None


async def _read_request(request: web.Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    params: JSONDict = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text())
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = value.decode() if isinstance(value, bytes) else value
    return params, files
