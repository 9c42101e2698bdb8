"""Content in other languages: content/<lang>/ overlays English text only, with exactly the
same shape, and every card and outcome still fits Telegram when the text grows a third."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import Catalog, load_catalog
from bot.catalog.loading import ContentError
from bot.catalog.redflags import Item, Tier
from bot.catalog.translations import TEXT_KEYS
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.redflags import Outcome, Tick
from bot.render.i18n import Translator
from bot.render.redflags import render_outcome
from bot.render.stretch_card import render_stretch_card
from tests.translations import PSEUDO, pseudo
from tests.unit.test_render import assert_fits

STRETCH = "pigeon-pose"


def english(path: str) -> Any:
    return yaml.safe_load((DEFAULT_CONTENT_DIR / path).read_text(encoding="utf-8"))


def content_with(tmp_path: Path, language: str, files: dict[str, Any]) -> Path:
    """A copy of the shipped content plus ``files`` under ``<language>/``."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    for name, data in files.items():
        target = root / language / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def test_a_translation_replaces_text_and_nothing_else(tmp_path: Path) -> None:
    stretch, checklist = english(f"stretches/{STRETCH}.yaml"), english("redflags.yaml")
    stretch["name"] = "Taubenhaltung"
    stretch["steps"] = [f"Schritt {n}" for n, _ in enumerate(stretch["steps"], 1)]
    checklist["intro"] = checklist["intro"].replace("About", "Etwa")
    catalog = load_catalog(
        content_with(
            tmp_path, "de", {f"stretches/{STRETCH}.yaml": stretch, "redflags.yaml": checklist}
        )
    )
    german = catalog.in_language("de")
    translated = german.stretches.get(STRETCH)
    assert translated is not None and translated.name == "Taubenhaltung"
    assert translated.steps[0] == "Schritt 1"
    assert german.stretches.get("frog-stretch") == catalog.stretches.get("frog-stretch")  # not yet
    assert german.redflags.intro.startswith("<b>Red-flag check</b>\n\nEtwa")
    assert [q.id for q in german.redflags.questions] == [q.id for q in catalog.redflags.questions]
    assert catalog.in_language("de_AT") == german  # a region uses its language
    assert catalog.in_language("fr").stretches is catalog.stretches


def _broken(change: str) -> tuple[str, Any]:
    stretch = english(f"stretches/{STRETCH}.yaml")
    if change == "one step less":
        stretch["steps"] = stretch["steps"][:-1]
    elif change == "another hold time":
        stretch["hold_seconds"] = (stretch.get("hold_seconds") or 30) + 5
    elif change == "another id":
        stretch["id"] = "taube"
    elif change == "a missing field":
        del stretch["cues"]
    elif change == "an empty text":
        stretch["name"] = " "
    return f"stretches/{STRETCH}.yaml", stretch


@pytest.mark.parametrize(
    "change",
    ["one step less", "another hold time", "another id", "a missing field", "an empty text"],
)
def test_a_translation_that_changes_the_shape_names_file_and_field(
    tmp_path: Path, change: str
) -> None:
    name, data = _broken(change)
    with pytest.raises(ContentError, match=rf"de/{name}: field '"):
        load_catalog(content_with(tmp_path, "de", {name: data}))


def test_a_translated_file_without_an_english_original_is_refused(tmp_path: Path) -> None:
    stray = english(f"stretches/{STRETCH}.yaml")
    with pytest.raises(ContentError, match="no English original"):
        load_catalog(content_with(tmp_path, "de", {"stretches/taube.yaml": stray}))


def _pseudo_text(data: Any, translate: bool = False) -> Any:
    if isinstance(data, dict):
        return {k: _pseudo_text(v, translate or k in TEXT_KEYS) for k, v in data.items()}
    if isinstance(data, list):
        return [_pseudo_text(item, translate) for item in data]
    return pseudo(data) if translate and isinstance(data, str) else data


@pytest.fixture(scope="module")
def pseudo_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """All content in the pseudo-locale: every text accented and a third longer."""
    files = {
        f"stretches/{path.name}": _pseudo_text(english(f"stretches/{path.name}"))
        for path in (DEFAULT_CONTENT_DIR / "stretches").glob("*.yaml")
    }
    files["redflags.yaml"] = _pseudo_text(english("redflags.yaml"))
    return load_catalog(content_with(tmp_path_factory.mktemp("pseudo"), PSEUDO, files))


def test_every_card_and_outcome_fits_a_longer_language(
    pseudo_catalog: Catalog, pseudo_translator: Translator
) -> None:
    content = pseudo_catalog.in_language(PSEUDO)
    for stretch in content.stretches.all():
        assert_fits(render_stretch_card(pseudo_translator, stretch, heading="⏰"))
    checklist = content.redflags
    items = [question for question in checklist.questions if isinstance(question, Item)]
    for tier in Tier:
        ticked = tuple(Tick(item, "unsure") for item in items)
        outcome = Outcome(tier, ticked, tuple(checklist.extras), (), stopped_early=False)
        assert_fits(render_outcome(pseudo_translator, checklist, outcome, None))
