"""The ``limber`` command: run, demo, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.catalog import Catalog, load_catalog
from bot.catalog.loading import ContentError
from bot.config import Settings
from bot.db.migrate import upgrade_database

log = logging.getLogger("limber")


class CliError(Exception):
    """A problem the operator can fix; printed as one line, without a traceback."""


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL at INFO, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        raise CliError(f"invalid setting {first['loc'][0]}: {first['msg']}") from error


def _load_content(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.content_dir)
    except ContentError as error:
        raise CliError(f"content error: {error}") from error


def _upgrade(settings: Settings) -> None:
    try:
        upgrade_database(settings.database_url)
    except Exception as error:  # Any driver error: report it plainly, the operator must act.
        raise CliError(f"cannot upgrade the database: {error}") from error


def command_run(settings: Settings) -> None:
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        raise CliError(
            "TELEGRAM_BOT_TOKEN is not set: export it (or put it in .env), "
            "or try `limber demo` to chat with the bot locally without a token."
        )
    catalog = _load_content(settings)
    _upgrade(settings)
    from telegram import Update

    from bot.app import build_application

    application = build_application(
        settings, catalog, token=settings.telegram_bot_token.get_secret_value()
    )
    log.info("Limber is running with %d stretches; Ctrl+C stops it", len(catalog.stretches))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def command_demo(settings: Settings) -> None:
    from bot.demo import demo_settings, run_demo

    settings = demo_settings(settings)
    catalog = _load_content(settings)
    _upgrade(settings)
    asyncio.run(run_demo(settings, catalog))


def command_db_upgrade(settings: Settings) -> None:
    _upgrade(settings)
    print("Database schema is up to date.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="limber", description="Limber, the mobility coach bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (long polling)")
    commands.add_parser("demo", help="chat with the bot in this terminal; no token needed")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="upgrade the schema to the latest version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _load_settings()
        quiet = args.command == "demo" and "log_level" not in settings.model_fields_set
        # In the demo, log lines would interleave with the chat: only problems are shown.
        _configure_logging("WARNING" if quiet else settings.log_level)
        if args.command == "run":
            command_run(settings)
        elif args.command == "demo":
            command_demo(settings)
        else:
            command_db_upgrade(settings)
    except CliError as error:
        print(f"limber: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
