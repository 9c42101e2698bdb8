"""The terminal chat client against a tiny echo bot, with scripted and live input."""

from __future__ import annotations

import asyncio
import io
import os

from telegram.ext import Application

from bot.sandbox.models import SentFile, SentMessage
from bot.sandbox.server import FakeBotApi
from bot.sandbox.terminal import SettleTiming, format_message, run_terminal_chat

CHAT = 7
FAST = SettleTiming(quiet_period=0.2, max_wait=3.0)


async def test_scripted_session_reads_like_a_chat(
    api: FakeBotApi,
    echo_bot: Application,  # type: ignore[type-arg]
) -> None:
    script = io.StringIO("/start\n2\n\nhello there\n1\n/quit\nnever sent\n")
    output = io.StringIO()

    await run_terminal_chat(api, CHAT, input_stream=script, output=output, timing=FAST)

    assert output.getvalue() == (
        "> /start\n"
        "Welcome! Pick one:\n"
        "[1] Done  [2] Another\n\n"
        "> 2\n"
        "(notice: Got another)\n\n"
        "(edited) You pressed another\n\n"
        "> hello there\n"
        "You said: hello there\n\n"
        # The last message has no buttons any more, so "1" is just text.
        "> 1\n"
        "You said: 1\n\n"
    )
    assert all(m.text != "You said: never sent" for m in api.history(CHAT))


async def test_messages_arriving_without_input_are_printed(
    api: FakeBotApi,
    echo_bot: Application,  # type: ignore[type-arg]
) -> None:
    """A reminder can come at any time, while the client waits for the user to type."""
    read_fd, write_fd = os.pipe()
    output = io.StringIO()
    with os.fdopen(read_fd, "r") as reader, os.fdopen(write_fd, "w") as writer:
        chat = asyncio.create_task(
            run_terminal_chat(
                api, CHAT, input_stream=reader, output=output, timing=FAST, echo_input=False
            )
        )
        writer.write("/start\n")
        writer.flush()
        await api.wait_for_bot_messages(CHAT, 1, after=0)

        await echo_bot.bot.send_message(CHAT, "⏰ Time for your stretch!")
        for _ in range(100):
            if "Time for your stretch" in output.getvalue():
                break
            await asyncio.sleep(0.02)

        writer.write("/quit\n")
        writer.flush()
        await asyncio.wait_for(chat, 5)
    assert output.getvalue().endswith("⏰ Time for your stretch!\n\n")


async def test_end_of_input_ends_the_chat(api: FakeBotApi) -> None:
    await asyncio.wait_for(
        run_terminal_chat(api, CHAT, input_stream=io.StringIO(""), output=io.StringIO()), 2
    )


def test_format_message_shows_files_and_numbered_buttons() -> None:
    message = SentMessage(
        seq=1,
        chat_id=CHAT,
        message_id=3,
        action="sent",
        kind="document",
        text="Your data",
        raw_text="<b>Your data</b>",
        parse_mode="HTML",
        date=0,
        file=SentFile("f1", "mydata.json", b"{}"),
    )
    assert format_message(message) == "(file: mydata.json, 2 bytes)\nYour data"


def test_format_message_shows_an_animations_size_and_length() -> None:
    gif = SentFile(
        "a1", "cat-cow.gif", b"GIF89a", "image/gif", kind="animation", width=480, height=480,
        duration=3,
    )  # fmt: skip
    message = SentMessage(
        seq=1,
        chat_id=CHAT,
        message_id=4,
        action="sent",
        kind="animation",
        text="Cat-cow",
        raw_text="<b>Cat-cow</b>",
        parse_mode="HTML",
        date=0,
        file=gif,
    )
    assert format_message(message) == "(animation: cat-cow.gif, 480x480, 3 s, 6 bytes)\nCat-cow"
