"""Content in other languages: ``content/<lang>/`` overlays the English files, text only.

A translated file has exactly the shape of its English original: the same keys, ids, numbers
of steps and options, tiers and conditions. Only text may differ, under the keys listed in
TEXT_KEYS; anything else that differs, or is missing, is an error naming the file and the field.
A file not translated yet is simply the English one. The result is validated by the same models
as English (so placeholders such as ``{questions}`` and the HTML rules still hold).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.catalog.loading import ContentError

# Keys whose text (strings, lists of strings, mappings of strings) a translation replaces.
TEXT_KEYS = frozenset(
    {
        # stretches
        "name", "purpose", "steps", "cues", "stop_if", "easier", "harder",
        # the red-flag checklist
        "intro", "text", "why", "label", "summary", "alone", "title", "answer_labels",
        "summary_title", "unsure_note", "ces_line", "reassurance", "safety_net",
    }
)  # fmt: skip
# A language directory's name: "de", "pt_BR" (gettext's form, as bot/locales uses).
LANGUAGE_DIR = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


def language_dirs(content_dir: Path) -> dict[str, Path]:
    """The translated content under ``content_dir``, by language."""
    return {
        path.name: path
        for path in sorted(content_dir.iterdir())
        if path.is_dir() and LANGUAGE_DIR.fullmatch(path.name)
    }


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: cannot read YAML: {error}") from error


def overlay(
    english: Any, translated: Any, path: Path, field: str = "", *, text: bool = False
) -> Any:
    """``translated`` checked against ``english``: text may differ, the shape may not."""
    where = field or "(top level)"
    if isinstance(english, dict):
        if not isinstance(translated, dict) or set(translated) != set(english):
            raise ContentError(f"{path}: field '{where}': keys differ from the English file")
        return {
            key: overlay(
                english[key],
                translated[key],
                path,
                f"{field}.{key}" if field else str(key),
                text=text or key in TEXT_KEYS,
            )
            for key in english
        }
    if isinstance(english, list):
        if not isinstance(translated, list) or len(translated) != len(english):
            raise ContentError(f"{path}: field '{where}': not as many entries as in English")
        return [
            overlay(e, t, path, f"{field}.{i}", text=text)
            for i, (e, t) in enumerate(zip(english, translated, strict=True))
        ]
    if text and isinstance(english, str):
        if not isinstance(translated, str) or not translated.strip():
            raise ContentError(f"{path}: field '{where}': expected a translated text")
        return translated
    if translated != english:
        raise ContentError(f"{path}: field '{where}': must be the same as in English")
    return english
