"""The hold timer's plan: when the countdown message is edited and when a new message buzzes.

Edits are silent, so they only show the time left; the end of each hold comes as a new
message, because people hold with their eyes closed and wait for the phone to buzz. Telegram
tolerates about one message a second per chat (edits included), so every call in the plan is
at least ``min_gap`` seconds after the one before, and the countdown moves in steps of
``every`` seconds, with the last three seconds counted one by one only when the gap allows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

GET_READY_SECONDS = 5  # time to get into position before the first hold
CHANGE_SECONDS = 5  # time to switch sides (or catch a breath) between holds
EDIT_EVERY_SECONDS = 5
FINAL_COUNT = 3  # the last seconds of a phase, counted one by one
# Telegram's rule of thumb for one chat: about one message (or edit) a second.
PER_CHAT_GAP_SECONDS = 1.0
# A timer whose end passed this long ago (the bot was down) is closed, not finished late.
LATE_AFTER_SECONDS = 30.0


class Phase(StrEnum):
    GET_READY = "ready"
    HOLD = "hold"
    CHANGE = "change"  # between two holds: switch sides, or rest before the next round
    FINISHED = "finished"


class Cue(StrEnum):
    COUNT = "count"  # a silent edit of the countdown message
    SWITCH = "switch"  # a new message: this hold is over, the next one comes
    DONE = "done"  # a new message: the last hold is over

    @property
    def buzzes(self) -> bool:
        return self is not Cue.COUNT


@dataclass(frozen=True)
class TimerEvent:
    """One call in the plan, ``at`` seconds after the timer started."""

    at: float
    cue: Cue
    phase: Phase
    remaining: int  # seconds left in the phase, as the countdown shows them
    hold: int  # which hold the phase belongs to (1-based; the get-ready count is hold 1's)
    holds: int


def holds_for(sides: str, rounds: int) -> int:
    """How many holds a dose asks for: each round once, or once a side."""
    return rounds * (2 if sides == "each" else 1)


def timer_seconds(hold_seconds: int, holds: int, *, get_ready: int = GET_READY_SECONDS) -> int:
    """From pressing Start to the end of the last hold."""
    return get_ready + holds * hold_seconds + (holds - 1) * CHANGE_SECONDS


@functools.lru_cache(maxsize=256)  # pure, and asked for every due timer every second
def timer_schedule(
    hold_seconds: int,
    holds: int = 1,
    *,
    get_ready: int = GET_READY_SECONDS,
    change: int = CHANGE_SECONDS,
    every: int = EDIT_EVERY_SECONDS,
    min_gap: float = PER_CHAT_GAP_SECONDS,
) -> tuple[TimerEvent, ...]:
    """Every edit and new message of a timer, in order; the message sent at Start (the
    get-ready count at its full length) is not part of the plan."""
    if hold_seconds < 1 or holds < 1 or get_ready < 0 or change < 0 or every < 1:
        raise ValueError("a timer needs a positive hold, at least one hold and a positive step")
    count_down_finally = min_gap <= 1.0
    wanted: list[TimerEvent] = []
    start = 0.0

    def phase(kind: Phase, length: int, hold: int, *, show_start: bool) -> None:
        if length <= 0:
            return
        seconds_left = set(range(every, length, every))
        if count_down_finally:
            seconds_left |= set(range(1, min(FINAL_COUNT, length - 1) + 1))
        if show_start:
            seconds_left.add(length)
        for left in sorted(seconds_left, reverse=True):
            wanted.append(TimerEvent(start + length - left, Cue.COUNT, kind, left, hold, holds))

    phase(Phase.GET_READY, get_ready, 1, show_start=False)
    start += get_ready
    for hold in range(1, holds + 1):
        phase(Phase.HOLD, hold_seconds, hold, show_start=True)
        start += hold_seconds
        cue = Cue.DONE if hold == holds else Cue.SWITCH
        wanted.append(TimerEvent(start, cue, Phase.HOLD, 0, hold, holds))
        if hold < holds:
            # Its start is the switch message itself; the count resumes after it.
            phase(Phase.CHANGE, change, hold + 1, show_start=False)
            start += change
    # The countdown message is left saying it is over, once the buzz has gone out.
    wanted.append(TimerEvent(start + min_gap, Cue.COUNT, Phase.FINISHED, 0, holds, holds))
    return _spaced(wanted, min_gap)


def _spaced(events: list[TimerEvent], min_gap: float) -> tuple[TimerEvent, ...]:
    """Keep every new message; drop any edit closer than ``min_gap`` to its neighbours."""
    kept: list[TimerEvent] = []
    for event in sorted(events, key=lambda e: (e.at, not e.cue.buzzes)):
        while kept and event.at - kept[-1].at < min_gap:
            if event.cue.buzzes and not kept[-1].cue.buzzes:
                kept.pop()  # the buzz matters more than an edit just before it
                continue
            break
        else:
            kept.append(event)
    return tuple(kept)


@dataclass(frozen=True)
class TimerStep:
    """What a timer does now: ``event`` (None: nothing due), then it waits for the event at
    ``next_index`` (the plan's length: the timer is over). ``closed_late``: the end passed
    long ago (the bot was down), so the timer is closed politely instead of finished."""

    event: TimerEvent | None
    next_index: int
    closed_late: bool = False


def due_step(
    schedule: tuple[TimerEvent, ...],
    index: int,
    elapsed: float,
    *,
    late_after: float = LATE_AFTER_SECONDS,
) -> TimerStep:
    """The one call to make ``elapsed`` seconds in, having done the events before ``index``.

    Overdue edits collapse into the newest one (only the current time left is worth
    showing); a due new message goes before any edit, and of several only the newest is
    sent (a late "switch sides" is pointless once the last hold is over)."""
    due = [i for i in range(index, len(schedule)) if schedule[i].at <= elapsed]
    if not due:
        return TimerStep(None, index)
    done = next(i for i, e in enumerate(schedule) if e.cue is Cue.DONE)
    if index <= done and elapsed - schedule[done].at > late_after:
        return TimerStep(None, len(schedule), closed_late=True)
    buzzes = [i for i in due if schedule[i].cue.buzzes]
    chosen = buzzes[-1] if buzzes else due[-1]
    return TimerStep(schedule[chosen], chosen + 1)
