"""The hold timer's plan of edits and buzzes, and what a (late) tick does with it."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.domain.timer import (
    Cue,
    Phase,
    TimerEvent,
    due_step,
    holds_for,
    timer_schedule,
    timer_seconds,
)


def calls(schedule: tuple[TimerEvent, ...]) -> list[tuple[float, str, int]]:
    return [(e.at, e.cue.value, e.remaining) for e in schedule]


def test_a_30_second_hold_counts_every_5_seconds_then_the_last_3_and_buzzes_at_the_end() -> None:
    assert calls(timer_schedule(30)) == [
        (2, "count", 3),
        (3, "count", 2),
        (4, "count", 1),  # get ready: 5 s, the message sent at Start shows the 5
        (5, "count", 30),
        (10, "count", 25),
        (15, "count", 20),
        (20, "count", 15),
        (25, "count", 10),
        (30, "count", 5),
        (32, "count", 3),
        (33, "count", 2),
        (34, "count", 1),
        (35, "done", 0),
        (36, "count", 0),  # the countdown says it is over, after the buzz
    ]


@pytest.mark.parametrize("hold", [5, 10, 15, 20, 30, 45, 60, 120, 180])
@pytest.mark.parametrize("holds", [1, 2, 4])
@pytest.mark.parametrize("gap", [1.0, 2.0, 3.0])
def test_calls_never_come_closer_than_the_per_chat_gap(hold: int, holds: int, gap: float) -> None:
    schedule = timer_schedule(hold, holds, min_gap=gap)
    times = [e.at for e in schedule]
    assert times == sorted(times)
    assert all(b - a >= gap for a, b in pairwise(times))
    # Every hold still ends with a buzz, whatever had to give way.
    buzzes = [e for e in schedule if e.cue.buzzes]
    assert [e.cue for e in buzzes] == [Cue.SWITCH] * (holds - 1) + [Cue.DONE]
    assert buzzes[-1].at == timer_seconds(hold, holds)


def test_a_slower_chat_drops_the_second_by_second_count() -> None:
    schedule = timer_schedule(30, min_gap=2.0)
    assert {e.remaining for e in schedule if e.phase is Phase.HOLD} == {30, 25, 20, 15, 10, 5, 0}
    assert not [e for e in schedule if e.phase is Phase.GET_READY]


def test_both_sides_switch_with_a_new_message_and_a_short_change_count() -> None:
    schedule = timer_schedule(30, holds_for("each", 1))
    switch = next(e for e in schedule if e.cue is Cue.SWITCH)
    assert (switch.at, switch.hold) == (35, 1)
    change = [e for e in schedule if e.phase is Phase.CHANGE]
    assert [(e.at, e.remaining) for e in change] == [(37, 3), (38, 2), (39, 1)]
    second = next(e for e in schedule if e.phase is Phase.HOLD and e.hold == 2)
    assert (second.at, second.remaining) == (40, 30)
    assert schedule[-2].cue is Cue.DONE and schedule[-2].at == 70


def test_doses_and_lengths() -> None:
    assert holds_for("each", 2) == 4 and holds_for("none", 2) == 2
    assert timer_seconds(30, 1) == 35 and timer_seconds(30, 2) == 70
    with pytest.raises(ValueError):
        timer_schedule(0)


def test_nothing_is_due_before_its_time() -> None:
    schedule = timer_schedule(30)
    assert due_step(schedule, 0, 1.5).event is None
    step = due_step(schedule, 0, 2.0)
    assert step.event == schedule[0] and step.next_index == 1


def test_overdue_edits_collapse_into_the_newest() -> None:
    schedule = timer_schedule(30)
    step = due_step(schedule, 3, 21.0)  # 5, 10, 15 and 20 s in are all due
    assert step.event is not None and step.event.remaining == 15
    assert schedule[step.next_index].at == 25


def test_a_due_buzz_goes_before_later_edits_and_only_the_newest_buzz_is_sent() -> None:
    schedule = timer_schedule(30, 2)
    step = due_step(schedule, 5, 38.5)  # switch at 35, change counts at 37 and 38
    assert step.event is not None and step.event.cue is Cue.SWITCH
    assert schedule[step.next_index].at == 37
    late = due_step(schedule, 5, 71.0)
    assert late.event is not None and late.event.cue is Cue.DONE


def test_a_timer_that_ended_long_ago_is_closed_politely() -> None:
    schedule = timer_schedule(30)
    step = due_step(schedule, 4, 35 + 31, late_after=30)
    assert step.closed_late and step.event is None and step.next_index == len(schedule)
    # Within the grace it still finishes with its buzz.
    assert due_step(schedule, 4, 35 + 29, late_after=30).event == schedule[-2]
    # Once the buzz went out only the tidy edit is left, however late.
    assert due_step(schedule, len(schedule) - 1, 500).event == schedule[-1]
