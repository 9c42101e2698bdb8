"""The send order under a rate limit, through the real claim, tick and sandbox, on SQLite and
PostgreSQL: earliest due first, who waited longer last time first among equals, a late
backlog held to its share while fresher reminders wait, expired ones recorded as skipped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.catalog import Catalog
from bot.clock import FakeClock
from bot.db.models import Delivery, User
from bot.db.users import ensure_user
from bot.domain.reminders import DeliveryStatus
from bot.ratelimit import SendRateLimiter
from bot.reminders.sender import ReminderSender
from bot.reminders.tick import ReminderTicker
from bot.sandbox.server import FakeBotApi
from bot.transport import AiohttpRequest
from tests.e2e.conftest import Chat, running_bot

LEASE = timedelta(minutes=5)
BATCH = 4  # a claim takes 4 to send; the backlog's share is 2 of them


class PacedTime:
    """The limiter's monotonic time, jumping over every wait; the bot's clock moves with it,
    so each send is later than the one before, as under a real rate limit."""

    def __init__(self, clock: FakeClock) -> None:
        self.seconds = 0.0
        self._clock = clock

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, seconds: float) -> None:
        self.seconds += seconds
        self._clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


@pytest.fixture
async def bot(
    api: FakeBotApi,
    database_url: str,
    engine: AsyncEngine,  # empties the (shared) database first
    catalog: Catalog,
    clock: FakeClock,
) -> AsyncIterator[Chat]:
    # One send a second: a chunk is one message, so the sandbox sees them in send order.
    async with running_bot(
        api,
        database_url,
        catalog,
        clock,
        LIMBER_SEND_RATE_PER_SECOND=1,
        LIMBER_CLAIM_BATCH_SIZE=BATCH,
        LIMBER_REMINDER_GRACE_MINUTES=120,
    ) as running:
        yield running


@pytest.fixture
async def paced_ticker(bot: Chat) -> AsyncIterator[ReminderTicker]:
    """The real tick and sender, paced by the real limiter at one message a second."""
    paced = PacedTime(bot.clock)
    limiter = SendRateLimiter(1, None, burst=1, clock=paced.monotonic, sleep=paced.sleep)
    request = AiohttpRequest()
    sender = ReminderSender(
        Bot(bot.api.token, base_url=f"{bot.api.base_url}/bot", request=request), limiter
    )
    yield ReminderTicker(bot.services, sender, lease=LEASE)
    await request.shutdown()


async def add_user(
    bot: Chat,
    user_id: int,
    *,
    daily: datetime | None = None,
    snooze: datetime | None = None,
    waited: int = 0,
) -> None:
    bot.api.register_chat(user_id)
    async with bot.services.transaction() as session:
        user = await ensure_user(session, user_id, user_id, bot.clock.now() - timedelta(days=30))
        user.reminder_time = time(7, 0)
        user.next_due_at = daily
        user.snooze_due_at = snooze
        user.last_lateness_seconds = waited


def lateness_observations() -> float:
    return REGISTRY.get_sample_value("limber_reminder_lateness_seconds_count") or 0.0


async def test_reminders_go_earliest_due_first_with_the_backlog_held_to_its_share(
    bot: Chat, paced_ticker: ReminderTicker
) -> None:
    now = bot.clock.now()
    minutes = lambda n: now - timedelta(minutes=n)  # noqa: E731
    await add_user(bot, 1, daily=minutes(180))  # past the 2-hour grace: skipped
    # A backlog (later than half the grace window), due together: who waited longer first.
    await add_user(bot, 2, daily=minutes(90), waited=0)
    await add_user(bot, 3, daily=minutes(90), waited=50)
    await add_user(bot, 4, daily=minutes(90), waited=20)
    # Fresh ones, of both kinds: one order across kinds.
    await add_user(bot, 5, snooze=minutes(10))
    await add_user(bot, 6, daily=minutes(20), waited=10)
    await add_user(bot, 7, daily=minutes(20), waited=600)
    await add_user(bot, 8, daily=minutes(1))
    await add_user(bot, 9, snooze=minutes(20), waited=300)
    observed_before = lateness_observations()

    while (await paced_ticker.tick()).claimed:
        pass

    sent_to = [call.params["chat_id"] for call in bot.api.calls_to("sendMessage") if call.ok]
    # First claim: two of the backlog (its share), then the two earliest fresh ones (users 7
    # and 9 are due together, 7 waited longer). Second claim: the rest, earliest due first.
    assert [int(chat_id) for chat_id in sent_to] == [3, 4, 7, 9, 2, 6, 5, 8]
    async with bot.services.sessions() as session:
        reminders = select(Delivery.user_id, Delivery.status).where(
            Delivery.kind.in_(["daily", "snooze"])  # not the pain check-ins these users are owed
        )
        statuses = dict((await session.execute(reminders)).all())
        waited = dict((await session.execute(select(User.id, User.last_lateness_seconds))).all())
        user_1 = await session.get(User, 1)
    assert statuses[1] == DeliveryStatus.SKIPPED.value
    assert user_1 is not None and user_1.next_due_at is not None and user_1.next_due_at > now
    assert all(statuses[user] == DeliveryStatus.SENT.value for user in range(2, 10))
    # Each one's lateness is stored for the next time and observed by the histogram.
    assert waited[1] == 0
    # Sent a few (paced) seconds after the claim: due this many minutes before it.
    due_minutes_ago = {2: 90, 3: 90, 4: 90, 5: 10, 6: 20, 7: 20, 8: 1, 9: 20}
    for user, minutes in due_minutes_ago.items():
        assert minutes * 60 <= waited[user] < minutes * 60 + 30, (user, waited[user])
    assert waited[8] - 60 > waited[3] - 90 * 60  # the last send went out after the first
    assert lateness_observations() - observed_before == 8
