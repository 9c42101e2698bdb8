"""`limber illustrations`: a contact sheet and the pictures, for review, without a bot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from bot.catalog.stretches import load_stretches
from bot.cli import main
from bot.config import DEFAULT_CONTENT_DIR
from bot.render.illustrations import GAP, LABEL_HEIGHT, PANEL, SHEET_MARGIN, SHEET_WIDTH


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library of two stretches: one drill, one hold."""
    directory = tmp_path / "content"
    (directory / "stretches").mkdir(parents=True)
    shutil.copy(DEFAULT_CONTENT_DIR / "redflags.yaml", directory)
    for name in ("cat-cow", "childs-pose"):
        shutil.copy(DEFAULT_CONTENT_DIR / "stretches" / f"{name}.yaml", directory / "stretches")
    monkeypatch.setenv("LIMBER_CONTENT_DIR", str(directory))
    return directory


def test_sheet_and_pictures_are_written(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, out = tmp_path / "sheet.png", tmp_path / "pictures"
    assert main(["illustrations", "--sheet", str(sheet), "--out", str(out)]) == 0
    with Image.open(sheet) as image:
        assert image.format == "PNG" and image.width == 1128
    assert sorted(path.name for path in out.iterdir()) == ["cat-cow.gif", "childs-pose.png"]
    assert "contact sheet of 2 stretches" in capsys.readouterr().out


def test_without_a_target_it_says_what_to_give(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["illustrations"]) == 2
    assert "--sheet" in capsys.readouterr().err


def test_a_bad_content_file_is_named(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content / "stretches" / "cat-cow.yaml").write_text("id: cat-cow\n", encoding="utf-8")
    assert main(["illustrations", "--sheet", str(tmp_path / "x.png")]) == 2
    assert "cat-cow.yaml" in capsys.readouterr().err


def test_the_committed_contact_sheet_shows_the_whole_library() -> None:
    """docs/illustrations.png is regenerated when stretches are added (its size says how many
    rows it has): `limber illustrations --sheet docs/illustrations.png`."""
    count = len(load_stretches(DEFAULT_CONTENT_DIR / "stretches"))
    rows = -(-count // 2)
    tile_h = (SHEET_WIDTH - 3 * SHEET_MARGIN) // 2 * PANEL // (2 * PANEL + GAP)
    with Image.open(Path(__file__).parents[2] / "docs" / "illustrations.png") as sheet:
        assert sheet.size == (
            SHEET_WIDTH,
            rows * (tile_h + LABEL_HEIGHT) + (rows + 1) * SHEET_MARGIN,
        )
