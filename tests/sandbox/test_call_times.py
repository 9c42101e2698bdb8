"""Every call the sandbox logs carries the time it arrived by the sandbox's clock, so tests
can check the spacing of a bot's calls (a hold timer's edits) on a fake clock."""

from __future__ import annotations

import aiohttp

from bot.sandbox.server import FakeBotApi
from tests.sandbox.conftest import RawClient

CHAT = 1001


async def test_calls_carry_the_clock_time_they_arrived_at() -> None:
    now = [1_000.25]
    async with FakeBotApi(clock=lambda: now[0]) as api, aiohttp.ClientSession() as session:
        client = RawClient(api, session)
        await api.send_user_message(CHAT, "hi")
        sent = (await client.call("sendMessage", chat_id=CHAT, text="3")).result
        now[0] += 5.5
        await client.call("editMessageText", chat_id=CHAT, message_id=sent["message_id"], text="2")
        now[0] += 1
        refused = await client.call(
            "editMessageText", chat_id=CHAT, message_id=sent["message_id"], text="2"
        )
        assert refused.status == 400  # not modified: logged too, with its time
        calls = [c for c in api.calls if c.method != "getUpdates"]
        assert [(c.method, c.at, c.status) for c in calls] == [
            ("sendMessage", 1_000.25, 200),
            ("editMessageText", 1_005.75, 200),
            ("editMessageText", 1_006.75, 400),
        ]
