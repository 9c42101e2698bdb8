"""Which stretch to show next: safe for the user, varied, in their focus areas, near their
level."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from bot.catalog.stretches import Movement, Need, Stretch
from bot.domain.precautions import EVERY_PRECAUTION, is_allowed

EVERY_NEED = frozenset(Need)
# How many of the most recent stretches to avoid repeating when there is choice.
RECENT_WINDOW = 5
MAX_LEVEL = 3
# Distinct (safety, "cannot", focus, levels) combinations whose tiers are kept: they can run to
# millions in theory, so past this (a few MB) the cache starts over instead of growing.
MAX_CACHED_TIERS = 10_000

TierKey = tuple[
    frozenset[Movement], frozenset[Need], frozenset[str], int, frozenset[tuple[str, int]]
]


def level_for(stretch: Stretch, area_levels: Mapping[str, int], default: int) -> int:
    """The user's level for a stretch: their level for the area it mainly works (listed first;
    an area without its own level is at ``default``). Not the lowest of all its areas: most
    harder stretches also work hip mobility, so "Too easy" on one area would change nothing."""
    return area_levels.get(stretch.areas[0], default)


@dataclass(frozen=True)
class PickFor:
    """Whom a stretch is picked for: what rules stretches out (safety answers, what they
    cannot do, what they stopped) and what shapes the choice (focus, levels, what they saw
    lately). The picker's, the session composer's and the reminder's one view of a user."""

    forbidden: frozenset[Movement]
    cannot: frozenset[Need] = frozenset()
    focus_areas: Collection[str] = ()
    level: int = 1
    area_levels: Mapping[str, int] = field(default_factory=dict)
    recent_ids: Sequence[str] = ()
    stopped_ids: Collection[str] = ()


class StretchPicker:
    """Picks stretches from one library; the safety, ability, focus and level filters are
    worked out once per (forbidden movements, what the user cannot do, focus areas, levels)
    and kept, since reminders pick thousands of times in a row."""

    def __init__(self, stretches: Sequence[Stretch], *, for_everyone: bool = True) -> None:
        """``for_everyone``: the library must hold a stretch safe under every precaution that
        needs nothing, so /stretch and reminders always find one. A session's pickers (one
        per role) may not: it leaves out a role with nothing suitable (``NothingToPick``)."""
        if not stretches:
            raise ValueError("no stretches to pick from")
        self._stretches = tuple(stretches)
        if for_everyone and not any(
            is_allowed(s.movements, EVERY_PRECAUTION) and not s.needs for s in self._stretches
        ):
            raise ValueError("no stretch is safe under every precaution and needs nothing")
        self._tiers: dict[TierKey, tuple[tuple[Stretch, ...], ...]] = {}

    def pick(
        self,
        *,
        forbidden: frozenset[Movement],
        cannot: frozenset[Need] = frozenset(),
        focus_areas: Collection[str] = (),
        level: int = 1,
        area_levels: Mapping[str, int] | None = None,
        recent_ids: Sequence[str] = (),
        stopped_ids: Collection[str] = (),
        rng: random.Random | None = None,
        exclude: Collection[str] = (),
    ) -> Stretch:
        """Pick one stretch that uses none of the ``forbidden`` movements and needs nothing
        the user ``cannot`` do or has not got, relaxing the other filters in order until
        something is left.

        Preference: at or below the user's level, in a focus area (when any are set), not
        among the last few shown. Relaxed in this order: variety (a card at the user's level
        comes back before anything harder is shown), then the focus, and only when nothing
        safe is left at or below the level, the level, one step at a time. Safety and the
        user's "cannot" are never relaxed, and a stretch the user stopped (it hurt) is never
        picked. ``exclude`` is never picked (a session's steps already chosen) unless nothing
        else is safe.

        ``level`` is the user's overall level; ``area_levels`` their own level for some body
        areas (from "Too easy" and "Too hard"), which wins for the stretches working them.
        """
        rng = rng or random.Random()
        recent = set(recent_ids[:RECENT_WINDOW])
        stopped = set(stopped_ids)
        tiers = self._tiers_for(
            forbidden, cannot, frozenset(focus_areas), level, frozenset((area_levels or {}).items())
        )
        # Without the session's exclusions only when nothing else is left; never a stopped one.
        for unwanted in [stopped | set(exclude), stopped] if exclude else [stopped]:
            for tier in tiers:
                allowed = [s for s in tier if s.id not in unwanted]
                fresh = [s for s in allowed if s.id not in recent]
                if fresh or allowed:
                    return rng.choice(fresh or allowed)
        # Only reachable with movements beyond the precautions' or with every safe stretch
        # stopped: the constructor checked that some stretch survives every precaution and
        # every "cannot" at once.
        raise NothingToPick(f"no stretch avoids {sorted(m.value for m in forbidden)}")

    def pick_for(
        self, user: PickFor, *, rng: random.Random | None = None, exclude: Collection[str] = ()
    ) -> Stretch:
        """``pick`` for ``user``."""
        return self.pick(
            forbidden=user.forbidden,
            cannot=user.cannot,
            focus_areas=user.focus_areas,
            level=user.level,
            area_levels=user.area_levels,
            recent_ids=user.recent_ids,
            stopped_ids=user.stopped_ids,
            rng=rng,
            exclude=exclude,
        )

    def _tiers_for(
        self,
        forbidden: frozenset[Movement],
        cannot: frozenset[Need],
        focus: frozenset[str],
        level: int,
        area_levels: frozenset[tuple[str, int]],
    ) -> tuple[tuple[Stretch, ...], ...]:
        """The candidates in order of preference: within each level cap (the user's own for
        the stretch's areas, then each step above), those in focus, then every safe one."""
        key = (forbidden, cannot, focus, level, area_levels)
        if key not in self._tiers:
            if len(self._tiers) >= MAX_CACHED_TIERS:
                self._tiers.clear()
            safe = tuple(
                s
                for s in self._stretches
                if is_allowed(s.movements, forbidden) and not s.needs & cannot
            )
            levels = dict(area_levels)
            own = {s.id: level_for(s, levels, max(level, 1)) for s in safe}
            tiers: list[tuple[Stretch, ...]] = []
            for above in range(MAX_LEVEL):
                within = tuple(s for s in safe if s.level <= own[s.id] + above)
                in_focus = tuple(s for s in within if not focus or any(a in focus for a in s.areas))
                tiers += [in_focus, within]
            self._tiers[key] = tuple(tiers)
        return self._tiers[key]


class NothingToPick(ValueError):
    """No stretch is left: every safe one is ruled out or stopped."""


def toggle_area(areas: Sequence[str], area: str) -> list[str]:
    """The focus areas with ``area`` switched on or off (order kept, no duplicates)."""
    if area in areas:
        return [chosen for chosen in areas if chosen != area]
    return [*areas, area]


def adjusted_level(level: int, step: int) -> int:
    """The user's level after asking for easier (-1) or harder (+1) work, kept within 1..3."""
    return max(1, min(3, level + step))
