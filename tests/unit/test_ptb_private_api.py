"""What Limber uses of python-telegram-bot's private API, checked so that a PTB release that
changes it fails here, loudly and by name, rather than in production.

- ``Bot._post(endpoint, data)`` (bot/reminders/sender.py): the call behind every Bot method;
  the reminder sender posts sendMessage through it (tests/unit/test_sender_request.py checks
  the request is the one ``send_message`` makes).
- ``telegram._utils.defaultvalue.DefaultValue`` and ``telegram._utils.types.ODVInput``
  (bot/transport.py): how ``BaseRequest.do_request`` marks a timeout left at its default.
- ``BaseRequest.do_request``'s parameters and ``RequestData``'s attributes (bot/transport.py).

Verified PTB versions are listed in docs/operating.md ("Dependencies").
"""

from __future__ import annotations

import importlib
import inspect

import pytest
import telegram
from telegram import Bot
from telegram.request import BaseRequest, RequestData

from bot.transport import AiohttpRequest

ADVICE = (
    f"python-telegram-bot {telegram.__version__} changed {{what}}, which Limber relies on "
    "({where}). Pin a verified version (docs/operating.md, 'Dependencies') or adapt {where}."
)


def fail(what: str, where: str) -> None:
    pytest.fail(ADVICE.format(what=what, where=where))


def test_bot_post_takes_the_endpoint_and_the_parameters() -> None:
    post = getattr(Bot, "_post", None)
    if post is None or not inspect.iscoroutinefunction(post):
        fail("Bot._post (gone, or no longer a coroutine function)", "bot/reminders/sender.py")
    parameters = list(inspect.signature(post).parameters.values())
    names = [parameter.name for parameter in parameters[1:3]]  # after self
    kinds = {parameter.kind for parameter in parameters[1:3]}
    if names != ["endpoint", "data"] or not kinds <= {
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.POSITIONAL_ONLY,
    }:
        fail(f"Bot._post's parameters (now {names})", "bot/reminders/sender.py")


@pytest.mark.parametrize(
    ("module", "name"),
    [("telegram._utils.defaultvalue", "DefaultValue"), ("telegram._utils.types", "ODVInput")],
)
def test_the_private_helpers_the_transport_imports_exist(module: str, name: str) -> None:
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        fail(f"{module}.{name} (gone)", "bot/transport.py")
    else:
        assert found is not None


def test_a_default_timeout_is_still_a_default_value() -> None:
    from telegram._utils.defaultvalue import DefaultValue

    if not isinstance(BaseRequest.DEFAULT_NONE, DefaultValue):
        fail("BaseRequest.DEFAULT_NONE (no longer a DefaultValue)", "bot/transport.py")


def test_do_request_still_has_the_parameters_the_transport_implements() -> None:
    ours = list(inspect.signature(AiohttpRequest.do_request).parameters)
    theirs = list(inspect.signature(BaseRequest.do_request).parameters)
    if ours != theirs:
        fail(f"BaseRequest.do_request's parameters (now {theirs})", "bot/transport.py")


@pytest.mark.parametrize(
    "attribute", ["contains_files", "json_payload", "json_parameters", "multipart_data"]
)
def test_request_data_still_offers_what_the_transport_reads(attribute: str) -> None:
    if not hasattr(RequestData([]), attribute):
        fail(f"RequestData.{attribute} (gone)", "bot/transport.py")
