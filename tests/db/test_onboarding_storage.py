"""Onboarding's stored state on both engines: the step, what the user cannot do, the reply a
screen waits for, the zone chosen; exported by /mydata and deleted by /forget."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.catalog.stretches import Need
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.domain.abilities import cannot_of
from bot.domain.onboarding import Step
from bot.services import Services
from bot.usecases import accounts, privacy

NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def services(sessions: async_sessionmaker[AsyncSession]) -> Services:
    return Services(
        settings=Settings.model_validate({}),
        clock=FakeClock(NOW),
        sessions=sessions,
        catalog=load_catalog(DEFAULT_CONTENT_DIR),
    )


async def test_onboarding_state_is_stored_exported_and_forgotten(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    svc = services(sessions)
    new = await accounts.first_contact(svc, 7, "de")
    assert new.onboarding_step == Step.FOCUS and not new.zone_chosen and new.cannot == 0

    after = await accounts.leave_onboarding_step(svc, 7, Step.FOCUS)
    again = await accounts.leave_onboarding_step(svc, 7, Step.FOCUS)  # a double press
    assert after is not None and again is not None
    assert after.onboarding_step == again.onboarding_step == Step.LEVEL

    await accounts.toggle_cannot(svc, 7, Need.KNEEL)
    await accounts.await_reply(svc, 7, "zone:0730")
    saved = await accounts.set_time_and_zone(svc, 7, time(7, 30), "Europe/Berlin")
    assert saved is not None and saved.zone_chosen and saved.awaiting_reply is None
    assert saved.reminder_time == time(7, 30) and saved.next_due_at is not None
    assert cannot_of(saved.cannot) == {Need.KNEEL}

    [row] = (await privacy.export(svc, 7))["users"]
    assert row["onboarding_step"] == Step.LEVEL and row["cannot"] == saved.cannot
    assert row["zone_chosen"] is True and row["awaiting_reply"] is None

    await privacy.forget(svc, 7)
    assert await accounts.find(svc, 7) is None
