"""Who is talking, resolved once per update, before any feature handler.

A message in the private chat is first contact: the account is created (with Telegram's
language for the user), except by /mydata and /forget, which must not create what they show or
delete. A button press never creates an account: a press from someone without one, or on a
message sent before their current account existed (a card from before /forget), gets one plain
answer and goes no further. The red-flag check is the exception: it is a safety net, so its
buttons always work, and it stores nothing without an account.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.domain.account import Account
from bot.domain.buttons import predates_account
from bot.domain.onboarding import in_onboarding
from bot.handlers.common import answer_quietly
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, decode
from bot.render.i18n import text
from bot.render.texts import NO_ACCOUNT_BUTTON
from bot.usecases import accounts

IDENTITY_GROUP = -10


NEVER_CREATE = frozenset({"mydata", "forget"})
# Commands that answer the waiting screen themselves ("/timezone Berlin" for a time waiting
# for its zone): the wait, and the time it holds, stay.
KEEP_WAITING = frozenset({"time", "timezone"})
SAFETY_NET = frozenset(
    {Action.REDFLAGS_START, Action.REDFLAGS_ANSWER, Action.REDFLAGS_BACK, Action.REDFLAGS_STOP}
)


def _command(text: str) -> str:
    return text[1:].split(maxsplit=1)[0].partition("@")[0].lower() if len(text) > 1 else ""


def _creates_account(message: Message) -> bool:
    text = message.text or ""
    if not text.startswith("/"):
        return True
    return _command(text) not in NEVER_CREATE


def _moves_on(message: Message, account: Account | None) -> bool:
    """A command while a time or zone screen waited for a typed reply: the user moved on, so
    later text is not taken for a time. Onboarding keeps its place (and a time waiting for
    its zone) whatever is typed in between."""
    if account is None or account.awaiting_reply is None or in_onboarding(account):
        return False
    typed = message.text or ""
    return typed.startswith("/") and _command(typed) not in KEEP_WAITING


def _speak_their_language(context: LimberContext) -> None:
    if context.account is not None and context.account.language:
        context.language = context.account.language


async def resolve(update: Update, context: LimberContext) -> None:
    sender = update.effective_user
    if sender is None or update.effective_chat is None:
        return
    svc = context.services
    query = update.callback_query
    if query is None:
        message = update.message
        if message is not None and _creates_account(message):
            context.account = await accounts.first_contact(svc, sender.id, sender.language_code)
        else:
            context.account = await accounts.find(svc, sender.id)
        if message is not None and _moves_on(message, context.account):
            context.account = await accounts.await_reply(svc, sender.id, None)
        _speak_their_language(context)
        return
    context.account = await accounts.find(svc, sender.id)
    _speak_their_language(context)
    callback = decode(query.data)
    if callback is not None and callback.action in SAFETY_NET:
        return
    pressed = query.message
    sent_at = pressed.date if isinstance(pressed, Message) else None
    if context.account is None or predates_account(sent_at, context.account.created_at):
        await answer_quietly(query, text(context.t, NO_ACCOUNT_BUTTON))
        raise ApplicationHandlerStop


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, resolve), group=IDENTITY_GROUP)
