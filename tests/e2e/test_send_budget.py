"""One send budget for every process of a deployment: real `limber worker` processes on real
PostgreSQL, against the sandbox enforcing Telegram's broadcast rates over real HTTP.

- Three workers together keep the configured rate (not three times it): no 429, every user once.
- A reminder refused with 429 is back in the queue before the worker waits out the
  retry_after, so a worker killed (SIGKILL) during that wait loses nothing.
- Paid broadcast: the late go paid until the day's Stars are spent, then the rest go free;
  in a burst the paid lane starts with the first chunk, beside the free one.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery, PaidBroadcastDay, User
from bot.domain.schedule import EVERY_DAY
from bot.sandbox.limits import RateLimits
from bot.sandbox.models import ApiCall
from bot.sandbox.server import FakeBotApi
from tests.e2e.processes import Limber, start_limber, stop_all

RATE = 150  # a second: 3,000 reminders take 20 s
WINDOW = 5.0


async def due_users(
    sessions: async_sessionmaker[AsyncSession],
    count: int,
    now: datetime,
    *,
    spread: float = 0,
    first: int = 1,
) -> None:
    """``count`` users from id ``first`` whose daily reminder fell due just now (or over the
    last ``spread`` seconds, the first user earliest)."""
    rows = [
        {
            "id": user_id,
            "chat_id": user_id,
            "timezone": "UTC",
            "reminder_time": time(6, 0),
            "reminder_days": EVERY_DAY,
            "focus_areas": [],
            "level": 1,
            "paused": False,
            "active": True,
            "next_due_at": now - timedelta(seconds=spread * (1 - index / count) + 1),
            "created_at": now - timedelta(days=1),
            "updated_at": now - timedelta(days=1),
        }
        for index, user_id in enumerate(range(first, first + count))
    ]
    async with sessions() as session, session.begin():
        await session.execute(insert(User), rows)


async def workers(
    api: FakeBotApi, database_url: str, workdir: Path, count: int, **env: str | float
) -> list[Limber]:
    settings: dict[str, str | float] = {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "LIMBER_DATABASE_URL": database_url,
        "LIMBER_TICK_SECONDS": 0.2,
        "LIMBER_CLAIM_BATCH_SIZE": 100,
        "LIMBER_SEND_RATE_PER_SECOND": RATE,
        "LIMBER_REPLY_RESERVE_PER_SECOND": 0,  # workers never reply
        "LIMBER_SEND_RATE_PER_CHAT_SECONDS": 0,
        "LIMBER_DELIVERY_LEASE_SECONDS": 3,
        "LIMBER_HEALTH_PORT": 0,
        "LIMBER_LOG_LEVEL": "WARNING",
        **env,
    }
    return [
        await start_limber("worker", workdir, f"worker-{index}", **settings)
        for index in range(count)
    ]


async def wait_until(condition: Callable[[], bool], what: str, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def everyone_has_one(api: FakeBotApi, users: int) -> Callable[[], bool]:
    """Cheap enough to poll while the sandbox counts every send's arrival: the last user
    first, the whole list only once that one has its message."""
    return lambda: (
        bool(api.messages(users)) and all(api.messages(chat) for chat in range(1, users + 1))
    )


def window_rates(times: list[float], window: float) -> list[float]:
    """Sends a second in every window of ``window`` seconds that starts at a send and ends
    by the last one."""
    rates = []
    end = 0
    for start, at in enumerate(times):
        if at + window > times[-1]:
            break
        while end < len(times) and times[end] < at + window:
            end += 1
        rates.append((end - start) / window)
    return rates


async def statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        result = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return {status: count for status, count in result.all()}


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_three_workers_keep_one_rate_together(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    users = 3000
    limits = RateLimits(free_per_second=RATE, paid_per_second=0)
    async with FakeBotApi(auto_register_chats=True, validate=False, rate_limits=limits) as api:
        # A lease long enough that no process takes over another's batch while it is sent.
        lease = {"LIMBER_DELIVERY_LEASE_SECONDS": 30, "LIMBER_LOG_LEVEL": "INFO"}
        processes = await workers(api, database_url, tmp_path, 3, **lease)
        try:
            for process in processes:  # all three running before the reminders fall due
                await process.wait_for_line("Limber is running")
            await due_users(sessions, users, datetime.now(UTC))
            await wait_until(everyone_has_one(api, users), "every reminder to arrive", 60)
        finally:
            await stop_all(processes)
        sends = api.calls_to("sendMessage")
        counts = [len(api.messages(chat)) for chat in range(1, users + 1)]

    refused = [call for call in sends if call.status == 429]
    assert not refused, f"{len(refused)} answers 429: the workers sent over the shared rate"
    assert set(counts) == {1}, "every user exactly once"
    rates = window_rates(sorted(call.at for call in sends if call.ok), WINDOW)
    assert rates, "the sends spanned more than one window"
    slowest, fastest = min(rates), max(rates)
    assert slowest >= RATE * 0.9 and fastest <= RATE * 1.1, (slowest, fastest)
    assert await statuses(sessions) == {"sent": users}


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_worker_killed_while_waiting_out_a_429_loses_nothing(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    users, refused, retry_after = 40, 10, 4
    await due_users(sessions, users, datetime.now(UTC))
    async with FakeBotApi(auto_register_chats=True, validate=False) as api:
        api.fail_next("sendMessage", status=429, retry_after=retry_after, times=refused)
        [worker] = await workers(api, database_url, tmp_path, 1, LIMBER_SEND_RATE_PER_SECOND=50)
        rest: list[Limber] = []
        try:
            await wait_until(
                lambda: _statuses_in(api.calls_to("sendMessage")).count(429) == refused,
                "Telegram to refuse with 429",
                30,
            )
            await asyncio.sleep(1)  # the worker is waiting out retry_after now
            worker.process.send_signal(signal.SIGKILL)
            assert await worker.wait() == -signal.SIGKILL
            rest = await workers(api, database_url, tmp_path, 1)
            await wait_until(everyone_has_one(api, users), "every reminder to arrive", 30)
        finally:
            await stop_all([worker, *rest])
        counts = [len(api.messages(chat)) for chat in range(1, users + 1)]
    assert set(counts) == {1}, "the refused ones were sent later, and nobody twice"
    assert await statuses(sessions) == {"sent": users}


def _statuses_in(calls: list[ApiCall]) -> list[int]:
    return [call.status for call in calls]


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_paid_broadcast_stops_at_the_days_budget_and_the_rest_go_free(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    users, free_rate, budget_stars = 100, 20, 5.0  # 5 Stars pay for 50 messages
    await due_users(sessions, users, datetime.now(UTC), spread=120)
    # Every reminder is already later than the target: all would go paid, budget allowing.
    limits = RateLimits(free_per_second=free_rate, paid_per_second=200)
    async with FakeBotApi(auto_register_chats=True, validate=False, rate_limits=limits) as api:
        processes = await workers(
            api,
            database_url,
            tmp_path,
            2,
            LIMBER_SEND_RATE_PER_SECOND=free_rate,
            LIMBER_PAID_BROADCAST_RATE=200,
            LIMBER_PAID_BROADCAST_DAILY_STARS=budget_stars,
            LIMBER_TARGET_LATENESS_SECONDS=2,
            LIMBER_CLAIM_BATCH_SIZE=100,
        )
        try:
            await wait_until(everyone_has_one(api, users), "every reminder to arrive", 60)
            first_round = len(api.calls_to("sendMessage"))
            # Later that day, more reminders fall late: the budget is spent, so they go free.
            await due_users(sessions, 20, datetime.now(UTC), spread=60, first=users + 1)
            await wait_until(everyone_has_one(api, users + 20), "the later reminders", 30)
        finally:
            await stop_all(processes)
        sends = api.calls_to("sendMessage")
        counts = [len(api.messages(chat)) for chat in range(1, users + 21)]

    paid = [call for call in sends if call.params.get("allow_paid_broadcast")]
    assert not [call for call in sends if call.status == 429], "every lane kept to its rate"
    assert len(paid) == 50, "paid until the budget was spent, and not one more"
    assert not [call for call in sends[first_round:] if call.params.get("allow_paid_broadcast")]
    assert set(counts) == {1}
    async with sessions() as session:
        counted = await session.scalar(select(PaidBroadcastDay.messages))
    assert counted == 50


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_in_a_burst_the_paid_lane_starts_at_once_beside_the_free_one(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    # 400 due at once, 20 a second free and a 5 s target: the free lane can take about 70 in
    # time, so about 330 go paid. Planned for the whole batch, paid sends begin with the first
    # chunk; chosen chunk by chunk, they began only once the free lane's wait reached 5 s.
    users, free_rate = 400, 20
    limits = RateLimits(free_per_second=free_rate, paid_per_second=200)
    async with FakeBotApi(auto_register_chats=True, validate=False, rate_limits=limits) as api:
        [worker] = await workers(
            api,
            database_url,
            tmp_path,
            1,
            LIMBER_SEND_RATE_PER_SECOND=free_rate,
            LIMBER_PAID_BROADCAST_RATE=200,
            LIMBER_PAID_BROADCAST_DAILY_STARS=100,
            LIMBER_TARGET_LATENESS_SECONDS=5,
            LIMBER_CLAIM_BATCH_SIZE=users,
            LIMBER_LOG_LEVEL="INFO",
        )
        try:
            await worker.wait_for_line("Limber is running")
            await due_users(sessions, users, datetime.now(UTC))
            await wait_until(everyone_has_one(api, users), "every reminder to arrive", 60)
        finally:
            await stop_all([worker])
        sends = sorted(api.calls_to("sendMessage"), key=lambda call: call.at)
        counts = [len(api.messages(chat)) for chat in range(1, users + 1)]

    assert not [call for call in sends if call.status == 429], "every lane kept to its rate"
    assert set(counts) == {1}
    lanes = [bool(call.params.get("allow_paid_broadcast")) for call in sends]
    assert any(lanes[:10]), "paid sends began with the first chunk"
    assert 250 <= sum(lanes) <= 380, "the free lane took its share, the paid lane the rest"
