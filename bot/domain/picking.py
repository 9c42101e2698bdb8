"""Which stretch to show next: safe for the user, varied, in their focus areas, near their
level."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from bot.catalog.stretches import Movement, Need, Stretch
from bot.domain.precautions import EVERY_PRECAUTION, is_allowed

EVERY_NEED = frozenset(Need)
# Filter combinations kept at once: safety codes x "cannot" codes x focus sets x levels can run
# to millions in theory, so the memo starts over past this (a few MB) instead of growing.
MAX_CACHED_FILTERS = 10_000

# How many of the most recent stretches to avoid repeating when there is choice.
RECENT_WINDOW = 5
MAX_LEVEL = 3


class StretchPicker:
    """Picks stretches from one library; the safety, ability, focus and level filters are
    worked out once per (forbidden movements, what the user cannot do, focus areas, level) and
    kept, since reminders pick thousands of times in a row."""

    def __init__(self, stretches: Sequence[Stretch]) -> None:
        if not stretches:
            raise ValueError("no stretches to pick from")
        self._stretches = tuple(stretches)
        if not any(
            is_allowed(s.movements, EVERY_PRECAUTION) and not s.needs for s in self._stretches
        ):
            raise ValueError("no stretch is safe under every precaution and needs nothing")
        self._tiers: dict[
            tuple[frozenset[Movement], frozenset[Need], frozenset[str], int],
            tuple[tuple[Stretch, ...], ...],
        ] = {}

    def pick(
        self,
        *,
        forbidden: frozenset[Movement],
        cannot: frozenset[Need] = frozenset(),
        focus_areas: Collection[str] = (),
        level: int = 1,
        recent_ids: Sequence[str] = (),
        rng: random.Random | None = None,
    ) -> Stretch:
        """Pick one stretch that uses none of the ``forbidden`` movements and needs nothing
        the user ``cannot`` do or has not got, relaxing the other filters in order until
        something is left.

        Preference: at or below the user's level, in a focus area (when any are set), not
        among the last few shown. Relaxed in this order: variety (a card at the user's level
        comes back before anything harder is shown), then the focus, and only when nothing
        safe is left at or below the level, the level, one step at a time. Safety and the
        user's "cannot" are never relaxed.
        """
        rng = rng or random.Random()
        recent = set(recent_ids[:RECENT_WINDOW])
        for tier in self._tiers_for(forbidden, cannot, frozenset(focus_areas), level):
            fresh = [s for s in tier if s.id not in recent]
            if fresh or tier:
                return rng.choice(fresh or list(tier))
        # Only reachable with movements beyond the precautions': the constructor checked
        # that some stretch survives every precaution and every "cannot" at once.
        raise ValueError(f"no stretch avoids {sorted(m.value for m in forbidden)}")

    def _tiers_for(
        self,
        forbidden: frozenset[Movement],
        cannot: frozenset[Need],
        focus: frozenset[str],
        level: int,
    ) -> tuple[tuple[Stretch, ...], ...]:
        """The candidates in order of preference: within each level cap (the user's own,
        then each level above), those in focus, then every safe one."""
        key = (forbidden, cannot, focus, level)
        if key not in self._tiers:
            if len(self._tiers) >= MAX_CACHED_FILTERS:
                self._tiers.clear()
            safe = tuple(
                s
                for s in self._stretches
                if is_allowed(s.movements, forbidden) and not s.needs & cannot
            )
            tiers: list[tuple[Stretch, ...]] = []
            for cap in range(max(level, 1), MAX_LEVEL + 1):
                within = tuple(s for s in safe if s.level <= cap)
                in_focus = tuple(s for s in within if not focus or any(a in focus for a in s.areas))
                tiers += [in_focus, within]
            self._tiers[key] = tuple(tiers)
        return self._tiers[key]


def toggle_area(areas: Sequence[str], area: str) -> list[str]:
    """The focus areas with ``area`` switched on or off (order kept, no duplicates)."""
    if area in areas:
        return [chosen for chosen in areas if chosen != area]
    return [*areas, area]


def adjusted_level(level: int, step: int) -> int:
    """The user's level after asking for easier (-1) or harder (+1) work, kept within 1..3."""
    return max(1, min(3, level + step))
