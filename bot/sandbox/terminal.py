"""A terminal chat against the sandbox: you are the user, the bot is the real one.

Used by `limber demo`. Bot messages are printed as they arrive (reminders can
come at any time), not only in reply to input. Reading stdin happens in a
daemon thread so it never blocks the event loop and never keeps the process
alive on exit.

For piped input each line waits until the bot has gone quiet before the next
one is sent, which makes scripted sessions deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from bot.sandbox.models import InlineButton, SentMessage
from bot.sandbox.server import FakeBotApi

QUIT = "/quit"


@dataclass(frozen=True, slots=True)
class SettleTiming:
    """How long to wait for the bot after each line.

    The bot counts as done once nothing new arrived for `quiet_period` seconds
    after its first reaction, or after `max_wait` seconds in total.
    """

    # Long enough for a picture drawn on first use (a worker thread, about a second on a busy
    # machine) to arrive before the next line: the typing/upload action is not a message.
    quiet_period: float = 1.5
    max_wait: float = 6.0


def format_message(message: SentMessage) -> str:
    """A bot message as plain text: file line, text, then numbered buttons."""
    lines: list[str] = []
    if message.file is not None:
        sent = message.file
        label = message.kind if message.kind in ("photo", "animation") else "file"
        details = [sent.filename or sent.url or sent.file_id]
        if sent.width and sent.height:
            details.append(f"{sent.width}x{sent.height}")
        if sent.duration:
            details.append(f"{sent.duration} s")
        details.append(f"{sent.size} bytes")
        lines.append(f"({label}: {', '.join(details)})")
    if message.text:
        lines.append(message.text)
    if message.buttons:
        lines.append("  ".join(f"[{n}] {b.text}" for n, b in enumerate(message.buttons, 1)))
    if message.action == "edited":
        lines[0] = f"(edited) {lines[0]}" if lines else "(edited)"
    return "\n".join(lines)


class _Transcript:
    """Everything printed, plus the last bot message shown (for button numbers)."""

    def __init__(self, output: TextIO) -> None:
        self._output = output
        self.last_message: SentMessage | None = None

    def bot(self, message: SentMessage) -> None:
        self.last_message = message
        self._write(format_message(message) + "\n\n")

    def user(self, text: str) -> None:
        self._write(f"> {text}\n")

    def note(self, text: str) -> None:
        self._write(f"{text}\n")

    def _write(self, text: str) -> None:
        self._output.write(text)
        self._output.flush()


async def run_terminal_chat(
    api: FakeBotApi,
    chat_id: int,
    *,
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
    first_name: str = "You",
    language_code: str = "en",
    timing: SettleTiming | None = None,
    echo_input: bool | None = None,
) -> None:
    """Chat as user `chat_id` until `/quit` or end of input.

    A line that is a number N presses button N of the last bot message shown
    (numbered across rows from 1), if it has buttons; any other line is sent as
    a user message. `echo_input` (default: on when input is not a terminal)
    prints each line as "> line" so piped transcripts read like a chat.
    """
    stdin = input_stream if input_stream is not None else sys.stdin
    transcript = _Transcript(output if output is not None else sys.stdout)
    interactive = _is_terminal(stdin)
    echo = (not interactive) if echo_input is None else echo_input
    session = _Session(
        api, chat_id, transcript, timing or SettleTiming(), first_name, language_code
    )
    if interactive:
        transcript.note(
            f"Chatting with @{api.bot_user['username']}. A number presses that button; "
            f"{QUIT} exits.\n"
        )
    printer = asyncio.create_task(_print_bot_messages(api, chat_id, transcript, api.mark()))
    lines = _read_lines_in_background(stdin)
    try:
        while (line := await lines.get()) is not None:
            text = line.strip()
            if text == QUIT:
                break
            if not text:
                continue
            if echo:
                transcript.user(text)
            await session.handle(text)
    finally:
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer


async def _print_bot_messages(
    api: FakeBotApi, chat_id: int, transcript: _Transcript, after: int
) -> None:
    async for message in api.iter_bot_messages(chat_id, after=after):
        transcript.bot(message)


@dataclass(slots=True)
class _Session:
    api: FakeBotApi
    chat_id: int
    transcript: _Transcript
    timing: SettleTiming
    first_name: str
    language_code: str

    async def handle(self, text: str) -> None:
        mark = self.api.mark()
        button = self._numbered_button(text)
        if button is None:
            await self.api.send_user_message(
                self.chat_id, text, first_name=self.first_name, language_code=self.language_code
            )
            await self._settle(mark, reacted=False)
        else:
            await self._press(*button, mark)

    def _numbered_button(self, text: str) -> tuple[SentMessage, InlineButton] | None:
        last = self.transcript.last_message
        if not text.isdigit() or last is None or not last.buttons:
            return None  # an ordinary message, even if it looks like a number
        buttons = last.buttons
        index = int(text)
        if not 1 <= index <= len(buttons):
            return None
        return last, buttons[index - 1]

    async def _press(self, message: SentMessage, button: InlineButton, mark: int) -> None:
        if button.callback_data is None:
            self.transcript.note(f"(that button opens {button.url or 'something else'})")
            return
        try:
            query_id = await self.api.press_button(
                self.chat_id, message.message_id, button.callback_data
            )
        except ValueError:
            self.transcript.note("(that message is gone)")
            return
        try:
            answer = await self.api.wait_for_callback_answer(query_id, self.timing.max_wait)
        except TimeoutError:
            self.transcript.note("(the bot did not answer the button press)")
            await self._settle(mark, reacted=False)
            return
        if answer.text:
            kind = "alert" if answer.show_alert else "notice"
            self.transcript.note(f"({kind}: {answer.text})\n")
        await self._settle(mark, reacted=True)

    async def _settle(self, mark: int, *, reacted: bool) -> None:
        """Wait for the bot's first reaction, then until it is quiet (bounded)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timing.max_wait
        cursor = mark
        first = not reacted
        while (remaining := deadline - loop.time()) > 0:
            wait = remaining if first else min(self.timing.quiet_period, remaining)
            try:
                events = await self.api.wait_for_bot_messages(self.chat_id, 1, wait, after=cursor)
            except TimeoutError:
                return
            cursor = events[-1].seq
            first = False


def _read_lines_in_background(stream: TextIO) -> asyncio.Queue[str | None]:
    """Lines from `stream` via a daemon thread; None marks end of input."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def deliver(line: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody listens
            loop.call_soon_threadsafe(queue.put_nowait, line)

    def pump() -> None:
        try:
            for line in iter(stream.readline, ""):
                deliver(line)
        except (OSError, ValueError):
            pass  # stream closed under us; treat as end of input
        finally:
            deliver(None)

    threading.Thread(target=pump, name="terminal-chat-input", daemon=True).start()
    return queue


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
