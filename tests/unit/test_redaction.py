"""Secrets never reach the logs: the redacting filter on every record, plain and JSON, with
messages, their arguments, exceptions (chained ones too) and stacks."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.observability import JsonFormatter, configure_logging
from bot.redaction import REDACTED, RedactingFilter, redact, register_secrets

TOKEN = "7012345678:AAHk4v_Q9rZ2mX8pL3nB6tY1wE5uJ0cKd7s"
URL = f"https://api.telegram.org/bot{TOKEN}/getMe"


def test_token_shapes_and_urls_are_redacted() -> None:
    assert TOKEN not in redact(f"token {TOKEN} here")
    assert redact(f"token {TOKEN}.") == f"token {REDACTED}."
    assert redact(URL) == f"https://api.telegram.org/bot{REDACTED}/getMe"
    # A token-like value in a URL even when it is too short to look like a token on its own.
    assert redact("http://127.0.0.1:8081/bot123:short/getMe") == (
        f"http://127.0.0.1:8081/bot{REDACTED}/getMe"
    )
    assert redact("/file/bot99:abc/photos/1.jpg") == f"/file/bot{REDACTED}/photos/1.jpg"


def test_ordinary_text_is_left_alone() -> None:
    for text in (
        "update 12345 handled in 3.2 ms",
        "http://127.0.0.1:8080/healthz",
        "due at 2026-03-29T07:30:00+00:00",
        "the /bottom of the page",
    ):
        assert redact(text) == text


def test_registered_secrets_are_redacted_whatever_their_shape() -> None:
    register_secrets(["webhook-secret-of-any-shape", None, "short"])
    assert redact("secret=webhook-secret-of-any-shape") == f"secret={REDACTED}"
    assert redact("a short word") == "a short word"  # too short to be a secret


@pytest.fixture
def redacting_handler() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield logger, stream, handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def _log_everything(logger: logging.Logger) -> None:
    logger.warning("calling %s failed", URL)
    try:
        try:
            raise ConnectionError(f"Connection timeout to host {URL}")
        except ConnectionError as cause:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.") from cause
    except RuntimeError:
        logger.exception("start failed")
    logger.error("with a stack for %s", TOKEN, stack_info=True)


@pytest.mark.parametrize("formatter", [logging.Formatter(), JsonFormatter()])
def test_the_filter_redacts_messages_arguments_tracebacks_and_stacks(
    redacting_handler: tuple[logging.Logger, io.StringIO, logging.Handler],
    formatter: logging.Formatter,
) -> None:
    logger, stream, handler = redacting_handler
    handler.setFormatter(formatter)
    _log_everything(logger)
    output = stream.getvalue()
    assert "AAHk4v" not in output and TOKEN not in output
    assert output.count(REDACTED) >= 4  # both messages, both exceptions
    assert "ConnectionError" in output and "RuntimeError" in output  # the traceback is kept
    if isinstance(formatter, JsonFormatter):
        lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        assert any("traceback" in line for line in lines)


def test_configure_logging_redacts_every_logger(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        for as_json in (False, True):
            configure_logging("INFO", as_json=as_json, secrets=["my-webhook-secret-123"])
            # A library's logger, as PTB's updater logs its errors.
            logging.getLogger("telegram.ext.Updater").error(
                "Network Retry Loop: Timed out: %s (secret my-webhook-secret-123)", URL
            )
        err = capsys.readouterr().err
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    assert "Network Retry Loop" in err
    assert TOKEN not in err and "AAHk4v" not in err and "my-webhook-secret-123" not in err
