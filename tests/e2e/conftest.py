"""End-to-end harness: the real bot, polling over real HTTP against the sandbox Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

import pytest
from telegram import Bot

from bot.app import build_application, started
from bot.catalog import Catalog, load_catalog
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.db.models import User
from bot.db.users import ensure_user
from bot.domain.precautions import PrecautionAnswers
from bot.ratelimit import SendRateLimiter
from bot.reminders.kinds import ReminderKind, ReminderKinds
from bot.reminders.sender import ReminderSender
from bot.reminders.tick import ReminderTicker, TickReport
from bot.sandbox.models import SentMessage
from bot.sandbox.server import FakeBotApi
from bot.services import Services
from bot.timers import TimerTicker, TimerTickReport
from bot.transport import AiohttpRequest

CHAT_ID = 424242


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CONTENT_DIR)


@dataclass
class Chat:
    """One user talking to the bot: type, press buttons, read replies."""

    api: FakeBotApi
    clock: FakeClock
    ticker: ReminderTicker
    services: Services
    timers: TimerTicker
    chat_id: int = CHAT_ID

    async def say(self, text: str, replies: int = 1) -> list[SentMessage]:
        await self.api.send_user_message(self.chat_id, text)
        return await self.api.wait_for_bot_messages(self.chat_id, replies)

    async def press(
        self, label: str, replies: int = 1, *, message_id: int | None = None
    ) -> list[SentMessage]:
        """Press a button by its label on the newest message showing it; wait for the replies."""
        query_id = await self.api.press_button_labeled(self.chat_id, label, message_id=message_id)
        messages = await self.api.wait_for_bot_messages(self.chat_id, replies) if replies else []
        await self.api.wait_for_callback_answer(query_id)
        return messages

    async def press_data(self, message_id: int, data: str) -> str:
        """Press with arbitrary (stale, forged) data; returns the callback answer's text."""
        query_id = await self.api.press_button(self.chat_id, message_id, data)
        answer = await self.api.wait_for_callback_answer(query_id)
        return answer.text or ""

    async def tick(self) -> TickReport:
        return await self.ticker.tick()

    async def tick_timers(self) -> TimerTickReport:
        return await self.timers.tick()

    async def answer_safety_questions(self, answers: PrecautionAnswers) -> None:
        """Store the stretch safety answers as if the user had given them."""
        async with self.services.transaction() as session:
            user = await ensure_user(session, self.chat_id, self.chat_id, self.clock.now())
            user.precaution_answers = answers.code

    async def finish_onboarding(self) -> None:
        """The user is past onboarding and not asked for a zone, as every user from before
        onboarding existed."""
        async with self.services.transaction() as session:
            user = await ensure_user(session, self.chat_id, self.chat_id, self.clock.now())
            user.onboarding_step = None
            user.zone_chosen = True

    async def user(self) -> User:
        async with self.services.sessions() as session:
            user = await session.get(User, self.chat_id)
        assert user is not None
        return user

    @property
    def last(self) -> SentMessage:
        message = self.api.last_message(self.chat_id)
        assert message is not None
        return message

    def last_reminder(self) -> SentMessage:
        """The newest daily reminder card (a weekly summary or a check-in may have come after
        it in the same tick)."""
        reminders = [
            message
            for message in self.api.messages(self.chat_id)
            if message.text.startswith("⏰ Time for your daily stretch!")
        ]
        assert reminders, "no daily reminder in the chat"
        return reminders[-1]


def make_settings(api: FakeBotApi, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "TELEGRAM_API_BASE_URL": api.base_url,
        "LIMBER_DATABASE_URL": database_url,
        "LIMBER_SEND_RATE_PER_SECOND": 1000,
        "LIMBER_SEND_RATE_PER_CHAT_SECONDS": 0,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {}


NO_TO_EVERY_SAFETY_QUESTION = PrecautionAnswers(0b010101)


@pytest.fixture
def safety_answers() -> PrecautionAnswers | None:
    """The chat's user has answered No to the stretch safety questions, so tests about other
    things get a stretch at once; override with None for a user who was never asked."""
    return NO_TO_EVERY_SAFETY_QUESTION


@pytest.fixture
def onboarded() -> bool:
    """The chat's user is past onboarding, so tests about other things see /start's menu;
    override with False for a brand-new user."""
    return True


@pytest.fixture
async def api(clock: FakeClock) -> AsyncIterator[FakeBotApi]:
    # Telegram's message dates follow the test's clock, as they follow real time in production.
    async with FakeBotApi(clock=lambda: clock.now().timestamp()) as server:
        yield server


@asynccontextmanager
async def running_bot(
    api: FakeBotApi,
    database_url: str,
    catalog: Catalog,
    clock: FakeClock,
    **overrides: object,
) -> AsyncIterator[Chat]:
    """The bot polling the sandbox, driven like `limber run` would (the tick by hand)."""
    settings = make_settings(api, database_url, **overrides)
    app = build_application(
        settings, catalog, token=api.token, clock=clock, rng=Random(7), run_ticker=False
    )
    async with started(app):
        updater = app.application.updater
        assert updater is not None
        await updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield Chat(api, clock, app.ticker, app.services, app.timers)
        finally:
            await updater.stop()


@pytest.fixture
async def chat(
    api: FakeBotApi,
    sqlite_url: str,
    catalog: Catalog,
    clock: FakeClock,
    settings_overrides: dict[str, object],
    safety_answers: PrecautionAnswers | None,
    onboarded: bool,
) -> AsyncIterator[Chat]:
    """The bot running against the sandbox with a fresh SQLite file and an injected clock."""
    async with running_bot(api, sqlite_url, catalog, clock, **settings_overrides) as running:
        if onboarded:
            await running.finish_onboarding()
        if safety_answers is not None:
            await running.answer_safety_questions(safety_answers)
        yield running


# The delivery lease of the tickers ``ticker_with`` makes.
TICKER_LEASE = timedelta(minutes=5)
TickerFactory = Callable[[Iterable[ReminderKind[Any]]], ReminderTicker]


@pytest.fixture
async def ticker_with(chat: Chat, api: FakeBotApi) -> AsyncIterator[TickerFactory]:
    """More tickers for the chat's bot (other processes, other kinds registered), sending to
    the sandbox."""
    requests: list[AiohttpRequest] = []

    def factory(kinds: Iterable[ReminderKind[Any]]) -> ReminderTicker:
        request = AiohttpRequest()
        requests.append(request)
        bot = Bot(api.token, base_url=f"{api.base_url}/bot", request=request)
        sender = ReminderSender(bot, SendRateLimiter(None, None))
        return ReminderTicker(chat.services, sender, lease=TICKER_LEASE, kinds=ReminderKinds(kinds))

    yield factory
    for request in requests:
        await request.shutdown()
