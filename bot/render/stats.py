"""The /stats message for operators: counts only."""

from __future__ import annotations

from html import escape

from bot.domain.stats import Stats


def render_stats(stats: Stats) -> str:
    today = stats.deliveries_today
    failures = sum(today.get(status, 0) for status in ("failed", "blocked", "unknown"))
    tiers = ", ".join(f"{escape(t)} {n}" for t, n in sorted(stats.checks_by_tier.items()))
    return "\n".join(
        [
            "<b>Limber stats</b>",
            f"Users: {stats.users.users} (active {stats.users.active}, "
            f"with a reminder {stats.users.scheduled})",
            f"Reminders today (UTC): sent {today.get('sent', 0)}, skipped "
            f"{today.get('skipped', 0)}, failed {failures}, waiting "
            f"{today.get('pending', 0) + today.get('sending', 0)}",
            f"Red-flag check outcomes: {tiers or 'none yet'}",
        ]
    )
