"""The education cards: enough of them, in our own words, each valid Telegram HTML within
limits in English and the pseudo-locale, and refused at start when a file is bad."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import load_catalog
from bot.catalog.learn import MIN_CARDS, LearnCards, load_learn
from bot.catalog.loading import ContentError
from bot.config import DEFAULT_CONTENT_DIR
from bot.render.i18n import Translator
from bot.render.learn import learn_screen, render_learn_unknown
from tests.unit.test_render import assert_buttons_fit, assert_fits
from tests.unit.test_stretch_library import SEED_DIR, _runs, _words

LEARN_FILE = DEFAULT_CONTENT_DIR / "learn.yaml"
CARDS: LearnCards = load_learn(LEARN_FILE)
TOPICS = ("not serious", "bed rest", "pacing", "flare", "sciatica", "sleep", "stress", "see")


def test_there_are_enough_cards_on_the_topics_that_matter() -> None:
    assert len(CARDS) >= MIN_CARDS
    words = " ".join(f"{c.title} {' '.join(c.text)}" for c in CARDS.cards).lower()
    assert [topic for topic in TOPICS if topic not in words] == []


@pytest.mark.parametrize("card", CARDS.cards, ids=lambda card: card.id)
def test_every_card_is_valid_html_within_limits(t: Translator, card: Any) -> None:
    text, keyboard = learn_screen(t, CARDS, card)
    assert_fits(text)
    assert_buttons_fit(keyboard)


def test_previous_and_next_wrap_around(t: Translator) -> None:
    first, last = CARDS.cards[0], CARDS.cards[-1]
    _, keyboard = learn_screen(t, CARDS, first)
    [[previous, following]] = keyboard.inline_keyboard
    assert previous.callback_data == f"1:lc:{last.id}"
    assert following.callback_data == f"1:lc:{CARDS.cards[1].id}"
    assert_fits(render_learn_unknown(t, len(CARDS)))


def test_no_card_copies_nine_words_from_the_seed_notes() -> None:
    seed_files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not seed_files:
        pytest.skip(f"seed notes not found at {SEED_DIR}")
    seed_runs = set().union(*(_runs(_words(p.read_text(encoding="utf-8"))) for p in seed_files))
    copied = {
        card.id: shared
        for card in CARDS.cards
        if (shared := _runs(_words(" ".join((card.title, *card.text)))) & seed_runs)
    }
    assert copied == {}


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "learn.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def english() -> dict[str, Any]:
    data = yaml.safe_load(LEARN_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["cards"].pop(), "cards"),
        (lambda d: d["cards"][1].update(id=d["cards"][0]["id"]), "same id"),
        (lambda d: d["cards"][2].update(text=["too short"]), "cards.2.text.0"),
        (lambda d: d["cards"][3].update(extra="x"), "cards.3.extra"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(tmp_path: Path, change: Any, message: str) -> None:
    data = english()
    data["cards"] = data["cards"][:MIN_CARDS]
    change(data)
    with pytest.raises(ContentError, match=message):
        load_learn(_write(tmp_path, data))


def test_a_translation_replaces_titles_and_texts_only(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    german = english()
    german["cards"][0]["title"] = "Meist nichts Ernstes"
    (content / "de").mkdir()
    _write(content / "de", german)
    catalog = load_catalog(content)
    assert catalog.in_language("de").learn.cards[0].title == "Meist nichts Ernstes"
    assert catalog.learn.cards[0].title == CARDS.cards[0].title
    german["cards"][0]["sources"] = ["made up"]
    _write(content / "de", german)
    with pytest.raises(ContentError, match="sources"):
        load_catalog(content)
