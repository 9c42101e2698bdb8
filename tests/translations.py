"""Translation tooling for tests: the messages in the source, compiled test-only catalogues,
and a pseudo-locale that makes every text accented and a third longer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo

from bot.render.i18n import DOMAIN, Catalogs

ROOT = Path(__file__).resolve().parents[1]
PSEUDO = "xx"
# What must survive translation untouched: {placeholders}, HTML tags and entities, /commands.
_KEEP = re.compile(r"(\{[a-z_]*\}|<[^>]*>|&[a-z]+;|/[a-z]+|https?://\S+)")
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒğĥíĵķłɱñóþǫŕšťúṽŵẋýžÁƁÇĐÉƑĞĤÍĴĶŁṀÑÓÞǪŔŠŤÚṼŴẊÝŽ",
)


def source_messages() -> Catalog:
    """Every message marked in bot/, as pybabel extracts it (babel.cfg)."""
    catalog = Catalog(domain=DOMAIN)
    method_map = [("bot/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map=method_map
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def pseudo(text: str) -> str:
    """Accented and about 30% longer, with placeholders, tags and commands kept intact."""
    parts = _KEEP.split(text)
    accented = "".join(
        part if _KEEP.fullmatch(part) else part.translate(_ACCENTED) for part in parts
    )
    return accented + " " + "~" * max(1, round(len(text) * 0.3))


def write_locale(directory: Path, language: str, translations: Mapping[object, object]) -> Path:
    """Compile ``translations`` (msgid -> msgstr; plural ids as tuples) into ``directory``."""
    catalog = Catalog(locale=None, domain=DOMAIN)
    catalog.language_team = language
    for message_id, translation in translations.items():
        catalog.add(message_id, translation)
    target = directory / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / f"{DOMAIN}.mo").open("wb") as mo:
        write_mo(mo, catalog)
    return directory


def pseudo_catalogs(directory: Path) -> Catalogs:
    """Catalogues holding the pseudo-locale ``xx``: every source message, transformed."""
    translations: dict[object, object] = {}
    for message in source_messages():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            translations[message.id] = tuple(pseudo(form) for form in message.id)
        else:
            translations[message.id] = pseudo(message.id)
    return Catalogs(write_locale(directory, PSEUDO, translations))
