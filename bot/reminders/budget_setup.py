"""The send budget a deployment's settings describe: where its slots live, its lanes' rates."""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.domain.pacing import (
    claim_shortfall,
    lane_burst,
    paid_lane_on,
    paid_messages_per_day,
    reminder_rate,
)
from bot.reminders.budget import (
    LaneRate,
    LocalSlots,
    PaidBroadcast,
    PostgresSlots,
    SendBudget,
    Slots,
    Transaction,
)

log = logging.getLogger(__name__)


def send_budget(settings: Settings, transaction: Transaction, *, shared: bool) -> SendBudget:
    """``shared``: several processes may send (PostgreSQL), so the slots live in a store they
    all reach (Redis when ``LIMBER_REDIS_URL`` is set, else the database); otherwise in memory."""
    slots: Slots
    if shared and settings.redis_url is not None:
        from bot.reminders.redis_slots import RedisSlots  # the optional `redis` extra

        slots = RedisSlots(settings.redis_url.get_secret_value())
    elif shared:
        slots = PostgresSlots(transaction)
    else:
        slots = LocalSlots()
    rate = reminder_rate(settings.send_rate_per_second, settings.reply_reserve_per_second)
    free = LaneRate(rate, lane_burst(rate))
    paid = None
    if paid_lane_on(settings.paid_broadcast_rate, settings.paid_broadcast_daily_stars):
        paid = PaidBroadcast(
            LaneRate(settings.paid_broadcast_rate, lane_burst(settings.paid_broadcast_rate)),
            per_day=paid_messages_per_day(settings.paid_broadcast_daily_stars),
            target_lateness=settings.target_lateness_seconds,
        )
    budget = SendBudget(slots, free, paid=paid, transaction=transaction)
    warn_if_claims_fall_short(settings, budget.per_second)
    return budget


def warn_if_claims_fall_short(settings: Settings, budget_per_second: float) -> None:
    """A process claims one batch a tick: below the budget's rate, reminders go out slower
    than it allows (and later than the lateness forecast says) unless more processes send."""
    needed = claim_shortfall(settings.claim_batch_size, settings.tick_seconds, budget_per_second)
    if needed is not None:
        log.warning(
            "LIMBER_CLAIM_BATCH_SIZE=%d every LIMBER_TICK_SECONDS=%g claims at most %.0f "
            "reminders a second, below the %.0f/s the send budget allows: set the batch to at "
            "least %d, or run more processes that send",
            settings.claim_batch_size,
            settings.tick_seconds,
            settings.claim_batch_size / settings.tick_seconds,
            budget_per_second,
            needed,
        )
