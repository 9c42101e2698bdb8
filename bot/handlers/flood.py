"""Per-user flood control, ahead of every feature handler.

Messages and button presses are counted separately, with a higher allowance for presses, so
that someone answering the red-flag check briskly is never told to slow down while a script
hammering a button is. A flooded press is still answered (silently), so no client spins.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot import metrics
from bot.domain.flood import FloodGate, Verdict
from bot.handlers.common import answer_quietly, reply
from bot.handlers.context import LimberContext
from bot.render.i18n import text
from bot.render.texts import SLOW_DOWN

FLOOD_GROUP = -20
# Presses come faster than typing (one tap per red-flag question): three times the messages.
BUTTON_ALLOWANCE = 3


def register(application: Application, messages: FloodGate) -> None:  # type: ignore[type-arg]
    presses = FloodGate(messages.limit * BUTTON_ALLOWANCE, messages.window, clock=messages.clock)

    async def check(update: Update, context: LimberContext) -> None:
        sender, query = update.effective_user, update.callback_query
        if sender is None or (update.message is None and query is None):
            return
        verdict = (messages if query is None else presses).check(sender.id)
        if verdict is Verdict.ALLOW:
            return
        metrics.FLOOD_MUTED.inc()
        if query is not None:
            warning = text(context.t, SLOW_DOWN) if verdict is Verdict.WARN else None
            await answer_quietly(query, warning)
        elif verdict is Verdict.WARN:
            with suppress(TelegramError):
                await reply(update, text(context.t, SLOW_DOWN))
        raise ApplicationHandlerStop

    application.add_handler(TypeHandler(Update, check), group=FLOOD_GROUP)
