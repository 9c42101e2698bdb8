"""The claim's send order: earliest due first across kinds, ties to who waited longer, a late
backlog held to its share of a claim while fresher reminders wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.send_order import Bounds, Lateness, SendKey, claim_quota, plan_claim

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def key(minutes_ago: int, waited: int = 0) -> SendKey:
    return SendKey.of(NOW - timedelta(minutes=minutes_ago), waited)


def test_earlier_due_goes_first_then_who_waited_longer() -> None:
    assert sorted([key(1), key(5, 0), key(5, 90), key(3)]) == [
        key(5, 90),
        key(5, 0),
        key(3),
        key(1),
    ]


def test_the_parts_of_the_queue_follow_the_grace_window() -> None:
    bounds = Bounds.at(NOW, timedelta(hours=2))
    assert bounds.part(NOW) is Lateness.FRESH
    assert bounds.part(NOW - timedelta(minutes=59)) is Lateness.FRESH
    assert bounds.part(NOW - timedelta(minutes=61)) is Lateness.BACKLOG
    assert bounds.part(NOW - timedelta(minutes=119)) is Lateness.BACKLOG
    assert bounds.part(NOW - timedelta(minutes=121)) is Lateness.EXPIRED


@pytest.mark.parametrize(
    ("backlog", "fresh", "limit", "expected"),
    [
        (0, 0, 10, (0, 0)),
        (100, 0, 10, (10, 0)),  # nothing fresh waits: the backlog takes all
        (0, 100, 10, (0, 10)),
        (100, 100, 10, (5, 5)),  # both wait: the backlog gets its half
        (100, 3, 10, (7, 3)),  # what the fresh part leaves unused goes to the backlog
        (2, 100, 10, (2, 8)),
        (100, 100, 1, (1, 0)),  # a claim of one still moves the backlog
    ],
)
def test_claim_quota(backlog: int, fresh: int, limit: int, expected: tuple[int, int]) -> None:
    assert claim_quota(backlog, fresh, limit) == expected


@given(st.integers(0, 50), st.integers(0, 50), st.integers(1, 40))
def test_a_claim_is_full_whenever_enough_is_due(backlog: int, fresh: int, limit: int) -> None:
    taken_backlog, taken_fresh = claim_quota(backlog, fresh, limit)
    assert 0 <= taken_backlog <= backlog and 0 <= taken_fresh <= fresh
    assert taken_backlog + taken_fresh == min(limit, backlog + fresh)
    if fresh >= limit:  # fresh ones wait: the backlog never takes more than its share
        assert taken_backlog <= max(1, limit // 2)


def test_two_kinds_interleave_by_due_time() -> None:
    plan = plan_claim(
        {
            "daily": {Lateness.FRESH: [key(10), key(4), key(2)], Lateness.EXPIRED: [key(200)]},
            "snooze": {Lateness.FRESH: [key(9, 5), key(3)]},
        },
        limit=3,
    )
    # The three earliest: daily 10, snooze 9, daily 4; the expired one on top (costs no send).
    assert plan == {
        "daily": {Lateness.EXPIRED: 1, Lateness.FRESH: 2},
        "snooze": {Lateness.EXPIRED: 0, Lateness.FRESH: 1},
    }


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 119), st.integers(0, 9))),
    st.integers(1, 12),
)
def test_the_plan_takes_what_a_merged_queue_would(
    entries: list[tuple[str, int, int]], limit: int
) -> None:
    """Against brute force: sort every due reminder of every kind in one list, take the
    backlog's and the fresh part's quota from the front of each."""
    bounds = Bounds.at(NOW, timedelta(hours=2))
    candidates: dict[str, dict[Lateness, list[SendKey]]] = {"a": {}, "b": {}, "c": {}}
    everything = []
    for kind, minutes_ago, waited in entries:
        k = key(minutes_ago, waited)
        candidates[kind].setdefault(bounds.part(k.due_at), []).append(k)
        everything.append((k, kind))
    for parts in candidates.values():
        for part, keys in parts.items():
            parts[part] = sorted(keys)[:limit]
    plan = plan_claim(candidates, limit)
    backlog = sorted(e for e in everything if bounds.part(e[0].due_at) is Lateness.BACKLOG)
    fresh = sorted(e for e in everything if bounds.part(e[0].due_at) is Lateness.FRESH)
    quota = claim_quota(len(backlog), len(fresh), limit)
    for part, taken in zip((Lateness.BACKLOG, Lateness.FRESH), (backlog, fresh), strict=True):
        chosen = taken[: quota[part - 1]]
        for kind in candidates:
            expected = sum(1 for _, k in chosen if k == kind)
            assert plan[kind].get(part, 0) == expected
