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
REMINDER_LATENESS = Histogram(
    "limber_reminder_lateness_seconds",
    "How late each reminder went out: sent minus due",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200),
)
LATENESS_FORECAST = Gauge(
    "limber_lateness_forecast_seconds",
    "Worst lateness the due queue implies over the next 24 hours, by send rate",
    ["budget"],
)
BUSIEST_MINUTE_DUE = Gauge(
    "limber_busiest_minute_due", "Reminders due in the busiest minute of the next 24 hours"
)
LATENESS_TARGET = Gauge(
    "limber_lateness_target_seconds", "The operator's target lateness (the forecast warns above it)"
)

# Retention (bot.domain.stats.Retention), refreshed at most every few minutes: counts only.
RETENTION_ELIGIBLE = Gauge(
    "limber_retention_eligible_users",
    "Users whose day N after first contact is over",
    ["day"],
)
RETENTION_ACTIVE = Gauge(
    "limber_retention_active_users",
    "Users who did something (not just received a reminder) on day N after first contact",
    ["day"],
)
WEEKLY_ACTIVE_USERS = Gauge(
    "limber_weekly_active_users", "Users who did something in the last 7 days"
)
SESSIONS_WEEK = Gauge("limber_sessions_last_7_days", "Guided sessions finished in the last 7 days")
STRETCHES_DONE_WEEK = Gauge(
    "limber_stretches_done_last_7_days", "Stretches marked Done in the last 7 days"
)
PAID_BROADCASTS = Counter(
    "limber_paid_broadcasts_total", "Reminders sent with allow_paid_broadcast (0.1 Star each)"
)
PAID_BROADCASTS_TODAY = Gauge(
    "limber_paid_broadcasts_today", "Paid broadcasts counted today (UTC), every process"
)
PAID_BROADCAST_STARS_TODAY = Gauge(
    "limber_paid_broadcast_stars_today", "Telegram Stars spent on paid broadcasts today (UTC)"
)
