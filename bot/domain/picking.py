"""Which stretch to show next: varied, in the user's focus areas, near their level."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from bot.catalog.stretches import Stretch

# How many of the most recent stretches to avoid repeating when there is choice.
RECENT_WINDOW = 5


class StretchPicker:
    """Picks stretches from one library; the focus and level filters are worked out once per
    (focus areas, level) and kept, since reminders pick thousands of times in a row."""

    def __init__(self, stretches: Sequence[Stretch]) -> None:
        if not stretches:
            raise ValueError("no stretches to pick from")
        self._stretches = tuple(stretches)
        self._tiers: dict[tuple[frozenset[str], int], tuple[tuple[Stretch, ...], ...]] = {}

    def pick(
        self,
        *,
        focus_areas: Collection[str] = (),
        level: int = 1,
        recent_ids: Sequence[str] = (),
        rng: random.Random | None = None,
    ) -> Stretch:
        """Pick one stretch, relaxing the filters in order until something is left.

        Preference: in a focus area (when any are set), at or below the user's level, not
        among the last few shown. Relaxed in this order: the level, then variety; the user's
        chosen focus goes last.
        """
        rng = rng or random.Random()
        recent = set(recent_ids[:RECENT_WINDOW])
        at_level, in_focus, everything = self._tiers_for(frozenset(focus_areas), level)
        for tier, avoid_recent in (
            (at_level, True),
            (in_focus, True),
            (in_focus, False),
            (everything, True),
        ):
            candidates = [s for s in tier if s.id not in recent] if avoid_recent else tier
            if candidates:
                return rng.choice(candidates)
        return rng.choice(everything)

    def _tiers_for(self, focus: frozenset[str], level: int) -> tuple[tuple[Stretch, ...], ...]:
        key = (focus, level)
        if key not in self._tiers:
            in_focus = tuple(
                s for s in self._stretches if not focus or any(a in focus for a in s.areas)
            )
            at_level = tuple(s for s in in_focus if s.level <= level)
            self._tiers[key] = (at_level, in_focus, self._stretches)
        return self._tiers[key]


def pick_stretch(
    stretches: Sequence[Stretch],
    *,
    focus_areas: Collection[str] = (),
    level: int = 1,
    recent_ids: Sequence[str] = (),
    rng: random.Random | None = None,
) -> Stretch:
    """One pick from ``stretches`` (see ``StretchPicker.pick``)."""
    return StretchPicker(stretches).pick(
        focus_areas=focus_areas, level=level, recent_ids=recent_ids, rng=rng
    )


def toggle_area(areas: Sequence[str], area: str) -> list[str]:
    """The focus areas with ``area`` switched on or off (order kept, no duplicates)."""
    if area in areas:
        return [chosen for chosen in areas if chosen != area]
    return [*areas, area]


def adjusted_level(level: int, step: int) -> int:
    """The user's level after asking for easier (-1) or harder (+1) work, kept within 1..3."""
    return max(1, min(3, level + step))
