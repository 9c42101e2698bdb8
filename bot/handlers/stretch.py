"""/stretch and the stretch card's buttons: Done, Another, Easier, Harder."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.catalog.stretches import Stretch
from bot.db import activity
from bot.db.models import User
from bot.db.users import get_user, precautions_of, reschedule
from bot.domain.activity import ActivityKind, current_streak
from bot.domain.picking import adjusted_level
from bot.domain.precautions import forbidden_movements, is_allowed
from bot.handlers.common import answer_quietly, current_user, drop_keyboard, reply
from bot.render.callbacks import Action, decode, pattern
from bot.render.illustrations import MediaKind
from bot.render.precautions import Origin, render_question, render_variant_withheld
from bot.render.redflags_buttons import resume_after_hold_keyboard
from bot.render.stretch_card import (
    illustration_caption,
    render_stretch_card,
    render_variant,
    stretch_card_keyboard,
)
from bot.render.texts import STALE_BUTTON
from bot.services import Services, services

log = logging.getLogger(__name__)

CARD_ACTIONS = (
    Action.DONE,
    Action.ANOTHER,
    Action.EASIER,
    Action.HARDER,
    Action.STRETCH_NOW,
    Action.HOLD_RESUME,
)


ON_HOLD = (
    "⏸ Your last red-flag check advised getting checked by a clinician, so I've held back "
    "stretches and reminders. Once you've been checked and told it's fine to exercise, tap "
    "below to carry on. If anything has changed, run /redflags again."
)


async def send_stretch(update: Update, svc: Services, user: User) -> None:
    """Pick a stretch for ``user``, log it, and send its card (or explain the safety hold)."""
    if user.on_hold_since is not None:
        await reply(update, ON_HOLD, resume_after_hold_keyboard())
        return
    precautions = precautions_of(user)
    unasked = precautions.next_unasked()
    if unasked is not None:  # the safety questions come first, once
        await reply(update, *render_question(unasked, precautions, Origin.FIRST_RUN))
        return
    async with svc.transaction() as session:
        now = svc.clock.now()
        recent = (await activity.recent_stretches(session, [user.id], now)).get(user.id, [])
        stretch = svc.picker.pick(
            forbidden=forbidden_movements(precautions),
            focus_areas=user.focus_areas,
            level=user.level,
            recent_ids=recent,
            rng=svc.rng,
        )
        await activity.log_activity(session, user.id, ActivityKind.SHOWN, now, stretch.id)
    await _send_illustration(update, svc, stretch)
    await reply(update, render_stretch_card(stretch), stretch_card_keyboard(stretch))


async def _send_illustration(update: Update, svc: Services, stretch: Stretch) -> None:
    """The stretch's picture: a drill's loop, or a still of its start and end. The card
    matters more, so a failure only logs."""
    chat = update.effective_chat
    if chat is None:
        return
    caption = illustration_caption(stretch)

    async def send(kind: MediaKind, media: str | InputFile) -> Message:
        if kind == "animation":
            return await chat.send_animation(media, caption=caption, parse_mode=ParseMode.HTML)
        return await chat.send_photo(media, caption=caption, parse_mode=ParseMode.HTML)

    try:
        await svc.illustrations.send(stretch, send)
    except Forbidden:
        raise
    except TelegramError as error:
        log.warning("illustration for %s not sent: %s", stretch.id, error)


async def stretch_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user = await current_user(update, svc)
    if user is not None:
        await send_stretch(update, svc, user)


async def card_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, sender = update.callback_query, update.effective_user
    if query is None or sender is None:
        return
    svc = services(context)
    callback = decode(query.data)
    if callback is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    async with svc.sessions() as session:
        user = await get_user(session, sender.id)
    if user is None:  # the stale-button guard answers presses from deleted accounts
        return
    if callback.action is Action.HOLD_RESUME:
        await answer_quietly(query)
        await drop_keyboard(query)
        user = await _lift_hold(svc, user)
        await reply(update, "Glad you've been checked. Reminders are back on; here's a stretch.")
        await send_stretch(update, svc, user)
        return
    if callback.action in (Action.ANOTHER, Action.STRETCH_NOW):
        await answer_quietly(query)
        await send_stretch(update, svc, user)
        return

    stretch = svc.stretches.get(callback.arg() or "")
    if stretch is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    if callback.action is Action.DONE:
        await answer_quietly(query, "Logged ✅")
        await drop_keyboard(query)
        await reply(update, await _record_done(svc, user, stretch.id))
        return
    await answer_quietly(query)
    if user.on_hold_since is not None:  # an old card's Easier/Harder sends no stretch either
        await reply(update, ON_HOLD, resume_after_hold_keyboard())
        return
    easier = callback.action is Action.EASIER
    async with svc.transaction() as session:
        stored = await session.get(User, user.id)
        if stored is not None:
            stored.level = adjusted_level(stored.level, -1 if easier else 1)
            stored.updated_at = svc.clock.now()
        kind = ActivityKind.EASIER if easier else ActivityKind.HARDER
        await activity.log_activity(session, user.id, kind, svc.clock.now(), stretch.id)
    note = (
        "\n\nI'll suggest gentler stretches from now on."
        if easier
        else "\n\nI'll suggest more challenging stretches from now on."
    )
    precautions = precautions_of(user)
    if is_allowed(stretch.variant_movements(easier=easier), forbidden_movements(precautions)):
        text = render_variant(stretch, easier=easier)
    else:
        text = render_variant_withheld(stretch, easier=easier, answers=precautions)
    await reply(update, text + note)


async def _lift_hold(svc: Services, user: User) -> User:
    now = svc.clock.now()
    async with svc.transaction() as session:
        stored = await session.get(User, user.id)
        if stored is None:
            return user
        stored.on_hold_since = None
        reschedule(stored, now)
        return stored


async def _record_done(svc: Services, user: User, stretch_id: str) -> str:
    """Log a finished stretch and return the congratulation, with the streak in days."""
    now = svc.clock.now()
    zone = ZoneInfo(user.timezone)
    async with svc.transaction() as session:
        await activity.log_activity(session, user.id, ActivityKind.DONE, now, stretch_id)
        times = await activity.done_times(session, user.id, since=now - timedelta(days=400))
    streak = current_streak((t.astimezone(zone).date() for t in times), now.astimezone(zone).date())
    if streak <= 1:
        return "Nice work! ✅ See you tomorrow."
    return f"Nice work! ✅ That's {streak} days in a row."


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("stretch", stretch_command))
    application.add_handler(CallbackQueryHandler(card_button, pattern=pattern(*CARD_ACTIONS)))
