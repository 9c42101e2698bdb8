"""The ``limber`` command: run, worker, demo, db upgrade, db copy, illustrations."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.catalog import Catalog, load_catalog
from bot.catalog.loading import ContentError
from bot.config import Settings, normalize_database_url
from bot.db.migrate import upgrade_database
from bot.observability import configure_logging
from bot.redaction import redact

log = logging.getLogger("limber")


class CliError(Exception):
    """A problem the operator can fix; printed as one line, without a traceback."""


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


def _upgrade(database_url: str) -> None:
    try:
        upgrade_database(database_url)
    except Exception as error:  # Any driver error: report it plainly, the operator must act.
        raise CliError(f"cannot upgrade the database: {error}") from error


def _secrets(settings: Settings) -> list[str | None]:
    """What the logs must never show, whoever logs it."""
    return [
        secret.get_secret_value() if secret else None
        for secret in (settings.telegram_bot_token, settings.webhook_secret)
    ]


def _token(settings: Settings) -> str:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        raise CliError(
            "TELEGRAM_BOT_TOKEN is not set: export it (or put it in .env), "
            "or try `limber demo` to chat with the bot locally without a token."
        )
    return token


def command_run(settings: Settings, *, worker: bool) -> None:
    from bot.runner import ServeError, mode_for, serve

    token = _token(settings)
    catalog = _load_content(settings)
    _upgrade(settings.database_url)
    try:
        asyncio.run(serve(settings, catalog, token, mode_for(settings, worker=worker)))
    except ServeError as error:
        raise CliError(str(error)) from error


def command_demo(settings: Settings) -> None:
    from bot.demo import demo_settings, run_demo

    settings = demo_settings(settings)
    catalog = _load_content(settings)
    _upgrade(settings.database_url)
    asyncio.run(run_demo(settings, catalog))


def command_db_upgrade(settings: Settings) -> None:
    _upgrade(settings.database_url)
    print("Database schema is up to date.")


def command_db_copy(source: str, target: str, *, overwrite: bool) -> None:
    from bot.db.copy import copy_database

    source, target = normalize_database_url(source), normalize_database_url(target)
    _upgrade(source)
    _upgrade(target)
    try:
        counts = asyncio.run(copy_database(source, target, overwrite=overwrite))
    except (ValueError, RuntimeError) as error:
        raise CliError(str(error)) from error
    for table, count in counts.items():
        print(f"{table}: {count} rows")
    print("Copied. Point LIMBER_DATABASE_URL at the new database and start Limber.")


def command_illustrations(settings: Settings, sheet: Path | None, out: Path | None) -> None:
    """Draw the library's illustrations for review: a contact sheet, and or each picture."""
    from bot.render.illustrations import contact_sheet_png, render_drawing

    if sheet is None and out is None:
        raise CliError("say what to write: --sheet FILE.png and/or --out FOLDER")
    stretches = _load_content(settings).stretches.all()
    try:
        if sheet is not None:
            sheet.write_bytes(contact_sheet_png(stretches))
            print(f"{sheet}: contact sheet of {len(stretches)} stretches")
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for stretch in stretches:
                drawing = render_drawing(stretch)
                (out / drawing.filename).write_bytes(drawing.content)
            print(f"{out}: {len(stretches)} pictures")
    except OSError as error:
        raise CliError(f"cannot write: {error}") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="limber", description="Limber, the mobility coach bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (long polling, or a webhook if configured)")
    commands.add_parser("worker", help="send reminders only (extra processes, PostgreSQL)")
    commands.add_parser("demo", help="chat with the bot in this terminal; no token needed")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="upgrade the schema to the latest version")
    copy = db_commands.add_parser("copy", help="copy all data to another database")
    copy.add_argument("--from", dest="source", required=True, help="source database URL")
    copy.add_argument("--to", dest="target", required=True, help="target database URL")
    copy.add_argument(
        "--overwrite", action="store_true", help="empty the target's tables before copying"
    )
    drawings = commands.add_parser("illustrations", help="draw the stretch pictures for review")
    drawings.add_argument("--sheet", type=Path, help="write a contact sheet of every stretch (PNG)")
    drawings.add_argument(
        "--out", type=Path, help="write each stretch's picture (a drill's loop as a GIF) here"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _load_settings()
        quiet = args.command == "demo" and "log_level" not in settings.model_fields_set
        # In the demo, log lines would interleave with the chat: only problems are shown.
        configure_logging(
            "WARNING" if quiet else settings.log_level,
            as_json=settings.log_json,
            secrets=_secrets(settings),
        )
        if args.command in ("run", "worker"):
            command_run(settings, worker=args.command == "worker")
        elif args.command == "demo":
            command_demo(settings)
        elif args.command == "illustrations":
            command_illustrations(settings, args.sheet, args.out)
        elif args.db_command == "copy":
            command_db_copy(args.source, args.target, overwrite=args.overwrite)
        else:
            command_db_upgrade(settings)
    except CliError as error:
        print(f"limber: {redact(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug: its traceback goes through the logs' redaction, not raw
        log.critical("limber stopped on an unexpected error", exc_info=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
