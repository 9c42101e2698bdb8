"""``my_chat_member``: a user blocking the bot stops their reminders; unblocking restarts them."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler, ContextTypes

from bot.db.users import get_user, reschedule
from bot.services import services

GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    svc = services(context)
    now = svc.clock.now()
    active = change.new_chat_member.status not in GONE
    async with svc.transaction() as session:
        user = await get_user(session, change.from_user.id)
        if user is None or user.active == active:
            return
        user.active = active
        # Coming back: schedule from now, so reminders missed while blocked are not sent.
        reschedule(user, now)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
