"""A database outage fails every tick, and every failure reaches the error handler: the
admins hear about it once, not once per tick."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot import metrics
from bot.catalog import Catalog
from bot.db.engine import create_engine
from bot.runner import Mode
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import make_settings
from tests.e2e.test_operations import serving, wait_for

ADMINS = (9001, 9002)


def errors_so_far() -> float:
    return float(metrics.UPDATE_ERRORS._value.get())


async def test_a_failing_tick_notifies_each_admin_once(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    for admin in ADMINS:
        api.register_chat(admin)
    settings = make_settings(
        api, sqlite_url, LIMBER_TICK_SECONDS=0.05, LIMBER_HEALTH_PORT=0,
        LIMBER_ADMIN_IDS=",".join(map(str, ADMINS)),
    )  # fmt: skip
    async with serving(settings, catalog, api.token, Mode.WORKER):
        engine = create_engine(sqlite_url)
        async with engine.begin() as connection:  # the tick's queries fail from now on
            await connection.execute(text("DROP TABLE deliveries"))
        await engine.dispose()
        before = errors_so_far()

        async def many_failed_ticks() -> bool:
            return errors_so_far() - before >= 10

        await wait_for(many_failed_ticks, "ten failed ticks")
        await asyncio.sleep(0.2)  # time for stray notices to arrive
    for admin in ADMINS:
        [notice] = api.messages(admin)
        assert notice.text == "⚠️ Limber error in a background job: OperationalError"
