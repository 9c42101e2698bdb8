"""The /stats message for operators: counts only."""

from __future__ import annotations

from html import escape

from bot.domain.forecast import PAID, Outlook
from bot.domain.pacing import stars_for
from bot.domain.stats import Retention, Stats
from bot.render.i18n import Translator


def render_stats(t: Translator, stats: Stats) -> str:
    today, users = stats.deliveries_today, stats.users
    failures = sum(today.get(status, 0) for status in ("failed", "blocked", "unknown"))
    tiers = ", ".join(f"{escape(tier)} {n}" for tier, n in sorted(stats.checks_by_tier.items()))
    retention = render_retention(t, stats.retention) if stats.retention else []
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
            *([] if stats.lateness is None else _lateness(t, stats.lateness)),
            *retention,
        ]
    )


def _lateness(t: Translator, outlook: Outlook) -> list[str]:
    """The next 24 hours: the busiest minutes, and how late the worst goes out per budget."""
    forecasts = list(outlook.forecasts.items())
    busiest = forecasts[0][1].busiest
    minutes = ", ".join(f"{load.start:%H:%M} ({load.due})" for load in busiest)
    lines = [
        t.gettext("Busiest minutes in the next 24 h (UTC, reminders due): {minutes}").format(
            minutes=minutes or t.gettext("none")
        )
    ]
    for budget, forecast in forecasts:
        template = (
            t.gettext("With paid broadcast at {rate}/s: the latest reminder {late} s late")
            if budget == PAID
            else t.gettext("At {rate}/s: the latest reminder {late} s late")
        )
        line = template.format(
            rate=f"{forecast.rate:g}", late=round(forecast.worst_lateness_seconds)
        )
        if forecast.worst_lateness_seconds > outlook.target_seconds:
            line += " " + t.gettext("(over the {target} s target)").format(
                target=f"{outlook.target_seconds:g}"
            )
        lines.append(line)
    return lines


def _share(active: int, eligible: int) -> str:
    return f"{round(100 * active / eligible)}%" if eligible else "-"


def render_retention(t: Translator, retention: Retention) -> list[str]:
    """Day-N retention and the last seven days, as lines (definitions: docs/operating.md)."""
    days = ", ".join(
        t.gettext("day {day}: {active} of {eligible} ({share})").format(
            day=day.day,
            active=day.active,
            eligible=day.eligible,
            share=_share(day.active, day.eligible),
        )
        for day in retention.days
    )
    return [
        t.gettext("Active after first contact: {days}").format(days=days),
        t.gettext(
            "Last 7 days: {users} active users, {sessions} sessions, {done} stretches done"
        ).format(
            users=retention.weekly_active,
            sessions=retention.sessions_week,
            done=retention.stretches_done_week,
        ),
    ]
