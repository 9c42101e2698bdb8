"""Buttons that outlived the account they belong to.

After /forget, old cards and checks still show their buttons. A press must not recreate
anything: no user row, no activity, no check. A press from someone without an account, or on
a message sent before their current account existed, gets one plain answer instead.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.db.users import get_user
from bot.domain.buttons import predates_account
from bot.handlers.common import answer_quietly
from bot.render.texts import NO_ACCOUNT_BUTTON
from bot.services import services

STALE_BUTTON_GROUP = -10


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
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
