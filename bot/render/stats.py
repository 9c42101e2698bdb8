"""The /stats message for operators: counts only."""

from __future__ import annotations

from html import escape

from bot.domain.pacing import stars_for
from bot.domain.stats import Stats
from bot.render.i18n import Translator


def render_stats(t: Translator, stats: Stats) -> str:
    today, users = stats.deliveries_today, stats.users
    failures = sum(today.get(status, 0) for status in ("failed", "blocked", "unknown"))
    tiers = ", ".join(f"{escape(tier)} {n}" for tier, n in sorted(stats.checks_by_tier.items()))
    return "\n".join(
        [
            t.gettext("<b>Limber stats</b>"),
            t.gettext("Users: {users} (active {active}, with a reminder {scheduled})").format(
                users=users.users, active=users.active, scheduled=users.scheduled
            ),
            t.gettext(
                "Reminders today (UTC): sent {sent}, skipped {skipped}, failed {failed}, "
                "waiting {waiting}"
            ).format(
                sent=today.get("sent", 0),
                skipped=today.get("skipped", 0),
                failed=failures,
                waiting=today.get("pending", 0) + today.get("sending", 0),
            ),
            t.gettext("Paid broadcasts today (UTC): {count}, {stars} Stars").format(
                count=stats.paid_broadcasts_today, stars=stars_for(stats.paid_broadcasts_today)
            ),
            t.gettext("Red-flag check outcomes: {tiers}").format(
                tiers=tiers or t.gettext("none yet")
            ),
        ]
    )
