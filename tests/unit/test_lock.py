"""The lock files pin every package with hashes, agree with pyproject.toml and with each
other, and are what the image and CI install."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.unit.test_deploy import copies, parse_dockerfile, pip_commands, stages

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "dev-lock.txt"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)")


def pins(path: Path) -> dict[str, str]:
    """Package name to pinned version; every pin must carry at least one hash."""
    found: dict[str, str] = {}
    text = path.read_text()
    for entry in re.split(r"\n(?=\S)", text):
        match = PIN.match(entry)
        if match is None:
            continue
        assert "--hash=sha256:" in entry, f"{path.name}: {match[1]} has no hash"
        found[canonicalize_name(match[1])] = match[2]
    assert found, f"{path.name} pins nothing"
    return found


def requirements(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(line) for line in listed]


@pytest.mark.parametrize(("lock", "extra"), [(LOCK, None), (DEV_LOCK, "dev")])
def test_every_requirement_is_pinned_within_its_range(lock: Path, extra: str | None) -> None:
    pinned = pins(lock)
    for requirement in requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in {lock.name}: run requirements/refresh"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock.name} pins {name}=={pinned[name]}, outside {requirement}: refresh the lock"
        )


def test_the_dev_lock_pins_what_the_runtime_lock_pins() -> None:
    runtime, dev = pins(LOCK), pins(DEV_LOCK)
    different = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert not different, f"CI would test other versions than the image runs: {different}"


def test_the_image_installs_from_the_lock_with_hashes() -> None:
    runtime = stages(parse_dockerfile((ROOT / "deploy" / "Dockerfile").read_text()))[-1]
    [lock_in_image] = [
        words[-1] for _, words in copies(runtime) if words[:-1] == ["requirements/lock.txt"]
    ]
    dependencies, project = pip_commands(runtime, "install")
    assert dependencies[-3:] == ["--require-hashes", "-r", lock_in_image]
    assert "--no-deps" in project  # then Limber's wheel, resolving nothing again


def test_ci_installs_from_the_dev_lock_with_hashes() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q --require-hashes -r requirements/dev-lock.txt" in script
    assert "pip install -q --no-deps -e ." in script
