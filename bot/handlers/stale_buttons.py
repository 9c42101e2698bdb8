"""Buttons that outlived the account they belong to.

After /forget, old cards still show their buttons. A press must not recreate anything: no user
row, no activity. A press from someone without an account, or on a message sent before their
current account existed, gets one plain answer instead.

The red-flag check is the exception: it is a safety net, so its buttons always work. It stores
nothing without an account (see handlers.redflags), so it cannot bring deleted data back.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.db.users import get_user
from bot.domain.buttons import predates_account
from bot.handlers.common import answer_quietly
from bot.render.callbacks import Action, decode
from bot.render.texts import NO_ACCOUNT_BUTTON
from bot.services import services

STALE_BUTTON_GROUP = -10
SAFETY_NET = frozenset(
    {Action.REDFLAGS_START, Action.REDFLAGS_ANSWER, Action.REDFLAGS_BACK, Action.REDFLAGS_STOP}
)


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    callback = decode(query.data)
    if callback is not None and callback.action in SAFETY_NET:
        return
    svc = services(context)
    async with svc.sessions() as session:
        user = await get_user(session, query.from_user.id)
    message = query.message
    sent_at = message.date if isinstance(message, Message) else None
    if user is None or predates_account(sent_at, user.created_at):
        await answer_quietly(query, NO_ACCOUNT_BUTTON)
        raise ApplicationHandlerStop


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, check), group=STALE_BUTTON_GROUP)
