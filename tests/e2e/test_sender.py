"""The reminder sender against the sandbox over real HTTP: every Telegram failure mode."""

from __future__ import annotations

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
MESSAGE = OutgoingMessage(chat_id=CHAT, text="<b>Time to stretch</b>", keyboard=None)


async def no_sleep(_seconds: float) -> None:
    return None


SenderFactory = Callable[..., ReminderSender]


@pytest.fixture
async def make_sender() -> AsyncIterator[SenderFactory]:
    """Senders over real HTTP with limits off and no real sleeping; closed after the test."""
    requests: list[AiohttpRequest] = []

    def factory(base_url: str, token: str, *, read_timeout: float = 5.0) -> ReminderSender:
        request = AiohttpRequest(read_timeout=read_timeout, connect_timeout=1.0)
        requests.append(request)
        bot = Bot(token, base_url=f"{base_url}/bot", request=request)
        return ReminderSender(bot, SendRateLimiter(None, None), sleep=no_sleep)

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


async def test_rate_limit_waits_and_pauses_everyone(
    api: FakeBotApi, make_sender: SenderFactory
) -> None:
    api.fail_next("sendMessage", status=429, retry_after=3)
    sender = make_sender(api.base_url, api.token)
    result = await sender.send(MESSAGE)
    assert (result.status, result.attempts, sender.rate_limited_count) == (
        DeliveryStatus.SENT,
        2,
        1,
    )
    assert len(api.messages(CHAT)) == 1


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
