"""Per-user flood control, ahead of every other handler.

Only messages count: button presses need a message from the bot first, and someone answering
the red-flag check briskly must never be told to slow down.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot import metrics
from bot.domain.flood import FloodGate, Verdict
from bot.handlers.common import reply

SLOW_DOWN = (
    "That's a lot of messages at once 🙂 I'll take a short breather; try again in a few seconds."
)
FLOOD_GROUP = -10


def register(application: Application, gate: FloodGate) -> None:  # type: ignore[type-arg]
    async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        sender = update.effective_user
        if sender is None or update.message is None:
            return
        verdict = gate.check(sender.id)
        if verdict is Verdict.ALLOW:
            return
        metrics.FLOOD_MUTED.inc()
        if verdict is Verdict.WARN:
            with suppress(TelegramError):
                await reply(update, SLOW_DOWN)
        raise ApplicationHandlerStop

    application.add_handler(TypeHandler(Update, check), group=FLOOD_GROUP)
