from __future__ import annotations

import random
from datetime import date

import pytest

from bot.catalog.stretches import Area, Movement, Need, Stretch, load_stretches
from bot.config import DEFAULT_CONTENT_DIR
from bot.domain.activity import current_streak
from bot.domain.picking import NothingToPick, StretchPicker, adjusted_level, toggle_area
from bot.domain.precautions import EVERY_PRECAUTION, forbidden_for_stored

NOTHING: frozenset[Movement] = frozenset()


def make(
    stretch_id: str,
    areas: tuple[str, ...] = ("glutes",),
    level: int = 1,
    movements: tuple[str, ...] = ("standing",),
    equipment: tuple[str, ...] = ("none",),
) -> Stretch:
    return Stretch.model_validate(
        {
            "id": stretch_id,
            "name": f"Stretch {stretch_id}",
            "purpose": "Loosens things up.",
            "areas": areas,
            "level": level,
            "equipment": list(equipment),
            "position": "standing",
            "movements": movements,
            "easier_movements": movements,
            "harder_movements": movements,
            "steps": ["Stand tall.", "Move gently.", "Come back."],
            "hold_seconds": 30,
            "sides": "each",
            "cues": ["Breathe slowly."],
            "stop_if": ["Sharp pain."],
            "easier": "Do less.",
            "harder": "Do more.",
            "sources": ["test"],
            "illustration": {
                "view": "side",
                "target": [{"area": areas[0], "side": "near"}],
                "arrow": "near_knee",
                "start": {},
                "end": {"near_leg": [90, 90, 0]},
            },
        }
    )


LIBRARY = [
    make("a", ("glutes",), 1),
    make("b", ("glutes",), 3),
    make("c", ("hamstrings",), 1),
    make("d", ("hip_flexors",), 2),
]


TWIST = frozenset({Movement.END_RANGE_TWIST})


def picks(library: list[Stretch] = LIBRARY, **kwargs: object) -> set[str]:
    rng = random.Random(1)
    kwargs.setdefault("forbidden", NOTHING)
    picker = StretchPicker(library)
    return {picker.pick(rng=rng, **kwargs).id for _ in range(200)}  # type: ignore[arg-type]


def test_focus_area_and_level_are_respected() -> None:
    assert picks(focus_areas=["glutes"], level=1) == {"a"}
    assert picks(focus_areas=["glutes"], level=3) == {"a", "b"}


def test_recent_stretches_are_avoided_when_there_is_choice() -> None:
    assert picks(recent_ids=["a", "b", "c"], level=3) == {"d"}


def test_filters_relax_instead_of_returning_nothing() -> None:
    # Only "a" fits the focus and level, but it was just shown: show it again rather than
    # anything above the user's level.
    assert picks(focus_areas=["glutes"], level=1, recent_ids=["a"]) == {"a"}
    assert picks(recent_ids=["a", "b", "c", "d"]) == {"a", "c"}
    assert picks(recent_ids=["a", "b", "c", "d"], level=3) == {"a", "b", "c", "d"}


def test_excluded_stretches_come_only_when_nothing_else_is_safe() -> None:
    # A session's steps already chosen: never picked twice, even over variety and focus.
    assert picks(focus_areas=["glutes"], level=1, exclude={"a"}) == {"c"}
    assert picks(level=3, exclude={"a", "b", "c"}, recent_ids=["d"]) == {"d"}
    assert picks(exclude={"a", "b", "c", "d"}) == {"a", "c"}  # nothing else: the level's own


def test_the_level_is_left_only_when_nothing_safe_is_at_or_below_it() -> None:
    # Every level-1 stretch twists: the next level up, never the hardest first.
    library = [
        make("twist", ("glutes",), 1, ("standing", "end_range_twist")),
        make("calm-2", ("glutes",), 2),
        make("calm-3", ("glutes",), 3),
    ]
    assert picks(library, forbidden=TWIST, level=1) == {"calm-2"}
    assert picks(library, forbidden=TWIST, level=1, recent_ids=["calm-2"]) == {"calm-2"}


def test_no_focus_means_any_area() -> None:
    assert picks(level=3) == {"a", "b", "c", "d"}


def test_empty_library_is_an_error() -> None:
    with pytest.raises(ValueError):
        StretchPicker([])


SAFETY_LIBRARY = [
    make("twist-glutes", ("glutes",), 1, ("standing", "end_range_twist")),
    make("twist-glutes-hard", ("glutes",), 3, ("standing", "end_range_twist")),
    make("calm-quads", ("quads",), 1),
    make("calm-quads-hard", ("quads",), 3),
    make("twist-quads", ("quads",), 1, ("standing", "end_range_twist")),
]


def test_a_forbidden_movement_is_never_picked_even_against_focus_level_and_variety() -> None:
    # Every glute stretch twists: leave the focus for safe ones, at the user's level first.
    assert picks(SAFETY_LIBRARY, forbidden=TWIST, focus_areas=["glutes"]) == {"calm-quads"}
    assert picks(SAFETY_LIBRARY, forbidden=TWIST, focus_areas=["glutes"], level=3) == {
        "calm-quads",
        "calm-quads-hard",
    }
    # The only safe stretches were all shown lately: repeat one rather than twist.
    assert picks(
        SAFETY_LIBRARY, forbidden=TWIST, recent_ids=["calm-quads", "calm-quads-hard"], level=3
    ) == {"calm-quads", "calm-quads-hard"}
    # Without the precaution the same request may twist.
    assert "twist-glutes" in picks(SAFETY_LIBRARY, focus_areas=["glutes"])


def test_a_library_with_nothing_safe_under_every_precaution_is_refused() -> None:
    with pytest.raises(ValueError, match="every precaution"):
        StretchPicker([make("twist", movements=("standing", "end_range_twist"))])


@pytest.mark.parametrize(
    ("level", "step", "expected"), [(1, -1, 1), (1, 1, 2), (3, 1, 3), (2, -1, 1)]
)
def test_adjusted_level_stays_in_range(level: int, step: int, expected: int) -> None:
    assert adjusted_level(level, step) == expected


@pytest.mark.parametrize(
    ("done_days", "expected"),
    [
        ([], 0),
        ([27], 1),
        ([26], 1),  # yesterday still counts until today ends
        ([25], 0),
        ([25, 26, 27], 3),
        ([24, 26, 27], 2),
        ([27, 27, 26], 2),  # several in one day count once
    ],
)
def test_current_streak(done_days: list[int], expected: int) -> None:
    today = date(2026, 11, 27)
    assert current_streak([date(2026, 11, d) for d in done_days], today) == expected


def test_the_chosen_focus_outlasts_variety() -> None:
    # Every glute stretch was shown lately: repeat one rather than leave the focus.
    assert picks(focus_areas=["glutes"], level=3, recent_ids=["a", "b"]) == {"a", "b"}


@pytest.mark.parametrize(
    ("areas", "area", "expected"),
    [([], "glutes", ["glutes"]), (["glutes", "quads"], "glutes", ["quads"])],
)
def test_toggle_area(areas: list[str], area: str, expected: list[str]) -> None:
    assert toggle_area(areas, area) == expected


def test_a_beginner_never_gets_a_harder_stretch_in_a_month_of_daily_picks() -> None:
    """The real library: 30 days of picks, each avoiding the week's cards the way the bot
    does, for every single focus area and no focus, with and without every precaution."""
    library = load_stretches(DEFAULT_CONTENT_DIR / "stretches").all()
    picker = StretchPicker(library)
    rng = random.Random(7)
    for forbidden in (NOTHING, EVERY_PRECAUTION):
        for focus in [[], *([area.value] for area in Area)]:
            shown: list[str] = []
            for _ in range(30):
                stretch = picker.pick(
                    forbidden=forbidden, focus_areas=focus, level=1, recent_ids=shown[:7], rng=rng
                )
                assert stretch.level == 1, (focus, stretch.id, len(shown))
                shown.insert(0, stretch.id)


def test_an_areas_own_level_wins_for_the_stretches_working_it() -> None:
    library = [
        make("glutes-1", ("glutes",), 1),
        make("glutes-2", ("glutes",), 2),
        make("quads-1", ("quads",), 1),
        make("quads-2", ("quads",), 2),
        make("glutes-quads-2", ("glutes", "quads"), 2),
        make("quads-glutes-2", ("quads", "glutes"), 2),
    ]
    # Glutes moved up a level ("Too easy"): the level-2 stretches mainly for the glutes come
    # in, those mainly for the quads do not.
    assert picks(library, level=1, area_levels={"glutes": 2}) == {
        "glutes-1",
        "glutes-2",
        "glutes-quads-2",
        "quads-1",
    }
    # Recently shown at the old level: the next one is a harder one.
    assert picks(
        library, level=1, area_levels={"glutes": 2}, focus_areas=["glutes"], recent_ids=["glutes-1"]
    ) == {"glutes-2", "glutes-quads-2"}
    # An area moved down stays below the overall level.
    assert picks(library, level=2, area_levels={"quads": 1}) == {
        "glutes-1",
        "glutes-2",
        "glutes-quads-2",
        "quads-1",
    }


def test_a_stopped_stretch_is_never_picked() -> None:
    # Even when it is the only one in focus and at the level: another area or level instead.
    assert "a" not in picks(focus_areas=["glutes"], level=1, stopped_ids=["a"])
    assert picks(focus_areas=["glutes"], level=1, stopped_ids=["a"]) == {"c"}


def test_nothing_left_when_every_safe_stretch_is_stopped() -> None:
    picker = StretchPicker(LIBRARY)
    with pytest.raises(NothingToPick):
        picker.pick(forbidden=NOTHING, stopped_ids=["a", "b", "c", "d"])


# -- what the user cannot do: never relaxed, over the whole library ---------------------------

WHOLE_LIBRARY = load_stretches(DEFAULT_CONTENT_DIR / "stretches").all()
EVERY_CANNOT = [
    frozenset(need for bit, need in enumerate(Need) if mask & (1 << bit))
    for mask in range(1 << len(Need))
]


def test_every_cannot_under_every_safety_answer_and_level_is_honoured() -> None:
    """Property over the whole library: for every set of "cannot" (all 2^7), every set of
    safety answers (all 64 codes) and every level, each pick needs nothing ruled out and uses
    no forbidden movement, even when recent picks leave only repeats."""
    picker = StretchPicker(WHOLE_LIBRARY)
    rng = random.Random(3)
    for cannot in EVERY_CANNOT:
        for code in range(64):
            forbidden = forbidden_for_stored(code)
            for level in (1, 2, 3):
                recent: list[str] = []
                for _ in range(3):
                    stretch = picker.pick(
                        forbidden=forbidden, cannot=cannot, level=level, recent_ids=recent, rng=rng
                    )
                    assert not stretch.needs & cannot, (stretch.id, cannot)
                    assert not stretch.movements & forbidden, (stretch.id, code)
                    recent.insert(0, stretch.id)


@pytest.mark.parametrize("area", list(Area))
def test_every_cannot_is_honoured_against_every_focus(area: Area) -> None:
    picker = StretchPicker(WHOLE_LIBRARY)
    rng = random.Random(5)
    for cannot in EVERY_CANNOT:
        for _ in range(4):
            stretch = picker.pick(
                forbidden=NOTHING, cannot=cannot, focus_areas=[area.value], level=3, rng=rng
            )
            assert not stretch.needs & cannot


def test_cannot_kneel_leaves_every_kneeling_stretch_out_but_keeps_the_rest() -> None:
    picker = StretchPicker(WHOLE_LIBRARY)
    rng = random.Random(2)
    seen = {
        picker.pick(forbidden=NOTHING, cannot=frozenset({Need.KNEEL}), level=3, rng=rng).id
        for _ in range(500)
    }
    kneeling = {s.id for s in WHOLE_LIBRARY if Movement.KNEELING in s.movements}
    assert kneeling and not seen & kneeling
    assert len(seen) >= len(WHOLE_LIBRARY) - len(kneeling) - 3  # the rest still come up


def test_a_library_with_nothing_for_someone_who_can_do_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="needs nothing"):
        StretchPicker([make("wall", equipment=("wall",))])


def test_needs_come_from_the_movements_and_equipment() -> None:
    stretch = make("s", movements=("standing", "on_a_chair"), equipment=("chair", "band"))
    assert stretch.needs == {Need.CHAIR, Need.BAND}
    assert make("plain").needs == frozenset()
    with pytest.raises(ValueError, match="done on a chair"):  # validated on load
        make("c", movements=("standing", "on_a_chair"))


def test_a_sessions_exclusions_give_way_only_when_nothing_else_is_left_and_stops_never() -> None:
    picker = StretchPicker([make("a"), make("b"), make("c")])
    pick = lambda **kw: picker.pick(forbidden=NOTHING, rng=random.Random(1), **kw).id  # noqa: E731
    assert all(pick(exclude={"a", "b"}) == "c" for _ in range(20))
    # Everything excluded: one of them after all, but never the stopped one.
    picked = {pick(exclude={"a", "b", "c"}, stopped_ids={"c"}) for _ in range(20)}
    assert picked <= {"a", "b"}
    with pytest.raises(NothingToPick):
        pick(exclude={"a"}, stopped_ids={"a", "b", "c"})
