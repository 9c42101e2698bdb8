"""The one error handler: log the traceback for the operator, tell the user in plain words."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.render.texts import SOMETHING_WENT_WRONG

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # Never log the update itself: it holds the user's message text.
    log.error("error while handling update %s", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, Forbidden | NetworkError):
        return  # The user blocked us or Telegram is unreachable: a reply cannot arrive.
    if update.callback_query is not None:
        with suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await update.effective_chat.send_message(SOMETHING_WENT_WRONG)
    except TelegramError:
        log.warning("could not tell chat about the error for update %s", update_id)
