"""The one error handler: log the traceback for the operator, tell the user in plain words."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot import metrics
from bot.handlers.common import StaleButton, answer_quietly
from bot.handlers.context import LimberContext
from bot.observability import user_ref
from bot.render.i18n import text
from bot.render.notices import render_error_notice
from bot.render.texts import SOMETHING_WENT_WRONG, STALE_BUTTON

log = logging.getLogger(__name__)


def _reply_cannot_arrive(error: BaseException | None) -> bool:
    """The user blocked us, or Telegram is unreachable (BadRequest is a NetworkError too)."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def on_error(update: object, context: LimberContext) -> None:
    error = context.error
    if isinstance(error, StaleButton):
        # A press we cannot honour (forged, out of date): a polite answer, not an error of ours.
        if isinstance(update, Update) and update.callback_query is not None:
            await answer_quietly(update.callback_query, text(context.t, STALE_BUTTON))
        return
    metrics.UPDATE_ERRORS.inc()
    update_id = update.update_id if isinstance(update, Update) else None
    sender = update.effective_user if isinstance(update, Update) else None
    # Never log the update itself: it holds the user's message text.
    log.error(
        "error while handling update %s",
        update_id,
        exc_info=error,
        extra={"update_id": update_id, "user": user_ref(sender.id if sender else None)},
    )
    await _notify_admins(context, update_id, error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if _reply_cannot_arrive(error):
        return
    if update.callback_query is not None:
        with suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await update.effective_chat.send_message(text(context.t, SOMETHING_WENT_WRONG))
    except TelegramError:
        log.warning("could not tell chat about the error for update %s", update_id)


async def _notify_admins(
    context: LimberContext, update_id: int | None, error: BaseException | None
) -> None:
    """A one-line notice for operators: the error's type only, nothing about the user; at most
    one per type per admin in 10 minutes (a failing tick would send one every few seconds)."""
    kind = type(error).__name__
    throttle = context.bot_data.notices
    operators = context.bot_data.catalogs.translator(None)  # the deployment's language
    for admin_id in context.services.settings.admin_id_set:
        held_back = throttle.admit(admin_id, kind)
        if held_back is not None:
            with suppress(TelegramError):
                await context.bot.send_message(
                    admin_id, render_error_notice(operators, update_id, kind, held_back)
                )
