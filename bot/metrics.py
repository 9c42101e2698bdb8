"""Prometheus metrics: what operators watch. Counts and timings only, never user data."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

UPDATES = Counter("limber_updates_total", "Telegram updates handled")
UPDATE_SECONDS = Histogram("limber_update_seconds", "Time to handle one update")
UPDATE_ERRORS = Counter("limber_update_errors_total", "Updates whose handler raised")
FLOOD_MUTED = Counter("limber_flood_muted_total", "Updates ignored by per-user flood control")

REMINDERS_CLAIMED = Counter("limber_reminders_claimed_total", "Reminders claimed for sending")
REMINDERS_SKIPPED = Counter(
    "limber_reminders_skipped_total", "Reminders skipped: missed by more than the grace period"
)
REMINDER_RESULTS = Counter(
    "limber_reminder_results_total", "Reminder send results by status", ["status"]
)
SEND_SECONDS = Histogram("limber_send_seconds", "Latency of one reminder send, retries included")
RATE_LIMITED = Counter("limber_rate_limited_total", "429 answers from Telegram")
TICK_SECONDS = Histogram(
    "limber_tick_seconds",
    "Duration of one reminder tick (claim, send, record)",
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300),
)
ACTIVE_USERS = Gauge("limber_active_users", "Users who have not blocked the bot")
SCHEDULED_USERS = Gauge("limber_scheduled_users", "Active users with a daily reminder queued")
PAID_BROADCASTS = Counter(
    "limber_paid_broadcasts_total", "Reminders sent with allow_paid_broadcast (0.1 Star each)"
)
PAID_BROADCASTS_TODAY = Gauge(
    "limber_paid_broadcasts_today", "Paid broadcasts counted today (UTC), every process"
)
PAID_BROADCAST_STARS_TODAY = Gauge(
    "limber_paid_broadcast_stars_today", "Telegram Stars spent on paid broadcasts today (UTC)"
)
