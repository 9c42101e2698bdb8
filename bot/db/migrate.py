"""Schema upgrades with Alembic, callable from the CLI and from tests."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from bot.resources import migrations_dir


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # Alembic's config is an INI file underneath: a literal % must be doubled.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision``. Blocking: call it outside (or off) the event loop."""
    command.upgrade(alembic_config(database_url), revision)
