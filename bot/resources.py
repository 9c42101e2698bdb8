"""Where the files that ship with the code are: the content (stretches, red-flag checklist) and
the migrations.

An installed wheel carries them inside the package: pyproject.toml maps the repository's
``content/`` to ``bot/_content`` and ``alembic/`` to ``bot/_migrations``. A source checkout,
editable installs included, has them at the repository root instead: setuptools' editable finder
cannot import a mapped directory that has no ``__init__.py`` (pypa/setuptools#4943), and
``alembic/`` must never get one (it would shadow the Alembic library for anything run from the
repository root). So each directory is looked for inside the package first, then beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


@dataclass(frozen=True)
class ShippedDir:
    """A directory of data files: its name inside the installed package and in the checkout."""

    installed: str
    checkout: str

    def locate(self, package_dir: Path) -> Path:
        """The directory for the ``bot`` package found at ``package_dir``, wheel or checkout."""
        inside = package_dir / self.installed
        return inside if inside.is_dir() else package_dir.parent / self.checkout


CONTENT = ShippedDir(installed="_content", checkout="content")
MIGRATIONS = ShippedDir(installed="_migrations", checkout="alembic")


def package_dir() -> Path:
    """The directory of the ``bot`` package, as importlib.resources sees it."""
    root = files("bot")
    if not isinstance(root, Path):  # e.g. imported from a zip: Alembic needs real files
        raise RuntimeError(f"Limber must be installed as files on disk, not imported from {root}")
    return root


def content_dir() -> Path:
    """The content that ships with Limber (``LIMBER_CONTENT_DIR`` may point elsewhere)."""
    return CONTENT.locate(package_dir())


def migrations_dir() -> Path:
    """Alembic's script directory: ``env.py``, ``script.py.mako`` and ``versions/``."""
    return MIGRATIONS.locate(package_dir())
