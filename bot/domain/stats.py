"""Counts for operators: no user is ever named."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserCounts:
    users: int
    active: int
    scheduled: int  # active, with a daily reminder in the queue


@dataclass(frozen=True)
class Stats:
    users: UserCounts
    deliveries_today: dict[str, int]  # by delivery status
    checks_by_tier: dict[str, int]
    paid_broadcasts_today: int = 0  # sent with allow_paid_broadcast, every process (UTC day)
