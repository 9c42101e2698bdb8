"""The bot token never reaches standard error: real `limber run` processes, plain and JSON
logs, through each error path where it used to (Telegram refusing it, unreachable at start,
failing while running, unreachable while stopping), and in what the process prints on exit."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.sandbox.server import FakeBotApi
from tests.e2e.processes import (
    TOKEN,
    Limber,
    Relay,
    start_limber,
    stop_all,
    unanswering_port,
)

TOKEN_SECRET = TOKEN.split(":", 1)[1]


def assert_no_token(limber: Limber) -> None:
    text = limber.stderr
    assert TOKEN_SECRET not in text, text
    assert TOKEN.split(":", 1)[0] + ":" not in text, text


def assert_json_lines(limber: Limber) -> None:
    """Every log line is JSON (the CLI's own last line excepted)."""
    for line in limber.stderr.splitlines():
        if line and not line.startswith("limber: "):
            json.loads(line)


async def both_formats(tmp_path: Path, name: str, base_url: str) -> tuple[Limber, Limber]:
    """`limber run` twice, with plain and with JSON logs."""
    plain = await start_limber(
        "run", tmp_path, f"{name}-plain", **env_for(base_url, tmp_path, f"{name}-plain")
    )
    as_json = await start_limber(
        "run",
        tmp_path,
        f"{name}-json",
        **env_for(base_url, tmp_path, f"{name}-json"),
        LIMBER_LOG_JSON="true",
    )
    return plain, as_json


def env_for(base_url: str, tmp_path: Path, name: str) -> dict[str, str | int]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": base_url,
        "LIMBER_DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3",
        "LIMBER_HEALTH_PORT": 0,
    }


async def test_a_rejected_token_is_not_printed(tmp_path: Path) -> None:
    """PTB's InvalidToken quotes the token it was given."""
    async with FakeBotApi(token=TOKEN) as api:
        api.fail_next("getMe", status=401, description="Unauthorized", times=2)
        processes = list(await both_formats(tmp_path, "refused", api.base_url))
        codes = [await limber.wait() for limber in processes]
    assert codes == [2, 2]
    for limber in processes:
        assert_no_token(limber)
        assert "limber: Telegram rejected the bot token" in limber.stderr
    assert_json_lines(processes[1])


async def test_telegram_unreachable_at_start(tmp_path: Path) -> None:
    """getMe times out connecting (aiohttp's message holds the URL, token included); the
    process exits with one clear line. A third process is stopped during that outage."""
    with unanswering_port() as port:
        base_url = f"http://127.0.0.1:{port}"
        timing_out = await both_formats(tmp_path, "start", base_url)
        stopped = await start_limber(
            "run", tmp_path, "stopped", **env_for(base_url, tmp_path, "stopped")
        )
        try:
            await stopped.wait_for_line("connecting to the Bot API")  # now waiting for getMe
            await asyncio.sleep(0.3)
            stopped.terminate()
            assert await stopped.wait() == 0, stopped.stderr
            codes = [await limber.wait() for limber in timing_out]
        finally:
            await stop_all([*timing_out, stopped])
    assert codes == [2, 2]
    for limber in (*timing_out, stopped):
        assert_no_token(limber)
    for limber in timing_out:
        last = limber.stderr.strip().splitlines()[-1]
        assert last.startswith("limber: the Telegram Bot API at ") and "[REDACTED]" in last
    assert_json_lines(timing_out[1])
    assert "stopping before start-up finished" in stopped.stderr


async def test_errors_while_running_and_an_outage_at_shutdown(tmp_path: Path) -> None:
    """5xx answers while polling, then Telegram becomes unreachable (connects time out) and the
    bot is stopped: its last getUpdates, which confirms the updates handled, times out too."""
    plain, as_json = await asyncio.gather(
        _run_through_an_outage(tmp_path, "plain"),
        _run_through_an_outage(tmp_path, "json", LIMBER_LOG_JSON="true"),
    )
    for limber in (plain, as_json):
        assert limber.process.returncode == 0, limber.stderr
        assert_no_token(limber)
        assert "Bad Gateway" in limber.stderr  # the 5xx was logged
    assert_json_lines(as_json)


async def _run_through_an_outage(tmp_path: Path, name: str, **env: str) -> Limber:
    async with FakeBotApi(token=TOKEN) as api:
        relay = Relay(int(api.base_url.rsplit(":", 1)[1]))
        api.fail_next("getUpdates", status=502, description="Bad Gateway")
        base_url = f"http://127.0.0.1:{relay.port}"
        limber = await start_limber(
            "run", tmp_path, name, **env_for(base_url, tmp_path, name), **env
        )
        try:
            await api.send_user_message(1, "/help")
            await api.wait_for_bot_messages(1, timeout=20)  # polling, past the 5xx answers
            await relay.go_dark()
            await asyncio.sleep(0.5)  # its getUpdates now wait for a connection
            limber.terminate()
            await limber.wait(seconds=10)
        finally:
            await stop_all([limber])
            relay.close()
    return limber
