"""AiohttpRequest against a real aiohttp.web server on 127.0.0.1 that answers like Telegram."""

from __future__ import annotations

import asyncio
import json
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import BodyPartReader, web
from telegram import Bot, InputFile
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.transport import AiohttpRequest, ConnectTimedOut, RequestNotSent

TOKEN = "1:x"
ME = {"id": 1, "is_bot": True, "first_name": "Limber", "username": "limber_bot"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _message(chat_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "message_id": 7,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "private"},
        **extra,
    }


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


@dataclass
class FakeTelegram:
    """Records what arrives; a test may replace the answer for any method."""

    port: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    overrides: dict[str, Handler] = field(default_factory=dict)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [call for call in self.received if call["method"] == method]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        record: dict[str, Any] = {
            "method": method,
            "token": request.match_info["token"],
            "content_type": request.content_type,
            "user_agent": request.headers.get("User-Agent", ""),
        }
        if request.content_type == "multipart/form-data":
            fields: dict[str, str] = {}
            files: dict[str, tuple[str | None, bytes, str]] = {}
            reader = await request.multipart()
            async for part in reader:
                assert isinstance(part, BodyPartReader) and part.name is not None
                content = await part.read()
                if part.filename is not None:
                    mime = part.headers.get("Content-Type", "")
                    files[part.name] = (part.filename, bytes(content), mime)
                else:
                    fields[part.name] = content.decode()
            record["fields"], record["files"] = fields, files
        else:
            raw = await request.read()
            record["body"] = json.loads(raw) if raw else None
        self.received.append(record)

        override = self.overrides.get(method)
        if override is not None:
            return await override(request)
        if method == "getMe":
            return web.json_response({"ok": True, "result": ME})
        if method == "sendMessage":
            body = record["body"]
            result = _message(int(body["chat_id"]), text=body["text"])
            return web.json_response({"ok": True, "result": result})
        if method == "sendDocument":
            document = {"file_id": "doc-1", "file_unique_id": "u-1", "file_name": "x"}
            result = _message(int(record["fields"]["chat_id"]), document=document)
            return web.json_response({"ok": True, "result": result})
        return _error(404, "Not Found: method not found")


@pytest.fixture
async def telegram_server() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake.handle)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.port = runner.addresses[0][1]
    try:
        yield fake
    finally:
        fake.release.set()  # free handlers that hold a request open
        await runner.cleanup()


@pytest.fixture
async def bot(telegram_server: FakeTelegram) -> AsyncIterator[Bot]:
    instance = Bot(
        token=TOKEN,
        base_url=telegram_server.base_url,
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(),
    )
    async with instance:
        yield instance


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


async def test_get_me(bot: Bot, telegram_server: FakeTelegram) -> None:
    me = await bot.get_me()

    assert me.id == 1
    assert me.username == "limber_bot"
    call = telegram_server.calls("getMe")[-1]
    assert call["token"] == TOKEN
    assert call["user_agent"].startswith("python-telegram-bot")


async def test_send_message_sends_the_fields_as_json(
    bot: Bot, telegram_server: FakeTelegram
) -> None:
    message = await bot.send_message(
        chat_id=42, text="Hip flexor stretch: 60 s", disable_notification=True
    )

    assert message.message_id == 7
    assert message.chat.id == 42
    assert message.text == "Hip flexor stretch: 60 s"
    (call,) = telegram_server.calls("sendMessage")
    assert call["content_type"] == "application/json"
    # PTB's RequestData.json_parameters: strings as they are, other values JSON-encoded,
    # which is how Telegram reads form fields too.
    assert call["body"] == {
        "chat_id": "42",
        "text": "Hip flexor stretch: 60 s",
        "disable_notification": "true",
    }


async def test_send_document_uploads_multipart(bot: Bot, telegram_server: FakeTelegram) -> None:
    payload = b"day,minutes\n2024-05-01,12\n" * 100

    message = await bot.send_document(
        chat_id=42,
        document=InputFile(payload, filename="limber-export.csv"),
        caption="Your export",
    )

    assert message.document is not None
    assert message.document.file_id == "doc-1"
    (call,) = telegram_server.calls("sendDocument")
    assert call["content_type"] == "multipart/form-data"
    assert call["fields"]["chat_id"] == "42"
    assert call["fields"]["caption"] == "Your export"
    # PTB attaches the file under the parameter name and refers to it from no other field.
    filename, content, mime = call["files"]["document"]
    assert filename == "limber-export.csv"
    assert content == payload
    assert mime == "text/csv"


async def test_send_document_from_a_file_handle(
    bot: Bot, telegram_server: FakeTelegram, tmp_path: Any
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * 70_000)

    with path.open("rb") as handle:
        await bot.send_document(chat_id=5, document=handle)

    (call,) = telegram_server.calls("sendDocument")
    filename, content, _ = call["files"]["document"]
    assert filename == "notes.txt"
    assert content == b"x" * 70_000


# PTB 22 deprecates the int form of retry_after, and warns inside RetryAfter itself.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_raises_retry_after(bot: Bot, telegram_server: FakeTelegram) -> None:
    async def flood(_: web.Request) -> web.Response:
        return _error(429, "Too Many Requests: retry after 7", retry_after=7)

    telegram_server.overrides["sendMessage"] = flood

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id=42, text="hi")

    retry_after = caught.value.retry_after
    seconds = retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after
    assert seconds == 7


async def test_403_raises_forbidden(bot: Bot, telegram_server: FakeTelegram) -> None:
    async def blocked(_: web.Request) -> web.Response:
        return _error(403, "Forbidden: bot was blocked by the user")

    telegram_server.overrides["sendMessage"] = blocked

    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(chat_id=42, text="hi")


async def test_400_raises_bad_request(bot: Bot, telegram_server: FakeTelegram) -> None:
    async def bad(_: web.Request) -> web.Response:
        return _error(400, "Bad Request: chat not found")

    telegram_server.overrides["sendMessage"] = bad

    with pytest.raises(BadRequest, match="not found"):
        await bot.send_message(chat_id=42, text="hi")


@pytest.mark.parametrize("status", [500, 502])
async def test_5xx_raises_network_error(
    bot: Bot, telegram_server: FakeTelegram, status: int
) -> None:
    async def broken(_: web.Request) -> web.Response:
        return web.Response(status=status, text="<html>upstream down</html>")

    telegram_server.overrides["sendMessage"] = broken

    with pytest.raises(NetworkError) as caught:
        await bot.send_message(chat_id=42, text="hi")

    assert not isinstance(caught.value, RequestNotSent)
    assert not isinstance(caught.value, TimedOut)


async def test_slow_answer_is_an_ambiguous_timeout(bot: Bot, telegram_server: FakeTelegram) -> None:
    async def slow(_: web.Request) -> web.Response:
        await asyncio.wait_for(telegram_server.release.wait(), timeout=5)
        return web.json_response({"ok": True, "result": _message(42, text="late")})

    telegram_server.overrides["sendMessage"] = slow

    with pytest.raises(TimedOut) as caught:
        await bot.send_message(chat_id=42, text="hi", read_timeout=0.2)

    assert not isinstance(caught.value, RequestNotSent)
    # Ambiguous indeed: the server has the request.
    assert len(telegram_server.calls("sendMessage")) == 1


async def test_default_read_timeout_applies(telegram_server: FakeTelegram) -> None:
    async def slow(_: web.Request) -> web.Response:
        await asyncio.wait_for(telegram_server.release.wait(), timeout=5)
        return web.json_response({"ok": True, "result": ME})

    telegram_server.overrides["getMe"] = slow
    request = AiohttpRequest(read_timeout=0.2)
    assert request.read_timeout == 0.2
    bot = Bot(token=TOKEN, base_url=telegram_server.base_url, request=request)

    try:
        with pytest.raises(TimedOut) as caught:
            await bot.initialize()
        assert not isinstance(caught.value, RequestNotSent)
    finally:
        await bot.shutdown()


async def test_closed_port_raises_request_not_sent() -> None:
    bot = Bot(
        token=TOKEN,
        base_url=f"http://127.0.0.1:{_free_port()}/bot",
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(),
    )
    try:
        with pytest.raises(RequestNotSent) as caught:
            await bot.initialize()  # calls getMe
        assert isinstance(caught.value, NetworkError)
        assert not isinstance(caught.value, TimedOut)
        with pytest.raises(RequestNotSent):
            await bot.send_message(chat_id=42, text="hi")
    finally:
        await bot.shutdown()


async def test_pool_timeout_raises_request_not_sent(telegram_server: FakeTelegram) -> None:
    holding = asyncio.Event()

    async def slow(_: web.Request) -> web.Response:
        holding.set()
        await asyncio.wait_for(telegram_server.release.wait(), timeout=5)
        return web.json_response({"ok": True, "result": _message(42, text="late")})

    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.2, connect_timeout=0.2)
    bot = Bot(token=TOKEN, base_url=telegram_server.base_url, request=request)
    async with bot:
        telegram_server.overrides["sendMessage"] = slow
        first = asyncio.create_task(bot.send_message(chat_id=42, text="holds the connection"))
        await asyncio.wait_for(holding.wait(), timeout=5)

        with pytest.raises(ConnectTimedOut) as caught:
            await bot.send_message(chat_id=43, text="waits for a connection")

        # Safe to retry, and still a TimedOut for code written against HTTPXRequest.
        assert isinstance(caught.value, RequestNotSent)
        assert isinstance(caught.value, TimedOut)
        assert len(telegram_server.calls("sendMessage")) == 1
        telegram_server.release.set()
        await first


async def test_get_updates_uses_its_own_request(telegram_server: FakeTelegram) -> None:
    async def updates(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": []})

    telegram_server.overrides["getUpdates"] = updates
    bot = Bot(
        token=TOKEN,
        base_url=telegram_server.base_url,
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(),
    )
    async with bot:
        assert await bot.get_updates(timeout=0) == ()

    body = telegram_server.calls("getUpdates")[0]["body"]
    assert body["timeout"] == "0"


async def test_lifecycle(telegram_server: FakeTelegram) -> None:
    request = AiohttpRequest()
    url = f"{telegram_server.base_url}{TOKEN}/getMe"

    # Works before initialize(), like HTTPXRequest, and is not bound to a loop at construction.
    assert (await request.post(url))["id"] == 1  # type: ignore[index,call-overload]
    await request.shutdown()
    await request.shutdown()  # idempotent
    with pytest.raises(NetworkError, match="not initialized"):  # PTB wraps the RuntimeError
        await request.post(url)

    async with request:  # initialize() again after shutdown()
        assert (await request.post(url))["id"] == 1  # type: ignore[index,call-overload]


def test_rejects_an_empty_pool() -> None:
    with pytest.raises(ValueError):
        AiohttpRequest(connection_pool_size=0)


REAL_SHAPED_TOKEN = "7012345678:AAHk4v_Q9rZ2mX8pL3nB6tY1wE5uJ0cKd7s"


async def test_a_connect_timeout_does_not_carry_the_token() -> None:
    """aiohttp's connect-timeout message quotes the URL, token included; the error the
    transport raises, and its whole traceback, must not."""
    from tests.e2e.processes import unanswering_port

    with unanswering_port() as port:
        bot = Bot(
            token=REAL_SHAPED_TOKEN,
            base_url=f"http://127.0.0.1:{port}/bot",
            request=AiohttpRequest(connect_timeout=0.3),
            get_updates_request=AiohttpRequest(connect_timeout=0.3),
        )
        try:
            with pytest.raises(ConnectTimedOut) as caught:
                await bot.initialize()  # getMe
        finally:
            await bot.shutdown()
    shown = "".join(traceback.format_exception(caught.value))
    assert "Connection timeout to host" in shown and "/bot[REDACTED]/getMe" in shown
    assert "AAHk4v" not in shown
    assert caught.value.__cause__ is None and caught.value.__context__ is None


async def test_the_token_stays_out_of_other_transport_errors(
    telegram_server: FakeTelegram,
) -> None:
    async def slow(_: web.Request) -> web.Response:
        await asyncio.wait_for(telegram_server.release.wait(), timeout=5)
        return web.json_response({"ok": True, "result": ME})

    async def broken(_: web.Request) -> web.Response:
        return web.Response(status=502, text="bad gateway")

    bot = Bot(
        token=REAL_SHAPED_TOKEN,
        base_url=telegram_server.base_url,
        request=AiohttpRequest(read_timeout=0.2),
    )
    errors: list[BaseException] = []
    for method, handler in (("getMe", slow), ("getMe", broken)):
        telegram_server.overrides[method] = handler
        with pytest.raises(NetworkError) as caught:
            await bot.get_me()
        errors.append(caught.value)
    await bot.shutdown()
    await bot.request.shutdown()
    for error in errors:
        assert "AAHk4v" not in "".join(traceback.format_exception(error))
