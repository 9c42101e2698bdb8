"""The webhook with the right secret but a bad body answers 400 (never a 500 and a traceback),
a replayed update is answered once, and slow or idle connections are cut off."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from bot import web
from bot.catalog import Catalog
from bot.runner import Mode
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import CHAT_ID, make_settings
from tests.e2e.test_operations import free_port, serving

SECRET = "webhook-secret-for-the-tests-0123456789"


@dataclass
class Hook:
    url: str
    port: int

    async def post(self, body: bytes, secret: str = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
        async with (
            aiohttp.ClientSession() as http,
            http.post(self.url, data=body, headers=headers) as response,
        ):
            return response.status


@pytest.fixture
async def hook(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Hook]:
    monkeypatch.setattr(web, "HEADER_TIMEOUT", 0.5, raising=False)
    monkeypatch.setattr(web, "BODY_TIMEOUT", 0.5, raising=False)
    port = free_port()
    settings = make_settings(
        api, sqlite_url, LIMBER_WEBHOOK_URL="https://limber.example.test/hook",
        LIMBER_WEBHOOK_PORT=port, LIMBER_WEBHOOK_LISTEN="127.0.0.1",
        LIMBER_WEBHOOK_SECRET=SECRET, LIMBER_HEALTH_PORT=0,
    )  # fmt: skip
    async with serving(settings, catalog, api.token, Mode.WEBHOOK):
        await api.wait_for_call("setWebhook")
        yield Hook(f"http://127.0.0.1:{port}/hook", port)


def help_update(update_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": "/help",
            "chat": {"id": CHAT_ID, "type": "private"},
            "from": {"id": CHAT_ID, "is_bot": False, "first_name": "T"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        b"null", b"[]", b"1", b'"x"', b"{}", b'{"update_id":5,"message":5}',
        b'{"update_id":"5"}', b'{"update_id":true}', b'{"update_id":5,"message":{"chat":1}}',
        b"\xff\xfe", b"{" * 10_000,
    ],
)  # fmt: skip
async def test_malformed_updates_get_400_and_no_traceback(
    hook: Hook, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert await hook.post(body) == 400
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not [record for record in caplog.records if record.exc_info]


async def test_a_replayed_update_is_answered_once(hook: Hook, api: FakeBotApi) -> None:
    api.register_chat(CHAT_ID)
    body = json.dumps(help_update(41)).encode()
    assert await hook.post(body) == 200
    assert await hook.post(body) == 200  # Telegram retrying: acknowledged, not handled again
    [answer] = await api.wait_for_bot_messages(CHAT_ID, after=0)
    assert "/stretch" in answer.text
    assert await hook.post(json.dumps(help_update(42)).encode()) == 200
    await api.wait_for_bot_messages(CHAT_ID, 2, after=0)
    await asyncio.sleep(0.3)  # time for a wrongful second answer to 41 to show
    assert len(api.messages(CHAT_ID)) == 2


async def _closed_by_server(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """What the server sends until it closes the connection (within ``seconds``)."""
    return await asyncio.wait_for(reader.read(), seconds)


async def test_a_connection_that_never_finishes_its_headers_is_closed(hook: Hook) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
    writer.write(b"POST /hook HTTP/1.1\r\nHost: x\r\n")  # and nothing more
    await writer.drain()
    assert await _closed_by_server(reader, 5) == b""
    writer.close()


async def test_an_idle_connection_is_closed(hook: Hook) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
    assert await _closed_by_server(reader, 5) == b""
    writer.close()


async def test_a_body_that_never_arrives_gets_408(hook: Hook, api: FakeBotApi) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
    writer.write(
        b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n".encode()
        + b"Content-Length: 500\r\n\r\n"
        + b'{"update_id": 7, '
    )
    await writer.drain()
    answer = await asyncio.wait_for(reader.readline(), 5)
    assert answer.startswith(b"HTTP/1.1 408")
    writer.close()
