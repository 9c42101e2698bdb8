"""A short guided session: which steps, how many rounds each, and how long it takes.

A session is a warm-up, three stretches and one strengthening move for the side of the hip,
chosen like a single stretch is (safety first, then level, focus and variety), with rounds
added or taken so the whole lasts about six to eight minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from bot.catalog.routines import Routine
from bot.catalog.stretches import (
    PLACES,
    Movement,
    Need,
    Position,
    Role,
    Stretch,
    StretchLibrary,
)
from bot.domain.picking import NothingToPick, PickFor, StretchPicker
from bot.domain.precautions import is_allowed
from bot.domain.timer import CHANGE_SECONDS, holds_for, timer_seconds

STRETCHES_PER_SESSION = 3
# Reading a step and getting into position, before its timer or its first rep.
SETUP_SECONDS = 15
SECONDS_PER_REP = 3
# Attempts at a session that fits the time before settling for the closest.
ATTEMPTS = 12
MIN_SECONDS = 6 * 60
MAX_SECONDS = 8 * 60


# The stretches of a session go from standing, to a chair, down to the floor: nobody gets up
# from lying down only to kneel again. The hip-strength move (lying on the side) comes last.
POSITION_ORDER = (
    Position.STANDING,
    Position.SEATED_CHAIR,
    Position.KNEELING,
    Position.HALF_KNEELING,
    Position.TABLETOP,
    Position.SEATED_FLOOR,
    Position.LYING_FRONT,
    Position.LYING_BACK,
    Position.SIDE_LYING,
)


def by_position(stretches: Sequence[Stretch]) -> list[Stretch]:
    """``stretches`` from standing to lying, keeping the order within a position."""
    return sorted(stretches, key=lambda s: POSITION_ORDER.index(s.position))


@dataclass(frozen=True)
class SessionStep:
    stretch: Stretch
    rounds: int  # per side when the stretch works each side
    own_hold: int | None = None  # the user's hold when weeks of "Good" have grown it

    @property
    def holds(self) -> int:
        """Holds (or sets) in this step: each round once, or once a side."""
        return holds_for(self.stretch.sides, self.rounds)

    @property
    def timed(self) -> bool:
        """Held, or kept going for a time: the hold timer runs it. Reps are counted by the user."""
        return self.stretch.reps is None

    @property
    def timer_hold_seconds(self) -> int:
        return self.own_hold or self.stretch.hold_seconds or self.stretch.duration_seconds or 0

    def seconds(self) -> int:
        """How long the step takes, setup included."""
        stretch = self.stretch
        if stretch.reps is not None:
            work = self.holds * stretch.reps * SECONDS_PER_REP + (self.holds - 1) * CHANGE_SECONDS
        else:
            work = timer_seconds(self.timer_hold_seconds, self.holds)
        return SETUP_SECONDS + work


def session_seconds(steps: Sequence[SessionStep]) -> int:
    return sum(step.seconds() for step in steps)


class SessionComposer:
    """Composes sessions from one library: a picker for each role."""

    def __init__(self, library: StretchLibrary) -> None:
        self._library = library
        stretches = library.all()
        self._pickers = {
            role: StretchPicker([s for s in stretches if s.role is role], for_everyone=False)
            for role in Role
        }

    def compose(
        self, user: PickFor, *, rng: random.Random | None = None
    ) -> tuple[SessionStep, ...]:
        """A warm-up, three stretches and a hip-strength move the user's safety answers and
        abilities allow, near their level (per area), in their focus, not done lately, none
        they stopped because it hurt; fitted to 6-8 minutes (a step that makes it too long is
        swapped for another). A role with nothing left for them is left out."""
        rng = rng or random.Random()
        avoid: set[str] = set()
        best: tuple[SessionStep, ...] | None = None
        for _ in range(ATTEMPTS):
            steps = self._pick_steps(user, rng, avoid)
            seconds = session_seconds(steps)
            if best is None or _distance(seconds) < _distance(session_seconds(best)):
                best = steps
            if MIN_SECONDS <= seconds <= MAX_SECONDS:
                break
            longest = max(steps, key=lambda step: step.seconds())
            avoid.add(longest.stretch.id)
        assert best is not None
        return best

    def _pick_steps(
        self, user: PickFor, rng: random.Random, avoid: set[str]
    ) -> tuple[SessionStep, ...]:
        chosen: list[Stretch] = []

        def pick(role: Role, focus: Collection[str]) -> list[Stretch]:
            try:
                stretch = self._pickers[role].pick_for(
                    replace(user, focus_areas=focus),
                    rng=rng,
                    exclude={s.id for s in chosen} | avoid,
                )
            except NothingToPick:  # every one of this role is unsafe or stopped for them
                return []
            chosen.append(stretch)
            return [stretch]

        warm_up = pick(Role.WARM_UP, ())
        stretches = [
            s for _ in range(STRETCHES_PER_SESSION) for s in pick(Role.STRETCH, user.focus_areas)
        ]
        strength = pick(Role.HIP_STRENGTH, ())
        return fit_to_time([*warm_up, *by_position(stretches), *strength])

    def routine(
        self,
        routine: Routine,
        forbidden: frozenset[Movement],
        rng: random.Random | None = None,
        *,
        cannot: frozenset[Need] = frozenset(),
        stopped_ids: Collection[str] = (),
    ) -> tuple[tuple[SessionStep, ...], int]:
        """A named routine fitted to time, each step the user's safety answers or abilities
        rule out, or that they stopped because it hurt, replaced by the closest suitable one
        (same role, same place, a shared area, no harder); and how many were replaced."""

        def suits(stretch: Stretch) -> bool:
            return (
                is_allowed(stretch.movements, forbidden)
                and not stretch.needs & cannot
                and stretch.id not in stopped_ids
            )

        rng = rng or random.Random()
        steps: list[Stretch] = []
        replaced = 0
        for step_id in routine.steps:
            stretch = self._library.get(step_id)
            if stretch is None:  # the loader checked the ids; a library swapped under us
                continue
            if not suits(stretch):
                replaced += 1
                taken = {s.id for s in steps} | set(routine.steps)
                stretch = self._closest_safe(stretch, suits, taken, rng)
            if stretch is not None:
                steps.append(stretch)
        return fit_to_time(steps), replaced

    def _closest_safe(
        self,
        original: Stretch,
        suits: Callable[[Stretch], bool],
        taken: Collection[str],
        rng: random.Random,
    ) -> Stretch | None:
        places = original.movements & PLACES
        candidates = [
            s
            for s in self._library.all()
            if s.role is original.role and s.id not in taken and suits(s)
        ]
        if not candidates:
            return None
        rng.shuffle(candidates)
        return min(
            candidates,
            key=lambda s: (
                not (s.movements & places),
                not set(s.areas) & set(original.areas),
                s.level > original.level,
            ),
        )


def _distance(seconds: int) -> int:
    return max(MIN_SECONDS - seconds, seconds - MAX_SECONDS, 0)


def fit_to_time(stretches: Sequence[Stretch]) -> tuple[SessionStep, ...]:
    """One round of each, then more rounds (stretches first, up to each card's own dose)
    while the session is short of six minutes and the round still fits in eight."""
    rounds = [1] * len(stretches)

    def total() -> int:
        return session_seconds([SessionStep(s, r) for s, r in zip(stretches, rounds, strict=True)])

    # The stretches first (the middle steps), then the strength move, then the warm-up.
    order = [*range(1, len(stretches) - 1), len(stretches) - 1, 0] if len(stretches) > 2 else []
    grew = True
    while total() < MIN_SECONDS and grew:
        grew = False
        for index in order:
            if total() >= MIN_SECONDS:
                break
            if rounds[index] < stretches[index].rounds:
                rounds[index] += 1
                if total() > MAX_SECONDS:
                    rounds[index] -= 1
                else:
                    grew = True
    return tuple(SessionStep(s, r) for s, r in zip(stretches, rounds, strict=True))
