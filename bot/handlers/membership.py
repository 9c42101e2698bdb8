"""``my_chat_member``: a user blocking the bot stops their reminders; unblocking restarts them."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler

from bot.handlers.context import LimberContext
from bot.usecases import accounts

GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def membership_changed(update: Update, context: LimberContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    active = change.new_chat_member.status not in GONE
    await accounts.set_active(context.services, change.from_user.id, active)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
