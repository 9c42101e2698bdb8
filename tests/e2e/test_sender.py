"""The reminder sender against the sandbox over real HTTP: every Telegram failure mode."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable

import pytest
from telegram import Bot

from bot.domain.reminders import DeliveryStatus
from bot.ratelimit import SendRateLimiter
from bot.reminders.sender import MAX_ATTEMPTS, OutgoingMessage, ReminderSender
from bot.sandbox.server import FakeBotApi
from bot.transport import AiohttpRequest

CHAT = 77
OTHER_CHAT = 78
MESSAGE = OutgoingMessage(chat_id=CHAT, text="<b>Time to stretch</b>", keyboard=None)


async def no_sleep(_seconds: float) -> None:
    return None


class ManualTime:
    """A monotonic clock that moves only when the test advances it; a sleeper wakes once its
    deadline has come. Shared by the sender and its rate limiter, as the real ones share
    the event loop's time."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []
        self._changed = asyncio.Event()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        sleeper = (self.now + seconds, asyncio.get_running_loop().create_future())
        self._sleepers.append(sleeper)
        self._changed.set()
        try:
            await sleeper[1]
        finally:
            self._sleepers.remove(sleeper)

    async def until_sleeping(self, count: int) -> list[float]:
        """Wait until ``count`` tasks sleep; the instants they wait for."""
        async with asyncio.timeout(10):  # a safety net against a hang, not a measurement
            while len(self._sleepers) < count:
                self._changed.clear()
                await self._changed.wait()
        return sorted(deadline for deadline, _ in self._sleepers)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for deadline, waiting in self._sleepers:
            if deadline <= self.now and not waiting.done():
                waiting.set_result(None)


SenderFactory = Callable[..., ReminderSender]


@pytest.fixture
async def make_sender() -> AsyncIterator[SenderFactory]:
    """Senders over real HTTP with limits off and no real sleeping (or sleeping on a manual
    clock); closed after the test."""
    requests: list[AiohttpRequest] = []

    def factory(
        base_url: str, token: str, *, read_timeout: float = 5.0, time: ManualTime | None = None
    ) -> ReminderSender:
        request = AiohttpRequest(read_timeout=read_timeout, connect_timeout=1.0)
        requests.append(request)
        bot = Bot(token, base_url=f"{base_url}/bot", request=request)
        if time is None:
            return ReminderSender(bot, SendRateLimiter(None, None), sleep=no_sleep)
        limiter = SendRateLimiter(None, None, clock=time.monotonic, sleep=time.sleep)
        return ReminderSender(bot, limiter, sleep=time.sleep)

    yield factory
    for request in requests:  # the bots were never initialized, so close the sessions here
        await request.shutdown()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.register_chat(CHAT)
        yield server


async def test_sent_once_with_its_message_id(api: FakeBotApi, make_sender: SenderFactory) -> None:
    result = await make_sender(api.base_url, api.token).send(MESSAGE)
    assert result.status is DeliveryStatus.SENT and result.attempts == 1
    [message] = api.messages(CHAT)
    assert (message.message_id, message.text) == (result.message_id, "Time to stretch")


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retried_until_sent(
    api: FakeBotApi, make_sender: SenderFactory, status: int
) -> None:
    api.fail_next("sendMessage", status=status, times=2)
    result = await make_sender(api.base_url, api.token).send(MESSAGE)
    assert (result.status, result.attempts) == (DeliveryStatus.SENT, 3)
    assert len(api.messages(CHAT)) == 1


async def test_a_429_goes_back_at_once_and_pauses_everyone(
    api: FakeBotApi, make_sender: SenderFactory
) -> None:
    api.register_chat(OTHER_CHAT)
    api.fail_next("sendMessage", status=429, retry_after=3, chat_id=CHAT)
    time = ManualTime()
    sender = make_sender(api.base_url, api.token, time=time)

    # Known not delivered: handed back at once with Telegram's retry_after, for the tick to put
    # back in the queue, rather than waited for here (a process killed while waiting lost it).
    refused = await sender.send(MESSAGE)
    assert (refused.status, refused.retry_after, refused.attempts) == (
        DeliveryStatus.PENDING,
        3.0,
        1,
    )
    assert sender.rate_limited_count == 1
    # Telegram's flood control holds for the whole bot: a send to another chat waits too.
    other = asyncio.create_task(sender.send(OutgoingMessage(OTHER_CHAT, "Hello", None)))
    assert await time.until_sleeping(1) == [3.0]
    time.advance(2.9)
    assert await time.until_sleeping(1) == [3.0]  # not yet
    assert not other.done(), "a send to another chat went out during the pause"
    time.advance(0.1)
    second = await other

    assert (second.status, second.attempts) == (DeliveryStatus.SENT, 1)
    assert [call.status for call in api.calls_to("sendMessage")] == [429, 200]
    assert [len(api.messages(chat)) for chat in (CHAT, OTHER_CHAT)] == [0, 1]


async def test_accepted_but_unanswered_is_never_sent_twice(
    api: FakeBotApi, make_sender: SenderFactory
) -> None:
    api.delay_next("sendMessage", 2.0, after_processing=True)
    result = await make_sender(api.base_url, api.token, read_timeout=0.3).send(MESSAGE)
    assert result.status is DeliveryStatus.UNKNOWN
    assert len(api.messages(CHAT)) == 1  # Telegram has it once; we did not resend


async def test_blocked_user(api: FakeBotApi, make_sender: SenderFactory) -> None:
    await api.block_bot(CHAT)
    result = await make_sender(api.base_url, api.token).send(MESSAGE)
    assert result.status is DeliveryStatus.BLOCKED


async def test_refused_message_fails_without_retry(
    api: FakeBotApi, make_sender: SenderFactory
) -> None:
    too_long = OutgoingMessage(chat_id=CHAT, text="x" * 5000, keyboard=None)
    result = await make_sender(api.base_url, api.token).send(too_long)
    assert (result.status, result.attempts) == (DeliveryStatus.FAILED, 1)


async def test_unreachable_server_is_retried_then_left_pending(make_sender: SenderFactory) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await make_sender(f"http://127.0.0.1:{port}", "1:x").send(MESSAGE)
    assert (result.status, result.attempts) == (DeliveryStatus.PENDING, MAX_ATTEMPTS)
