"""The files that ship with the code (content, migrations) resolve through the functions the app
uses, in a checkout and in an installed wheel's layout; pyproject.toml ships every package.
.ci/wheel-smoke builds and runs the real wheel; these run in milliseconds."""

from __future__ import annotations

import configparser
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

import bot
from bot.catalog import load_catalog
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.db.migrate import alembic_config
from bot.resources import CONTENT, MIGRATIONS, ShippedDir, content_dir, migrations_dir, package_dir

REPO = Path(__file__).resolve().parents[2]


def _setuptools() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text())
    return config["tool"]["setuptools"]


def test_the_app_reads_the_shipped_content_by_default() -> None:
    assert package_dir() == Path(bot.__file__).parent  # importlib.resources sees the package
    assert Settings.model_validate({}).content_dir == DEFAULT_CONTENT_DIR == content_dir()
    assert content_dir() == REPO / "content"  # this checkout: an editable install
    catalog = load_catalog(content_dir())
    assert catalog.stretches.all() and catalog.redflags.questions


def test_limber_content_dir_replaces_the_shipped_content(tmp_path: Path) -> None:
    """An operator's own content: here the shipped content with one stretch, renamed."""
    own = tmp_path / "our-content"
    shutil.copytree(content_dir(), own)
    shutil.rmtree(own / "routines")  # they name stretches this library no longer has
    kept = own / "stretches" / "bird-dog.yaml"
    for path in (own / "stretches").glob("*.yaml"):
        if path != kept:
            path.unlink()
    text = kept.read_text(encoding="utf-8")
    assert "\nname: Bird dog\n" in text
    kept.write_text(text.replace("\nname: Bird dog\n", "\nname: Our bird dog\n"))

    settings = Settings.model_validate({"LIMBER_CONTENT_DIR": str(own)})
    stretches = load_catalog(settings.content_dir).stretches.all()
    assert [stretch.name for stretch in stretches] == ["Our bird dog"]


def test_limber_db_upgrade_uses_the_shipped_migrations() -> None:
    location = alembic_config("sqlite://").get_main_option("script_location")
    assert location == str(migrations_dir()) == str(REPO / "alembic")
    script = ScriptDirectory(str(migrations_dir()))
    newest = max(path.name for path in (migrations_dir() / "versions").glob("0*.py"))
    head = script.get_current_head()
    assert head is not None and newest.startswith(f"{head}_")
    assert (migrations_dir() / "env.py").is_file()


def test_developers_alembic_ini_points_at_the_same_migrations() -> None:
    parser = configparser.ConfigParser(defaults={"here": str(REPO)})
    parser.read(REPO / "alembic.ini")
    assert Path(parser["alembic"]["script_location"]) == migrations_dir()


@pytest.mark.parametrize("shipped", [CONTENT, MIGRATIONS])
def test_each_directory_is_found_inside_a_wheel_and_beside_a_checkout(
    tmp_path: Path, shipped: ShippedDir
) -> None:
    installed = tmp_path / "site-packages" / "bot"
    (installed / shipped.installed).mkdir(parents=True)
    (installed.parent / shipped.checkout).mkdir()  # another distribution's top-level directory
    assert shipped.locate(installed) == installed / shipped.installed

    checkout = tmp_path / "checkout" / "bot"
    checkout.mkdir(parents=True)
    (checkout.parent / shipped.checkout).mkdir()
    assert shipped.locate(checkout) == checkout.parent / shipped.checkout


def test_pyproject_maps_the_directories_where_the_code_looks() -> None:
    mapped = _setuptools()["package-dir"]
    for shipped in (CONTENT, MIGRATIONS):
        assert mapped[f"bot.{shipped.installed}"] == shipped.checkout
        assert (REPO / shipped.checkout).is_dir()
    # alembic/ has no __init__.py, so that `import alembic` never finds it instead of the library.
    assert not (REPO / MIGRATIONS.checkout / "__init__.py").exists()


def test_pyproject_lists_every_package_under_bot() -> None:
    listed = set(_setuptools()["packages"])
    inits = (REPO / "bot").rglob("__init__.py")
    on_disk = {".".join(init.parent.relative_to(REPO).parts) for init in inits}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    mapped = {f"bot.{shipped.installed}" for shipped in (CONTENT, MIGRATIONS)}
    versions = f"bot.{MIGRATIONS.installed}.versions"
    assert listed - on_disk == mapped | {versions}, "pyproject.toml lists a package that is gone"
