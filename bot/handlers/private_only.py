"""Limber is for private chats only: the first handler to see every update.

Edited messages are dropped everywhere (an edit must not run a command twice). In groups,
supergroups and channels the bot never shows or changes anyone's data and never starts a check:
a command addressed to it, a button press or being added to a group gets one short pointer to a
private chat (at most one message per group a minute), everything else is ignored.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import ChatMember, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.domain.flood import FloodGate, Verdict
from bot.handlers.common import answer_quietly, reply
from bot.handlers.context import LimberContext
from bot.render.texts import private_chat_link, render_private_only, render_private_only_short

PRIVATE_ONLY_GROUP = -30
# One pointer per group a minute: Telegram allows bots about 20 messages a minute in a group.
POINTER_GATE_WINDOW = 60.0
PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR}


def _command_for_us(message: Message, bot_username: str) -> bool:
    """A command with no @suffix (meant for every bot) or with ours."""
    text = message.text or ""
    if not text.startswith("/"):
        return False
    command = text.split(maxsplit=1)[0]
    _, at, addressee = command.partition("@")
    return not at or addressee.lower() == bot_username.lower()


def _addressed_to_us(update: Update, bot_username: str) -> bool:
    """A command for us, or the bot just added to the group: worth one pointer."""
    if update.message is not None:
        return _command_for_us(update.message, bot_username)
    change = update.my_chat_member
    return change is not None and change.new_chat_member.status in PRESENT


def register(application: Application) -> None:  # type: ignore[type-arg]
    pointer_gate = FloodGate(limit=1, window=POINTER_GATE_WINDOW)

    async def point_to_private_chat(update: Update, context: LimberContext) -> None:
        chat = update.effective_chat
        if chat is None or pointer_gate.check(chat.id) is not Verdict.ALLOW:
            return
        # The bot may not be allowed to write here; the pointer is a courtesy.
        with suppress(TelegramError):
            await reply(update, render_private_only(context.t, context.bot.username))

    async def guard(update: Update, context: LimberContext) -> None:
        sender = update.effective_user
        # Until the account says otherwise (handlers.identity), answer in Telegram's language.
        context.language = sender.language_code if sender is not None else None
        if update.edited_message is not None or update.edited_channel_post is not None:
            raise ApplicationHandlerStop
        chat = update.effective_chat
        if chat is None or chat.type == ChatType.PRIVATE:
            return
        username = context.bot.username
        if update.callback_query is not None:
            # The button's own data is never read here: nothing in a group changes anything.
            query, text = update.callback_query, render_private_only_short(context.t)
            try:  # the url opens the private chat with the bot, where Telegram allows it
                await query.answer(text, url=private_chat_link(username))
            except TelegramError:
                await answer_quietly(query, text)
        elif _addressed_to_us(update, username):
            await point_to_private_chat(update, context)
        raise ApplicationHandlerStop

    application.add_handler(TypeHandler(Update, guard), group=PRIVATE_ONLY_GROUP)
