"""Every text a user sees goes through the translation catalogue, in one place (render/)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.render.i18n import Catalogs, normalize
from tests.translations import ROOT, source_messages, write_locale

TEMPLATE = ROOT / "bot" / "locales" / "limber.pot"
TRANSLATING_CALLS = {"gettext", "ngettext", "pgettext", "npgettext", "N_"}
# Handler helpers whose text argument reaches the user: it must come from render/.
SENDING_CALLS = {"reply", "answer_quietly", "show", "send_message", "answer"}


def _message_keys(catalog: object) -> set[tuple[object, object]]:
    return {(message.id, message.context) for message in catalog if message.id}  # type: ignore[attr-defined]


def test_the_template_lists_every_message_in_the_source() -> None:
    with TEMPLATE.open("rb") as template:
        committed = read_po(template)
    assert _message_keys(source_messages()) == _message_keys(committed), (
        "bot/locales/limber.pot is out of date: run the extract command in docs/translations.md"
    )


def _python_files(*parts: str) -> list[Path]:
    return sorted((ROOT / "bot").joinpath(*parts).rglob("*.py"))


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


@pytest.mark.parametrize(
    "path",
    [p for p in _python_files() if "render" not in p.relative_to(ROOT / "bot").parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_render_translates(path: Path) -> None:
    """gettext and its marks appear in render/ only: the rest passes values, render words them."""
    calls = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and _called_name(node) in TRANSLATING_CALLS
    ]
    assert calls == [], f"{path.name} translates text itself at lines {calls}"


@pytest.mark.parametrize("path", _python_files("handlers"), ids=lambda p: p.name)
def test_handlers_send_no_text_of_their_own(path: Path) -> None:
    """A string literal handed to a sending call would reach users untranslated."""
    literals = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and _called_name(node) in SENDING_CALLS
        and any(
            isinstance(arg, ast.Constant | ast.JoinedStr)
            and (isinstance(arg, ast.JoinedStr) or isinstance(arg.value, str))
            for arg in node.args
        )
    ]
    assert literals == [], f"{path.name} sends literal text at lines {literals}"


@pytest.mark.parametrize(
    ("telegram", "gettext"),
    [("de", "de"), ("pt-br", "pt_BR"), ("PT_br", "pt_BR"), ("", "en"), (None, "en")],
)
def test_telegram_language_codes_become_gettext_ones(telegram: str | None, gettext: str) -> None:
    assert normalize(telegram) == gettext


def test_a_new_language_is_its_files_alone(tmp_path: Path) -> None:
    """No Python change: a directory with a compiled catalogue is a language."""
    catalogs = Catalogs(write_locale(tmp_path, "xx", {"List the commands": "Lisst dee comandz"}))
    assert catalogs.languages() == ("en", "xx")
    regional = catalogs.translator("xx-YY")  # a region falls back to its language
    assert regional.language == "xx"
    assert regional.gettext("List the commands") == "Lisst dee comandz"
    assert regional.gettext("Every day") == "Every day"  # missing: English
    assert catalogs.translator("fr").language == "en"
