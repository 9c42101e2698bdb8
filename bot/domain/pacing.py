"""Rules of the send budget: which reminders of a chunk go paid, and the lanes' rates."""

from __future__ import annotations

import math
from collections.abc import Sequence

# What Telegram charges for one message sent with allow_paid_broadcast.
STARS_PER_PAID_MESSAGE = 0.1
# Telegram's ceiling for paid broadcasts, in messages a second.
MAX_PAID_BROADCAST_RATE = 1000


# A lane idle for a moment may catch up on this many seconds of its rate at once: enough that a
# hiccup of every process (a slow claim, a busy machine) costs no sends, small enough that the
# burst stays far inside Telegram's allowance.
CATCH_UP_SECONDS = 0.25


def lane_burst(per_second: float) -> int:
    """How many slots a lane may hand out at once after a quiet spell."""
    return max(5, math.ceil(per_second * CATCH_UP_SECONDS))


def reminder_rate(total_per_second: float, reply_reserve_per_second: float) -> float:
    """The free rate left to reminders once replies have their reserve; never under half the
    total, so a reserve set too large slows reminders down but never stops them."""
    return max(total_per_second - reply_reserve_per_second, total_per_second / 2)


def claim_shortfall(batch: int, tick_seconds: float, budget_per_second: float) -> int | None:
    """The claim batch one process needs so its claims keep up with the send budget, when
    ``batch`` every ``tick_seconds`` falls short of it (a tick claims one batch at most);
    None when it keeps up."""
    if not math.isfinite(budget_per_second) or batch / tick_seconds >= budget_per_second:
        return None
    return math.ceil(budget_per_second * tick_seconds)


def paid_messages_per_day(daily_stars: float) -> int:
    """How many paid messages a day's budget of Stars pays for."""
    return max(0, math.floor(daily_stars / STARS_PER_PAID_MESSAGE + 1e-9))


def paid_lane_on(paid_rate: float, daily_stars: float) -> bool:
    """Paid broadcast runs only with a rate and a day's budget that pays for a message."""
    return paid_rate > 0 and paid_messages_per_day(daily_stars) > 0


def stars_for(messages: int) -> float:
    """What ``messages`` paid messages cost, in Stars."""
    return round(messages * STARS_PER_PAID_MESSAGE, 1)


def choose_paid(
    lateness: Sequence[float],
    free_wait: float,
    free_interval: float,
    target: float,
    paid_available: int,
    planned: Sequence[bool] = (),
) -> list[bool]:
    """Which messages of a chunk to send paid: those the free lane would send later than
    ``target`` seconds after they fell due, and those ``planned`` paid, as long as paid
    messages remain.

    ``lateness`` is how late each message is now (negative: not yet due), in sending order;
    ``free_wait`` is how long until the free lane's next slot, and each message left on the
    free lane pushes the next one back by ``free_interval``.
    """
    paid: list[bool] = []
    on_free = 0
    for index, late in enumerate(lateness):
        would_be = late + free_wait + on_free * free_interval
        wanted = would_be > target or (index < len(planned) and planned[index])
        if wanted and paid_available > 0:
            paid.append(True)
            paid_available -= 1
        else:
            paid.append(False)
            on_free += 1
    return paid


def plan_paid(
    lateness: Sequence[float], free_wait: float, free_interval: float, target: float
) -> list[bool]:
    """Which messages of a whole batch (in sending order, earliest due first) to plan as
    paid, so the paid lane works beside the free one from the start.

    As many as the free lane could not send within ``target`` (``choose_paid`` over the
    batch), spread evenly through it: chunk by chunk, the free lane takes its share and the
    paid lane the rest at once. Choosing them chunk by chunk instead would send the batch's
    head free until the free lane's wait itself reached the target, and only then pay: the
    paid lane would start ``target`` seconds late and the batch end past the target.
    """
    count = sum(
        choose_paid(lateness, free_wait, free_interval, target, paid_available=len(lateness))
    )
    total = len(lateness)
    return [(index + 1) * count // total > index * count // total for index in range(total)]


def within_free_limit(paid: Sequence[bool], free_limit: int) -> int:
    """How many messages of a chunk to send now so that at most ``free_limit`` go free: a
    chunk goes out at once when its last slot comes, so its free part must stay a burst the
    free rate allows. The rest wait for the next chunk."""
    on_free = 0
    for index, is_paid in enumerate(paid):
        if not is_paid:
            if on_free == free_limit:
                return index
            on_free += 1
    return len(paid)
