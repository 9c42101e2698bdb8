"""The Bot API method table travels with the package and stays what the spec says."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import bot
from bot.sandbox.server import FakeBotApi
from bot.sandbox.spec import BUNDLED_TABLE, ApiSpec, default_spec_path, shared_spec_path

REPO = Path(bot.__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "compact_bot_api_spec.py"
needs_shared_spec = pytest.mark.skipif(
    not shared_spec_path().is_file(),
    reason=f"the full Bot API spec is not at {shared_spec_path()} (it lives in ../shared)",
)

_METHOD_NAME = re.compile(r"[a-z][A-Za-z]+")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
_TYPE = re.compile(r"(Array of )*[A-Z][A-Za-z0-9]*")


@needs_shared_spec
def test_regenerating_from_the_shared_spec_gives_the_bundled_table(tmp_path: Path) -> None:
    output = tmp_path / "methods.json"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--spec", str(shared_spec_path()), "--output", str(output)],
        check=True,
        capture_output=True,
    )
    assert output.read_bytes() == BUNDLED_TABLE.read_bytes(), (
        "bot/sandbox/bot_api_methods.json is stale: run scripts/compact_bot_api_spec.py"
    )


@needs_shared_spec
def test_the_table_and_the_full_spec_validate_alike() -> None:
    table, full = ApiSpec.load(BUNDLED_TABLE), ApiSpec.load(shared_spec_path())
    assert sorted(table.method_names()) == sorted(full.method_names())
    for name in full.method_names():
        ours, theirs = table.get(name), full.get(name)
        assert ours is not None and theirs is not None
        assert (ours.returns, ours.required) == (theirs.returns, theirs.required)
        assert [(f.name, f.types) for f in ours.fields.values()] == [
            (f.name, f.types) for f in theirs.fields.values()
        ]


def test_the_table_holds_facts_only() -> None:
    raw = json.loads(BUNDLED_TABLE.read_text(encoding="utf-8"))
    assert set(raw) == {"about", "version", "release_date", "methods"}
    assert raw["version"].startswith("Bot API ")
    for name, method in raw["methods"].items():
        assert _METHOD_NAME.fullmatch(name), name
        assert set(method) == {"returns", "fields"}, name
        assert all(_TYPE.fullmatch(t) for t in method["returns"]), name
        for field in method["fields"]:
            assert set(field) == {"name", "types", "required"}, (name, field)
            assert _FIELD_NAME.fullmatch(field["name"]), (name, field)
            assert all(_TYPE.fullmatch(t) for t in field["types"]), (name, field)
            assert isinstance(field["required"], bool)


def test_the_sandbox_validates_with_the_packaged_table_by_default() -> None:
    assert default_spec_path() == BUNDLED_TABLE
    assert BUNDLED_TABLE.parent == Path(bot.__file__).parent / "sandbox"
    spec = FakeBotApi().spec
    assert len(spec) > 150 and spec.version.startswith("Bot API ")
    send_message = spec.get("sendMessage")
    assert send_message is not None
    assert send_message.required == ("chat_id", "text")
    assert send_message.fields["chat_id"].types == ("Integer", "String")
    assert send_message.returns == ("Message",)


def test_the_wheel_declares_the_table_as_package_data() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]
    assert BUNDLED_TABLE.name in package_data["bot.sandbox"]


def test_the_demo_from_a_fresh_clone_prints_no_spec_warning(tmp_path: Path) -> None:
    """A checkout without ../shared beside it: the demo validates and warns about nothing."""
    clone = tmp_path / "clone"
    ignore = shutil.ignore_patterns("__pycache__")
    for part in ("bot", "content", "alembic"):
        shutil.copytree(REPO / part, clone / part, ignore=ignore)
    shutil.copy(REPO / "alembic.ini", clone)
    assert not (tmp_path / "shared").exists()  # where the clone's ../shared would be
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LIMBER_", "TELEGRAM_"))
    }
    env |= {
        "PYTHONPATH": str(clone),
        "LIMBER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo"],
        input="/start\n/quit\n",
        capture_output=True,
        text=True,
        cwd=clone,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "[1] " in done.stdout.split("> /start", 1)[1]  # the bot answered with buttons
    assert "spec" not in done.stderr.lower(), done.stderr
