"""Translations: one gettext catalogue per language, English the source language.

Every text a user can see is written in English in render/ and passes through a Translator
there (render/ is the only place that translates). Catalogues live in ``bot/locales/<lang>/
LC_MESSAGES/limber.mo``, compiled with Babel from ``.po`` files (see docs/translations.md);
adding a language is adding its files, no Python change. A language without a catalogue, or a
message a catalogue lacks, falls back to English.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path

from babel import Locale, UnknownLocaleError

DOMAIN = "limber"
SOURCE_LANGUAGE = "en"
# The English texts are written in British English ("centre", "2 Mar 2026", "a, b or c").
SOURCE_LOCALE = "en_GB"
PACKAGED_LOCALES = Path(str(files("bot").joinpath("locales")))


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where rendered."""
    return message


def normalize(language: str | None) -> str:
    """Telegram's language codes ("pt-br", "de") in gettext's form ("pt_BR", "de")."""
    if not language:
        return SOURCE_LANGUAGE
    base, _, region = language.replace("_", "-").partition("-")
    return f"{base.lower()}_{region.upper()}" if region else base.lower()


class Translator:
    """The texts of one language: gettext's functions plus the language's Babel locale (for
    day and month names, numbers and countries)."""

    def __init__(self, catalogue: gettext.NullTranslations, language: str) -> None:
        self._catalogue = catalogue
        self.language = language

    def gettext(self, message: str) -> str:
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalogue.pgettext(context, message)

    @cached_property
    def locale(self) -> Locale:
        if self.language == SOURCE_LANGUAGE:
            return Locale.parse(SOURCE_LOCALE)
        try:
            return Locale.parse(self.language)
        except (UnknownLocaleError, ValueError):
            return Locale.parse(SOURCE_LOCALE)


@dataclass
class Catalogs:
    """The catalogues in one directory, each loaded once."""

    directory: Path = PACKAGED_LOCALES
    _loaded: dict[str, Translator] = field(default_factory=dict, init=False, repr=False)

    def languages(self) -> tuple[str, ...]:
        """English and every language with a compiled catalogue, sorted."""
        found = {
            path.parent.parent.name for path in self.directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
        }
        return tuple(sorted(found | {SOURCE_LANGUAGE}))

    def translator(self, language: str | None) -> Translator:
        """The texts for ``language`` ("pt-br" tries pt_BR, then pt), else English."""
        wanted = normalize(language)
        found = self._loaded.get(wanted)
        if found is None:
            found = self._loaded[wanted] = self._load(wanted)
        return found

    def _load(self, wanted: str) -> Translator:
        available = set(self.languages())
        base = wanted.partition("_")[0]
        language = next((c for c in (wanted, base) if c in available), SOURCE_LANGUAGE)
        if language == SOURCE_LANGUAGE:
            return Translator(gettext.NullTranslations(), SOURCE_LANGUAGE)
        catalogue = gettext.translation(DOMAIN, self.directory, languages=[language])
        return Translator(catalogue, language)


ENGLISH = Translator(gettext.NullTranslations(), SOURCE_LANGUAGE)


def text(t: Translator, message: str) -> str:
    """A message marked with ``N_`` where it was defined, in ``t``'s language."""
    return t.gettext(message)
