"""Small helpers every handler uses: who is talking, replying, answering buttons."""

from __future__ import annotations

from contextlib import suppress

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.db.models import User
from bot.db.users import ensure_user, get_user
from bot.domain.emergency_numbers import EmergencyNumber, emergency_number
from bot.render.texts import NO_PREVIEW
from bot.services import Services


async def current_user(update: Update, services: Services) -> User | None:
    """The sender's row (created on first contact), or None for updates without a private chat."""
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        return None
    async with services.transaction() as session:
        return await ensure_user(session, sender.id, chat.id, services.clock.now())


async def local_emergency(update: Update, services: Services) -> EmergencyNumber | None:
    """The emergency number where the user is: their timezone, else their Telegram language.

    Reads the user's row but never creates it.
    """
    sender = update.effective_user
    if sender is None:
        return None
    async with services.sessions() as session:
        user = await get_user(session, sender.id)
        zone = user.timezone if user is not None else None
    return emergency_number(timezone=zone, language_code=sender.language_code)


async def reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send a message to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
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
