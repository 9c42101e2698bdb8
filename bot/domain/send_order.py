"""The order reminders go out in when more is due than the send budget allows.

Earliest deadline first: a reminder's deadline is its due instant, so the one due first goes
first (on one sender with equal-cost messages this is the order with the smallest maximum
lateness). Among reminders due at the same instant (people pick round times, so thousands
share one), the user whose previous reminder came later goes first: yesterday's last are
today's first, rather than the same users always waiting at the end of the 08:00 queue.

One guard against EDF's weakness under overload: a backlog of reminders already late by more
than half the grace window (after downtime, or a peak the budget cannot absorb) would keep
every fresher one waiting until it too is nearly too old to send. Such a backlog gets at most
half of each claim while fresher reminders wait; reminders past the grace window cost no send
(they are recorded as skipped) and are claimed on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from heapq import merge
from itertools import islice

# The share of a claim a late backlog may take while fresher reminders wait.
BACKLOG_SHARE = 0.5


@dataclass(frozen=True, order=True)
class SendKey:
    """Where a reminder stands in the send order: smaller goes first."""

    due_at: datetime
    # Minus how late (seconds) the user's previous reminder was sent: who waited longer last
    # time goes first among reminders due at the same instant.
    minus_waited: int = 0

    @classmethod
    def of(cls, due_at: datetime, waited_seconds: int) -> SendKey:
        return cls(due_at, -waited_seconds)


class Lateness(IntEnum):
    """Which part of the queue a due reminder is in, by how late it is now."""

    EXPIRED = 0  # past the grace window: recorded as skipped, costs no send
    BACKLOG = 1  # later than half the grace window
    FRESH = 2  # due, and later by less than half the grace window


@dataclass(frozen=True)
class Bounds:
    """The due instants that separate the parts of the queue at one claim."""

    now: datetime
    expired_before: datetime  # due strictly before this: expired
    backlog_before: datetime  # due strictly before this (and not expired): backlog

    @classmethod
    def at(cls, now: datetime, grace: timedelta) -> Bounds:
        return cls(now, now - grace, now - grace / 2)

    def part(self, due_at: datetime) -> Lateness:
        if due_at < self.expired_before:
            return Lateness.EXPIRED
        if due_at < self.backlog_before:
            return Lateness.BACKLOG
        return Lateness.FRESH


def claim_quota(backlog: int, fresh: int, limit: int) -> tuple[int, int]:
    """How many of the (backlog, fresh) candidates one claim of ``limit`` sends takes.

    The backlog goes first, as EDF says, but takes at most ``BACKLOG_SHARE`` of the claim
    while fresh reminders wait; whatever one part leaves unused the other may take.
    """
    share = max(1, int(limit * BACKLOG_SHARE)) if limit > 0 else 0
    from_backlog = min(backlog, max(share, limit - fresh))
    return from_backlog, min(fresh, limit - from_backlog)


def plan_claim(
    candidates: Mapping[str, Mapping[Lateness, Sequence[SendKey]]], limit: int
) -> dict[str, dict[Lateness, int]]:
    """How many reminders each kind claims from each part of its queue.

    ``candidates`` holds, for each kind and part, the first ``limit`` due reminders in send
    order (what the kind's index yields). The claim takes the earliest ``limit`` to send
    across all kinds (with the backlog share) and every expired one offered.
    """
    merged = {
        part: list(islice(_merged(candidates, part), limit))
        for part in (Lateness.BACKLOG, Lateness.FRESH)
    }
    quota = dict(
        zip(
            (Lateness.BACKLOG, Lateness.FRESH),
            claim_quota(len(merged[Lateness.BACKLOG]), len(merged[Lateness.FRESH]), limit),
            strict=True,
        )
    )
    plan = {
        kind: {Lateness.EXPIRED: len(parts.get(Lateness.EXPIRED, ()))}
        for kind, parts in candidates.items()
    }
    for part, taken in quota.items():
        for _, kind in merged[part][:taken]:
            plan[kind][part] = plan[kind].get(part, 0) + 1
    return plan


def _merged(
    candidates: Mapping[str, Mapping[Lateness, Sequence[SendKey]]], part: Lateness
) -> Iterable[tuple[SendKey, str]]:
    return merge(*(_tagged(parts.get(part, ()), kind) for kind, parts in candidates.items()))


def _tagged(keys: Sequence[SendKey], kind: str) -> Iterator[tuple[SendKey, str]]:
    for key in keys:
        yield key, kind
