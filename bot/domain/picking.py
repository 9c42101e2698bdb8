"""Which stretch to show next: varied, in the user's focus areas, near their level."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence

from bot.catalog.stretches import Stretch

# How many of the most recent stretches to avoid repeating when there is choice.
RECENT_WINDOW = 5


def pick_stretch(
    stretches: Sequence[Stretch],
    *,
    focus_areas: Collection[str] = (),
    level: int = 1,
    recent_ids: Sequence[str] = (),
    rng: random.Random | None = None,
) -> Stretch:
    """Pick one stretch, relaxing the filters in order until something is left.

    Preference: in a focus area (when any are set), at or below the user's level, not among
    the last few shown. Filters are relaxed one by one rather than returning nothing.
    """
    if not stretches:
        raise ValueError("no stretches to pick from")
    rng = rng or random.Random()
    recent = set(recent_ids[:RECENT_WINDOW])

    def in_focus(stretch: Stretch) -> bool:
        return not focus_areas or any(area in focus_areas for area in stretch.areas)

    # Relaxed in this order: the level, then variety; the user's chosen focus goes last.
    filters: list[Callable[[Stretch], bool]] = [
        lambda s: in_focus(s) and s.level <= level and s.id not in recent,
        lambda s: in_focus(s) and s.id not in recent,
        in_focus,
        lambda s: s.id not in recent,
        lambda s: True,
    ]
    for keep in filters:
        candidates = [stretch for stretch in stretches if keep(stretch)]
        if candidates:
            return rng.choice(candidates)
    raise AssertionError("the last filter keeps everything")


def toggle_area(areas: Sequence[str], area: str) -> list[str]:
    """The focus areas with ``area`` switched on or off (order kept, no duplicates)."""
    if area in areas:
        return [chosen for chosen in areas if chosen != area]
    return [*areas, area]


def adjusted_level(level: int, step: int) -> int:
    """The user's level after asking for easier (-1) or harder (+1) work, kept within 1..3."""
    return max(1, min(3, level + step))
