"""Small helpers every handler uses: replying, answering and routing buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.domain.emergency_numbers import EmergencyNumber, emergency_number
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback, decode, pattern
from bot.render.texts import NO_PREVIEW


class StaleButton(Exception):
    """A press whose data is malformed, forged, or names something that no longer exists.

    Raised anywhere in a button handler; the error handler answers it politely in one place
    (it is not an error of ours: nobody is notified)."""


ButtonHandler = Callable[[Update, LimberContext, CallbackQuery, Callback], Awaitable[object]]


def routed(routes: Mapping[Action, ButtonHandler]) -> CallbackQueryHandler[LimberContext, None]:
    """One handler for a feature's buttons: the codec decodes (and its pattern routes) each
    press, the table picks the function for its action."""

    async def dispatch(update: Update, context: LimberContext) -> None:
        query = update.callback_query
        callback = decode(query.data) if query is not None else None
        if query is None or callback is None:
            raise StaleButton
        await routes[callback.action](update, context, query, callback)

    return CallbackQueryHandler(dispatch, pattern=pattern(*routes))


def local_emergency(update: Update, context: LimberContext) -> EmergencyNumber | None:
    """The emergency number where the user is: their timezone, else their Telegram language."""
    sender = update.effective_user
    zone = context.account.timezone if context.account is not None else None
    return emergency_number(timezone=zone, language_code=sender.language_code if sender else None)


async def reply(
    update: Update,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    effect: str | None = None,
) -> Message | None:
    """Send a message to the chat the update came from (``effect``: a message effect id,
    which Telegram shows in private chats only, and all of Limber's chats are private)."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        link_preview_options=NO_PREVIEW,
        message_effect_id=effect,
    )


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; a query that is already too old is not worth an error."""
    with suppress(BadRequest):
        await query.answer(text)


async def drop_keyboard(query: CallbackQuery) -> None:
    """Remove the buttons from the pressed message so it cannot be pressed twice."""
    # Already edited, too old, or deleted: the buttons are gone either way.
    with suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


async def show(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message's text and buttons (menus navigate in place).

    A button replayed onto a picture or a file (a forged or tampered press) has no text to
    replace: the screen then comes as a new message.
    """
    message = query.message
    if isinstance(message, Message) and message.text is None:
        await message.chat.send_message(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
        )
        return
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
        )
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


def command_argument(update: Update) -> str:
    """The text after a command (``/time 7:30`` -> ``7:30``), bounded so huge input stays cheap."""
    message = update.effective_message
    if message is None or not message.text:
        return ""
    _, _, rest = message.text.partition(" ")
    return rest.strip()[:200]


async def present(
    update: Update, query: CallbackQuery | None, screen: tuple[str, InlineKeyboardMarkup | None]
) -> None:
    """In place when a button led here, else as a new message."""
    if query is not None:
        await show(query, *screen)
    else:
        await reply(update, *screen)
