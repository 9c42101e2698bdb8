"""How a stretch felt, and what follows from it: the level of the areas it works, the hold
time over the weeks, and what to do when it hurt. Pure rules, no storage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.picking import adjusted_level


class Feeling(StrEnum):
    """The answer to "How did that feel?", as stored (one row per stretch and time asked)."""

    GOOD = "good"
    TOO_EASY = "too_easy"
    TOO_HARD = "too_hard"
    HURT = "hurt"


# One step per answer: "Too easy" raises, "Too hard" lowers, the others leave the level.
LEVEL_STEPS = {Feeling.TOO_EASY: 1, Feeling.TOO_HARD: -1}


def levels_after(
    area_levels: Mapping[str, int], default: int, areas: Iterable[str], feeling: Feeling
) -> dict[str, int]:
    """The per-area levels after one answer about a stretch (or a session) working ``areas``:
    each of them moves one step within 1..3, starting from ``default`` when it has no entry
    yet. Each area moves once, however many of the stretches worked it."""
    levels = dict(area_levels)
    step = LEVEL_STEPS.get(feeling, 0)
    if step:
        for area in dict.fromkeys(areas):
            levels[area] = adjusted_level(levels.get(area, default), step)
    return levels


# Hold progression: the steps a held stretch climbs, how many "Good" days it takes (spread over
# at least a week: a habit, not one keen afternoon), and how far above the card it may go.
HOLD_LADDER = (10, 15, 20, 30, 45, 60)
GOOD_DAYS_TO_STEP = 3
STEP_SPAN = timedelta(days=7)
MAX_STEPS_UP = 2


@dataclass(frozen=True)
class Answered:
    """One stored answer about one stretch."""

    day: date
    feeling: Feeling


def hold_steps(history: Sequence[Answered]) -> int:
    """How many ladder steps above the card's hold this stretch has earned, from its answers.

    Three "Good" days at least a week apart (first to last) earn a step, up to ``MAX_STEPS_UP``;
    "Too hard" takes one back and starts the count again; once it hurt, never above the card.
    """
    ordered = sorted(history, key=lambda answer: answer.day)
    if any(answer.feeling is Feeling.HURT for answer in ordered):
        return 0
    steps = 0
    good_days: list[date] = []
    for answer in ordered:
        if answer.feeling is Feeling.TOO_HARD:
            steps, good_days = max(0, steps - 1), []
        elif answer.feeling is Feeling.GOOD and answer.day not in good_days:
            good_days.append(answer.day)
            if len(good_days) >= GOOD_DAYS_TO_STEP and good_days[-1] - good_days[0] >= STEP_SPAN:
                steps, good_days = min(MAX_STEPS_UP, steps + 1), []
    return steps


def personal_hold(card_seconds: int, steps: int) -> int:
    """The hold to show: the card's own, ``steps`` rungs up the ladder (never shorter, capped
    at the ladder's top unless the card itself asks for more)."""
    if steps <= 0:
        return card_seconds
    rungs = [rung for rung in HOLD_LADDER if rung > card_seconds]
    if not rungs:
        return card_seconds
    return rungs[min(steps, len(rungs)) - 1]


class PainPlace(StrEnum):
    """Where it hurt."""

    # One letter each: they travel in button data and are never stored.
    STRETCHED = "a"  # the part being stretched
    JOINT = "j"  # a joint such as the knee or hip
    LOWER_BACK = "b"
    DOWN_LEG = "l"  # spreading down a leg


class PainKind(StrEnum):
    """What it felt like."""

    MILD = "m"  # a stretching feeling, 3 out of 10 or less
    STRONG = "s"  # more than 3 out of 10, or an ache that stayed
    SHARP = "p"  # sharp or stabbing
    NERVE = "n"  # shooting, tingling or numbness
    NEXT_MORNING = "w"  # still worse the next morning
    NEW = "x"  # something new the user has not had before


@dataclass(frozen=True)
class PainOutcome:
    """What follows: stop the stretch for the user (and offer its easier way), and whether to
    offer the red-flag check."""

    stop: bool
    offer_check: bool

    @property
    def reassure(self) -> bool:
        return not self.stop


# A stretching feeling is expected where the stretch pulls (and in the low back for the back
# stretches); in a joint it means the joint is loaded, so that stretch stops.
MILD_IS_FINE = frozenset({PainPlace.STRETCHED, PainPlace.LOWER_BACK})
# Signs of an irritated nerve or a change worth checking: offer the red-flag check.
CHECK_KINDS = frozenset({PainKind.NERVE, PainKind.NEW})


def triage(place: PainPlace, kind: PainKind) -> PainOutcome:
    """The outcome of "It hurt": where, then what it felt like."""
    if kind is PainKind.MILD and place in MILD_IS_FINE:
        return PainOutcome(stop=False, offer_check=False)
    return PainOutcome(stop=True, offer_check=kind in CHECK_KINDS or place is PainPlace.DOWN_LEG)
