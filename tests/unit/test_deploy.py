"""The deployment files (Dockerfile, compose, systemd unit, .env.example) checked by parsing them:
no Docker or systemd is needed, and they fail here when the code and they drift apart."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic.fields import FieldInfo

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


# --- Dockerfile ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY...
    args: str


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions in order: comments dropped, backslash continuations joined."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue  # also parser directives (# syntax=...)
        if pending and line.startswith("#"):
            continue  # comments inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    """Build stages, each starting with its FROM."""
    result: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            result.append([])
        assert result, f"{instruction.keyword} before the first FROM"
        result[-1].append(instruction)
    return result


def flags_and_words(args: str) -> tuple[dict[str, str], list[str]]:
    """``--from=builder --chown=x src dest`` as ({"from": "builder", ...}, ["src", "dest"])."""
    flags: dict[str, str] = {}
    words: list[str] = []
    for word in shlex.split(args):
        if word.startswith("--"):
            name, _, value = word[2:].partition("=")
            flags[name] = value
        else:
            words.append(word)
    return flags, words


def env_values(stage: list[Instruction]) -> dict[str, str]:
    values: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword == "ENV":
            for pair in shlex.split(instruction.args):
                name, _, value = pair.partition("=")
                values[name] = value
    return values


def shell_commands(stage: list[Instruction]) -> list[list[str]]:
    """Each command of each RUN, split on && and ;, as words."""
    commands: list[list[str]] = []
    for instruction in stage:
        if instruction.keyword == "RUN":
            for part in re.split(r"&&|;", instruction.args):
                if words := shlex.split(part):
                    commands.append(words)
    return commands


def pip_commands(stage: list[Instruction], subcommand: str) -> list[list[str]]:
    """The ``python -m pip <subcommand>`` commands of a stage, any python."""
    return [
        words
        for words in shell_commands(stage)
        if words[0].endswith("python") and words[1:4] == ["-m", "pip", subcommand]
    ]


def copies(stage: list[Instruction]) -> list[tuple[dict[str, str], list[str]]]:
    """Each COPY of a stage as (flags, words): sources, then the destination."""
    return [flags_and_words(i.args) for i in stage if i.keyword == "COPY"]


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse_dockerfile((DEPLOY / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def final_stage(dockerfile: list[Instruction]) -> list[Instruction]:
    return stages(dockerfile)[-1]


def _only(stage: list[Instruction], keyword: str) -> Instruction:
    found = [instruction for instruction in stage if instruction.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {len(found)}"
    return found[0]


def test_dockerfile_is_multi_stage_on_pinned_slim_bases(dockerfile: list[Instruction]) -> None:
    froms = [flags_and_words(i.args)[1] for i in dockerfile if i.keyword == "FROM"]
    assert len(froms) >= 2
    names = [words[2] for words in froms if len(words) == 3 and words[1].upper() == "AS"]
    for words in froms:
        image = words[0]
        assert image not in names, "a stage should build on a base image, not on a stage"
        repository, _, tag = image.partition(":")
        assert repository == "python", image
        assert tag and tag != "latest", f"{image}: pin a tag"
        assert tag.startswith("3.11"), f"{image}: the project's Python is 3.11"
    # Everything the runtime stage copies from another stage names that stage.
    for flags, words in copies(stages(dockerfile)[-1]):
        if "from" in flags:
            assert flags["from"] in names, words


def test_no_remote_downloads_with_add(dockerfile: list[Instruction]) -> None:
    for instruction in dockerfile:
        if instruction.keyword == "ADD":
            assert "http://" not in instruction.args and "https://" not in instruction.args


def test_final_stage_runs_as_a_fixed_non_root_user(final_stage: list[Instruction]) -> None:
    users = [i.args.split(":")[0] for i in final_stage if i.keyword == "USER"]
    assert users, "the final stage must switch to a non-root user"
    assert users[-1] not in ("root", "0")
    created = [words for words in shell_commands(final_stage) if words[0] == "useradd"]
    assert created and created[0][-1] == users[-1]
    assert "--uid" in created[0] and created[0][created[0].index("--uid") + 1] == "10001"


def test_builder_builds_the_wheel_from_everything_pyproject_ships(
    dockerfile: list[Instruction],
) -> None:
    builder = stages(dockerfile)[0]
    [build] = pip_commands(builder, "wheel")
    assert "--no-deps" in build and build[-1] == "."
    assert build[build.index("--wheel-dir") + 1] == "/wheels"
    # The package and the directories pyproject.toml maps into it, the build configuration and
    # the readme it names are in the builder before the build.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    setuptools = pyproject["tool"]["setuptools"]
    needed = {"pyproject.toml", pyproject["project"]["readme"], "bot"}
    needed |= set(setuptools["package-dir"].values())
    copied = {word.rstrip("/") for _, words in copies(builder) for word in words[:-1]}
    assert needed <= copied, f"the builder does not copy {needed - copied}"
    assert all((ROOT / name).exists() for name in needed)


def test_runtime_installs_the_lock_and_the_wheel_alone(final_stage: list[Instruction]) -> None:
    """No source tree, no PYTHONPATH, no LIMBER_CONTENT_DIR: the wheel carries everything.
    (test_lock.py checks the lock's install.)"""
    from_context = [words for flags, words in copies(final_stage) if "from" not in flags]
    assert [words[:-1] for words in from_context] == [["requirements/lock.txt"]]
    wheels = [words for flags, words in copies(final_stage) if flags.get("from") == "builder"]
    assert [words[:-1] for words in wheels] == [["/wheels/"]]
    wheels_in_image = wheels[0][-1].rstrip("/")

    dependencies, project = pip_commands(final_stage, "install")
    assert "--no-deps" in project and not {"-e", "--editable"} & set(project)
    assert project[-1] == f"{wheels_in_image}/limber-*.whl"
    # Both go into the virtualenv whose bin/ comes first on PATH, where `limber` is.
    venv_python = dependencies[0]
    assert project[0] == venv_python and venv_python.endswith("/bin/python")
    env = env_values(final_stage)
    assert env["PATH"].split(":")[0] == venv_python.removesuffix("/python")
    assert not {"PYTHONPATH", "LIMBER_CONTENT_DIR"} & set(env)
    assert env["PYTHONUNBUFFERED"] == "1"


def test_entrypoint_is_the_installed_command(final_stage: list[Instruction]) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert json.loads(_only(final_stage, "ENTRYPOINT").args) == ["limber"]
    assert "limber" in scripts
    assert json.loads(_only(final_stage, "CMD").args) == ["run"]


def test_ports_and_data_volume_match_the_settings(final_stage: list[Instruction]) -> None:
    exposed = {int(port.split("/")[0]) for port in _only(final_stage, "EXPOSE").args.split()}
    defaults = Settings.model_fields
    assert exposed == {defaults["health_port"].default, defaults["webhook_port"].default}
    workdir = [i.args for i in final_stage if i.keyword == "WORKDIR"][-1]
    assert json.loads(_only(final_stage, "VOLUME").args) == [workdir]
    # The default SQLite URL is relative, so the database lands in the volume.
    assert defaults["database_url"].default == "sqlite+aiosqlite:///limber.sqlite3"


def test_healthcheck_asks_healthz_on_the_configured_port(final_stage: list[Instruction]) -> None:
    check = _only(final_stage, "HEALTHCHECK").args
    assert "CMD" in check and not check.upper().startswith("NONE")
    assert "/healthz" in check and "127.0.0.1" in check
    assert "urllib.request" in check and "python -c" in check
    assert "LIMBER_HEALTH_PORT" in check and "'8080'" in check
    assert "LIMBER_WEBHOOK_PORT" not in check  # health is never on the public webhook port


# --- compose ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_the_bot_against_postgres(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "limber"} <= set(services)
    postgres, limber = services["postgres"], services["limber"]

    assert postgres["image"].startswith("postgres:16")
    volume, _, mount = postgres["volumes"][0].partition(":")
    assert mount == "/var/lib/postgresql/data" and volume in compose["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])

    url = urlsplit(limber["environment"]["LIMBER_DATABASE_URL"])
    env = postgres["environment"]
    assert url.scheme == "postgresql" and url.hostname == "postgres" and url.port == 5432
    assert (url.username, url.password, url.path) == (
        env["POSTGRES_USER"],
        env["POSTGRES_PASSWORD"],
        f"/{env['POSTGRES_DB']}",
    )
    assert limber["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert limber["env_file"] == ".env"
    build = limber["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"


def test_compose_workers_share_the_image_and_the_database(compose: dict[str, Any]) -> None:
    worker, limber = compose["services"]["worker"], compose["services"]["limber"]
    assert worker["command"] == ["worker"]
    assert worker["image"] == limber["image"]
    database = "LIMBER_DATABASE_URL"
    assert worker["environment"][database] == limber["environment"][database]
    assert worker["depends_on"]["limber"]["condition"] == "service_healthy"  # schema upgraded


# --- systemd ------------------------------------------------------------------------------------

HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ReadWritePaths": "/var/lib/limber",
    "CapabilityBoundingSet": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "SystemCallArchitectures": "native",
}


@pytest.fixture(scope="module")
def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string((DEPLOY / "limber.service").read_text())
    return parser


def test_systemd_unit_runs_limber(unit: configparser.ConfigParser) -> None:
    service = unit["Service"]
    assert service["Type"] == "simple"
    assert service["User"] == "limber"
    assert service["WorkingDirectory"] == "/var/lib/limber"
    assert service["EnvironmentFile"] == "/etc/limber/limber.env"
    assert service["ExecStart"] == "/opt/limber/venv/bin/limber run"
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["TimeoutStopSec"] == "30"
    assert "network-online.target" in unit["Unit"]["After"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_unit_is_hardened(unit: configparser.ConfigParser) -> None:
    service = unit["Service"]
    missing = {key: value for key, value in HARDENING.items() if service.get(key) != value}
    assert not missing, f"hardening keys missing or different: {missing}"
    # configparser keeps the last of repeated keys; the first filter is the allow list.
    text = (DEPLOY / "limber.service").read_text()
    assert "SystemCallFilter=@system-service" in text.splitlines()


# --- .env.example -------------------------------------------------------------------------------

ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)


def _documented() -> dict[str, str]:
    """Setting name to documented value, from ``NAME=value`` and ``# NAME=value`` lines."""
    text = (DEPLOY / ".env.example").read_text()
    return {name: value.strip() for name, value in ENV_LINE.findall(text)}


def _aliases() -> dict[str, FieldInfo]:
    fields = Settings.model_fields.values()
    return {field.alias: field for field in fields if field.alias is not None}


def test_env_example_documents_every_setting() -> None:
    missing = set(_aliases()) - set(_documented())
    assert not missing, f"add these settings to deploy/.env.example: {sorted(missing)}"


def test_env_example_names_only_real_settings() -> None:
    unknown = set(_documented()) - set(_aliases())
    assert not unknown, f"deploy/.env.example names settings that do not exist: {sorted(unknown)}"


def test_env_example_shows_the_defaults() -> None:
    documented = _documented()
    for alias, field in _aliases().items():
        value = documented.get(alias)
        if not value or isinstance(field.default, Path):
            continue  # undocumented (another test fails), unset, or install-dependent
        parsed = Settings.model_validate({alias: value})  # no environment is read here
        name = next(key for key, f in Settings.model_fields.items() if f is field)
        assert getattr(parsed, name) == field.default, f"{alias}={value}"
