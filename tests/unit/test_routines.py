"""Named routines in content/routines: loaded and checked against the stretch library."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.catalog.loading import ContentError
from bot.catalog.routines import load_routines
from bot.catalog.stretches import StretchLibrary, load_stretches
from bot.config import DEFAULT_CONTENT_DIR

LIBRARY: StretchLibrary = load_stretches(DEFAULT_CONTENT_DIR / "stretches")

GOOD = """\
id: {id}
name: Lunch break
purpose: A few minutes between meetings.
steps: [marching-warm-up, standing-quad, seated-figure-four]
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_routines_load_with_the_catalog() -> None:
    routines = load_catalog(DEFAULT_CONTENT_DIR).routines
    assert {"desk-break", "morning", "after-a-run"} <= {r.id for r in routines}


def test_a_valid_routine_loads(tmp_path: Path) -> None:
    write(tmp_path, "lunch", GOOD.format(id="lunch"))
    (routine,) = load_routines(tmp_path, LIBRARY)
    assert routine.steps == ("marching-warm-up", "standing-quad", "seated-figure-four")


def test_no_folder_means_no_routines(tmp_path: Path) -> None:
    assert load_routines(tmp_path / "absent", LIBRARY) == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("standing-quad", "moon-walk"), "unknown stretch ids ['moon-walk']"),
        (GOOD.replace("standing-quad", "seated-figure-four"), "listed twice"),
        (
            GOOD.replace("[marching-warm-up, ", "[standing-hip-circles, ").replace(
                "standing-hip-circles, standing-quad", "standing-quad, standing-hip-circles"
            ),
            "must be a warm-up",
        ),
        (
            GOOD.replace(
                "steps: [marching-warm-up, standing-quad, seated-figure-four]",
                "steps: [marching-warm-up]",
            ),
            "field 'steps'",
        ),
        (GOOD.replace("steps:", "stops:"), "field 'steps': Field required"),
        (GOOD.replace("name: Lunch break", "name: 12"), "field 'name'"),
        ("- just\n- a list\n", "expected a mapping"),
        ("id: [unclosed\n", "cannot read YAML"),
    ],
)
def test_a_bad_routine_names_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "lunch", text.format(id="lunch") if "{id}" in text else text)
    with pytest.raises(ContentError) as error:
        load_routines(tmp_path, LIBRARY)
    assert str(path) in str(error.value) and message in str(error.value)


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    write(tmp_path, "lunch", GOOD.format(id="dinner"))
    with pytest.raises(ContentError, match="must match the file name"):
        load_routines(tmp_path, LIBRARY)


def test_a_bad_routine_fails_the_whole_catalog(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    write(content / "routines", "broken", GOOD.format(id="broken").replace("standing-quad", "x"))
    with pytest.raises(ContentError, match=r"broken\.yaml"):
        load_catalog(content)


def test_a_translation_replaces_the_name_and_purpose_only(tmp_path: Path) -> None:
    english, german = tmp_path / "en", tmp_path / "de"
    write(english, "lunch", GOOD.format(id="lunch"))
    translated = GOOD.format(id="lunch").replace("Lunch break", "Mittagspause")
    write(german, "lunch", translated.replace("A few minutes", "Ein paar Minuten"))
    (routine,) = load_routines(english, LIBRARY, german)
    assert routine.name == "Mittagspause" and routine.purpose.startswith("Ein paar Minuten")

    write(german, "lunch", translated.replace("standing-quad", "seated-chair-rotation"))
    with pytest.raises(ContentError, match="'steps': must be the same as in English"):
        load_routines(english, LIBRARY, german)
    write(german, "dinner", GOOD.format(id="dinner"))
    with pytest.raises(ContentError, match="no English original"):
        load_routines(english, LIBRARY, german)
