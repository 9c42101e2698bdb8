"""Bare HTTP clients posting the reminders' sendMessage calls: the ceiling for the bot's sender.

Each posts one sendMessage request per chat id with the body Limber's reminder bot sends
(captured from a real ``Bot.send_message`` call) over at most ``connections`` connections,
decodes every answer and counts the ``ok`` ones. Either ``connections`` workers stream the
requests (the client's best), or chunks of requests are gathered one after the other, the way
the tick sends.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import BaseRequest, RequestData

from bot.catalog import Catalog
from bot.reminders.kinds.stretch import DAILY_HEADING
from bot.render.stretch_card import reminder_card_keyboard, render_stretch_card
from bot.render.texts import NO_PREVIEW


@dataclass
class ClientResult:
    name: str
    count: int
    ok: int
    seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "client": self.name,
            "count": self.count,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second),
            "client_cpu_seconds": round(self.cpu_seconds, 3),
        }


class _Capture(BaseRequest):
    """Records what PTB would send; answers with a minimal Message."""

    def __init__(self) -> None:
        self.parameters: dict[str, str] = {}

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        assert request_data is not None
        self.parameters = request_data.json_parameters
        message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}
        return 200, json.dumps({"ok": True, "result": message}).encode()


async def reminder_parameters(catalog: Catalog) -> dict[str, str]:
    """The JSON parameters of one reminder sendMessage, exactly as Limber's sender sends them."""
    capture = _Capture()
    stretch = catalog.stretches.all()[0]
    bot = Bot("1:capture", request=capture, get_updates_request=_Capture())
    await bot.send_message(
        1,
        render_stretch_card(stretch, heading=DAILY_HEADING),
        parse_mode=ParseMode.HTML,
        reply_markup=reminder_card_keyboard(stretch),
        link_preview_options=NO_PREVIEW,
    )
    return dict(capture.parameters)


def _body(parameters: dict[str, str], chat_id: int) -> bytes:
    return json.dumps({**parameters, "chat_id": str(chat_id)}).encode()


def _cpu() -> float:
    return time.process_time()


async def _drive(
    one: Callable[[int], Awaitable[bool]], chat_ids: list[int], connections: int, chunk: int | None
) -> tuple[int, float, float]:
    """Post one request per chat id: ``connections`` workers streaming requests (chunk None), or
    chunks of ``chunk`` requests gathered one after the other (as the tick sends). Returns the
    successes, wall seconds and CPU seconds of this process."""
    await one(chat_ids[0])  # open a connection outside the timing
    ok = 0
    started, cpu = time.perf_counter(), _cpu()
    if chunk is None:
        pending = iter(chat_ids)

        async def worker() -> int:
            return sum([await one(chat_id) for chat_id in pending])

        ok = sum(await asyncio.gather(*(worker() for _ in range(connections))))
    else:
        for start in range(0, len(chat_ids), chunk):
            ok += sum(await asyncio.gather(*(one(c) for c in chat_ids[start : start + chunk])))
    return ok, time.perf_counter() - started, _cpu() - cpu


async def run_aiohttp(
    url: str,
    parameters: dict[str, str],
    chat_ids: list[int],
    *,
    connections: int,
    chunk: int | None = None,
) -> ClientResult:
    import aiohttp

    headers = {"Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=0)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:

        async def one(chat_id: int) -> bool:
            async with session.post(url, data=_body(parameters, chat_id), headers=headers) as r:
                return bool(json.loads(await r.read())["ok"])

        ok, seconds, cpu = await _drive(one, chat_ids, connections, chunk)
    name = "aiohttp (bare)" if chunk is None else f"aiohttp (bare, chunks of {chunk})"
    return ClientResult(name, len(chat_ids), ok, seconds, cpu)


async def run_httpx(
    url: str,
    parameters: dict[str, str],
    chat_ids: list[int],
    *,
    connections: int,
    chunk: int | None = None,
) -> ClientResult:
    import httpx

    headers = {"Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=None) as client:

        async def one(chat_id: int) -> bool:
            response = await client.post(url, content=_body(parameters, chat_id), headers=headers)
            return bool(json.loads(response.content)["ok"])

        ok, seconds, cpu = await _drive(one, chat_ids, connections, chunk)
    name = "httpx (bare)" if chunk is None else f"httpx (bare, chunks of {chunk})"
    return ClientResult(name, len(chat_ids), ok, seconds, cpu)
