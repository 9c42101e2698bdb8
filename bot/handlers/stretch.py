"""/stretch and the stretch card's buttons: Done, Another, Easier, Harder (and Stretch now,
and resuming after a safety hold)."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import CallbackQuery, InputFile, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CommandHandler

from bot.catalog.stretches import Stretch
from bot.domain.activity import celebrates
from bot.handlers.common import StaleButton, answer_quietly, drop_keyboard, reply, routed
from bot.handlers.context import LimberContext
from bot.handlers.feedback import ask_feedback
from bot.render.callbacks import Action, Callback
from bot.render.feedback import NOTHING_LEFT
from bot.render.i18n import text
from bot.render.illustrations import MediaKind
from bot.render.precautions import Origin, render_question, render_variant_withheld
from bot.render.stretch_card import (
    CONFETTI_EFFECT,
    LOGGED,
    RESUMED,
    illustration_caption,
    on_hold_screen,
    render_done,
    render_level_note,
    render_stretch_card,
    render_variant,
    stretch_card_keyboard,
    variant_keyboard,
)
from bot.usecases import practice

log = logging.getLogger(__name__)


async def send_stretch(update: Update, context: LimberContext) -> None:
    """The user's next stretch with its picture, or what must come first (hold, questions)."""
    svc, t = context.services, context.t
    offer = await practice.next_stretch(svc, context.require_account().user_id)
    if isinstance(offer, practice.OnHold):
        await reply(update, *on_hold_screen(t))
    elif isinstance(offer, practice.AskPrecaution):
        await reply(update, *render_question(t, offer.precaution, offer.answers, Origin.FIRST_RUN))
    elif isinstance(offer, practice.Shown):
        stretch = in_their_language(context, offer.stretch)
        await send_illustration(update, context, stretch)
        card = render_stretch_card(t, stretch, hold_seconds=offer.hold_seconds)
        await reply(update, card, stretch_card_keyboard(t, stretch, offer.hold_seconds))
    elif isinstance(offer, practice.NothingLeft):
        await reply(update, text(t, NOTHING_LEFT))


async def send_illustration(update: Update, context: LimberContext, stretch: Stretch) -> None:
    """The stretch's picture: a drill's loop, or a still of its start and end. The card
    matters more, so a failure only logs."""
    chat = update.effective_chat
    if chat is None:
        return
    caption = illustration_caption(context.t, stretch)

    async def send(kind: MediaKind, media: str | InputFile) -> Message:
        if kind == "animation":
            return await chat.send_animation(media, caption=caption, parse_mode=ParseMode.HTML)
        return await chat.send_photo(media, caption=caption, parse_mode=ParseMode.HTML)

    async def show_progress() -> None:
        with suppress(TelegramError):  # only a courtesy
            await chat.send_action(ChatAction.UPLOAD_PHOTO)

    try:
        await context.bot_data.illustrations.send(stretch, send, show_progress)
    except Forbidden:
        raise
    except TelegramError as error:
        log.warning("illustration for %s not sent: %s", stretch.id, error)


def in_their_language(context: LimberContext, stretch: Stretch) -> Stretch:
    """The stretch with its texts in the user's language (the English one when untranslated)."""
    return context.content.stretches.get(stretch.id) or stretch


async def stretch_command(update: Update, context: LimberContext) -> None:
    await send_stretch(update, context)


async def another(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await send_stretch(update, context)


async def resume_after_hold(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await drop_keyboard(query)
    context.account = await practice.lift_hold(context.services, context.require_account().user_id)
    await reply(update, text(context.t, RESUMED))
    await send_stretch(update, context)


def _stretch_named(context: LimberContext, callback: Callback) -> Stretch:
    stretch = context.content.stretches.get(callback.arg() or "")
    if stretch is None:  # a card from an older library
        raise StaleButton
    return stretch


async def done(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    stretch = _stretch_named(context, callback)
    streak = await practice.record_done(
        context.services, context.require_account().user_id, stretch.id
    )
    await answer_quietly(query, text(context.t, LOGGED))
    await drop_keyboard(query)
    if streak is not None:
        has_reminder = context.require_account().has_daily_reminder
        done_text, remind = render_done(context.t, streak, has_reminder=has_reminder)
        effect = CONFETTI_EFFECT if celebrates(streak) else None
        await ask_feedback(
            update, context, [stretch.id], lead=done_text, more=remind, effect=effect
        )


async def easier_or_harder(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    stretch = _stretch_named(context, callback)
    easier = callback.action is Action.EASIER
    await answer_quietly(query)
    result = await practice.change_level(
        context.services, context.require_account().user_id, stretch, easier=easier
    )
    t = context.t
    if isinstance(result, practice.OnHold):
        await reply(update, *on_hold_screen(t))
    elif result is not None:
        shown = (
            render_variant(t, stretch, easier=easier)
            if result.allowed
            else render_variant_withheld(t, stretch, easier=easier, answers=result.answers)
        )
        await reply(update, shown + render_level_note(t, easier), variant_keyboard(t, stretch))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("stretch", stretch_command))
    application.add_handler(
        routed(
            {
                Action.DONE: done,
                Action.ANOTHER: another,
                Action.STRETCH_NOW: another,
                Action.EASIER: easier_or_harder,
                Action.HARDER: easier_or_harder,
                Action.HOLD_RESUME: resume_after_hold,
            }
        )
    )
