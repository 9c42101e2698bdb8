"""Health and metrics listen on 127.0.0.1 by default, and a second process on one host (a
`limber worker` beside `limber run`, as docs/operating.md suggests) starts although the port
is taken: it says so once and carries on. The webhook's port stays fatal."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
import yaml

from bot.catalog import Catalog
from bot.config import Settings
from bot.runner import Mode, serve
from bot.sandbox.server import FakeBotApi
from tests.e2e.conftest import make_settings
from tests.e2e.processes import start_limber, stop_all
from tests.e2e.test_operations import free_port


def test_health_listens_on_this_host_only_by_default() -> None:
    settings = Settings.model_validate({})
    assert settings.health_listen == "127.0.0.1"
    assert settings.health_port == 8080


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_run_and_worker_on_one_host_both_start(database_url: str, tmp_path: Path) -> None:
    port = free_port()  # the same for both, as with the defaults on one host
    async with FakeBotApi() as api:
        env = {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "LIMBER_DATABASE_URL": database_url,
            "LIMBER_HEALTH_PORT": port,
        }
        run = await start_limber("run", tmp_path, "run", **env)
        try:
            await run.wait_for_line("Limber is running (polling)")
            worker = await start_limber("worker", tmp_path, "worker", **env)
            try:
                await worker.wait_for_line("Limber is running (worker)")
                api.register_chat(77)
                await api.send_user_message(77, "/help")
                await api.wait_for_bot_messages(77)  # `run` still answers
                url = f"http://127.0.0.1:{port}/healthz"
                async with aiohttp.ClientSession() as http, http.get(url) as response:
                    assert response.status in (200, 503)  # served, by `run`
                assert run.process.returncode is None and worker.process.returncode is None
            finally:
                await stop_all([worker])
        finally:
            await stop_all([run])
    assert (run.process.returncode, worker.process.returncode) == (0, 0)
    complaint = f"health and metrics are off: cannot listen on 127.0.0.1:{port}"
    assert worker.stderr.count(complaint) == 1
    assert "LIMBER_HEALTH_PORT" in worker.stderr
    assert complaint not in run.stderr


async def test_a_busy_webhook_port_stops_the_start_with_one_clear_line(
    api: FakeBotApi, sqlite_url: str, catalog: Catalog
) -> None:
    from bot.runner import ServeError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = make_settings(
            api, sqlite_url, LIMBER_WEBHOOK_URL="https://limber.example.test/hook",
            LIMBER_WEBHOOK_PORT=port, LIMBER_WEBHOOK_LISTEN="127.0.0.1", LIMBER_HEALTH_PORT=0,
        )  # fmt: skip
        with pytest.raises(ServeError, match=f"cannot listen for the webhook on 127.0.0.1:{port}"):
            await asyncio.wait_for(
                serve(settings, catalog, api.token, Mode.WEBHOOK, stop=asyncio.Event()), 15
            )


def test_the_image_listens_for_health_on_its_own_address_and_compose_publishes_it_locally() -> None:
    """Inside a container 127.0.0.1 is the container's own loopback, which a published port
    never reaches: the image listens on all its addresses, and compose publishes health on
    the host's 127.0.0.1 only."""
    from tests.unit.test_deploy import DEPLOY, env_values, parse_dockerfile, stages

    final = stages(parse_dockerfile((DEPLOY / "Dockerfile").read_text()))[-1]
    assert env_values(final)["LIMBER_HEALTH_LISTEN"] == "0.0.0.0"
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    health = [p for p in compose["services"]["limber"]["ports"] if p.endswith(":8080")]
    assert health == ["127.0.0.1:8080:8080"]
