"""A new user's first minute: the onboarding steps, in order, each one skippable.

The step is stored on the user, so a restart or a command typed half-way picks up where they
left off; it is None once onboarding is over (and for users from before it existed).
"""

from __future__ import annotations

from enum import IntEnum

from bot.domain.account import Account


class Step(IntEnum):
    """The stored step; values are stored, so never renumber."""

    FOCUS = 1  # which areas (multi-select)
    LEVEL = 2  # new to stretching / some / regular
    ABILITIES = 3  # what they can do and have at hand
    SAFETY = 4  # the stretch safety questions (domain.precautions), one screen each
    TIME = 5  # a daily reminder time, or none
    ZONE = 6  # where they are, only when a reminder time was chosen


FIRST_STEP = Step.FOCUS
STEPS = tuple(Step)


class Level(IntEnum):
    """The answers to "how used to stretching are you?", as the picker's level."""

    NEW = 1
    SOME = 2
    REGULAR = 3


def current_step(stored: int | None) -> Step | None:
    """The stored step, or None when onboarding is over; an unknown value counts as over."""
    if stored is None:
        return None
    try:
        return Step(stored)
    except ValueError:
        return None


def step_after(step: Step, *, has_reminder_time: bool) -> Step | None:
    """The step that follows ``step``, or None when onboarding is done. The zone is asked
    only for a reminder: without one, nothing depends on it yet."""
    if step is Step.TIME and not has_reminder_time:
        return None
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def step_number(step: Step) -> int:
    """1-based position, for "Step 2 of 5" (the zone shares the reminder's step)."""
    return min(STEPS.index(step) + 1, len(STEPS) - 1)


VISIBLE_STEPS = len(STEPS) - 1


def in_onboarding(account: Account | None) -> bool:
    """Whether the user is still in the first-use steps."""
    return account is not None and current_step(account.onboarding_step) is not None
