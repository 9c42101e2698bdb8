"""The reminder's time and zone: /time, /timezone, their screens and buttons, plain replies
while a screen waits ("7pm", "new york"), a shared location, "Remind me daily at this time",
and a time that waits for its zone instead of being saved in UTC."""

from __future__ import annotations

from datetime import time

from telegram import CallbackQuery, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.account import Account
from bot.domain.awaiting import (
    AWAIT_TIME,
    AWAIT_ZONE,
    awaiting_zone_for,
    awaits_zone,
    pending_now,
    pending_time,
)
from bot.domain.onboarding import Step, current_step
from bot.domain.symptom_text import Concern, concern
from bot.domain.timeparse import parse_time
from bot.domain.timezones import REGION_ZONES, is_valid_zone, resolve_timezone
from bot.domain.zone_guess import (
    likely_zones,
    local_minute,
    offset_from_clock,
    zones_at_offset,
    zones_near,
)
from bot.handlers import onboarding
from bot.handlers.common import (
    StaleButton,
    answer_quietly,
    command_argument,
    drop_keyboard,
    present,
    reply,
    routed,
    show,
)
from bot.handlers.context import LimberContext
from bot.handlers.fallback import free_text
from bot.render import onboarding as onboarding_screens
from bot.render import settings as screens
from bot.render.callbacks import Action, Callback
from bot.render.i18n import text
from bot.usecases import accounts

REMINDER_STEPS = (Step.TIME, Step.ZONE)  # onboarding's last step


def _settings_screen(context: LimberContext, account: Account) -> screens.Screen:
    return screens.settings_screen(context.t, account, context.services.clock.now())


async def time_command(update: Update, context: LimberContext) -> None:
    typed = command_argument(update)
    if not typed:
        await show_time_screen(update, context)
        return
    value = parse_time(typed)
    if value is None:
        await reply(update, screens.render_time_invalid(context.t, typed))
        return
    await choose_time(update, context, value)


async def timezone_command(update: Update, context: LimberContext) -> None:
    typed = command_argument(update)
    if not typed:
        await show_zone_screen(update, context)
        return
    await zone_typed(update, context, typed)


async def show_time_screen(
    update: Update, context: LimberContext, query: CallbackQuery | None = None
) -> None:
    """The time grid; a typed "7pm" is understood while it waits."""
    user_id = context.require_account().user_id
    context.account = await accounts.await_reply(context.services, user_id, AWAIT_TIME)
    await present(update, query, screens.time_screen(context.t))


async def show_zone_screen(
    update: Update, context: LimberContext, query: CallbackQuery | None = None
) -> None:
    """The region picker; a typed city is understood while it waits. A reminder time that
    waits for its zone keeps waiting."""
    account = context.require_account()
    if not awaits_zone(account.awaiting_reply):
        context.account = await accounts.await_reply(context.services, account.user_id, AWAIT_ZONE)
    await present(update, query, screens.zone_screen(context.t))


async def _saved(
    update: Update,
    context: LimberContext,
    account: Account | None,
    query: CallbackQuery | None,
    saved: str,
) -> None:
    """After a time or zone is saved: onboarding goes on to the first stretch; otherwise the
    settings screen (in place of the pressed menu, or as a new message after a typed reply)."""
    if account is None:
        raise StaleButton
    context.account = account
    if query is not None:
        await answer_quietly(query, text(context.t, screens.SAVED))
    if current_step(account.onboarding_step) in REMINDER_STEPS:  # onboarding's last step
        await present(update, query, (saved, None))
        await onboarding.finish(update, context, None)
    elif query is not None:
        await show(query, *_settings_screen(context, account))
    else:
        await reply(update, saved)
        await reply(update, *_settings_screen(context, account))


async def _ask_zone(
    update: Update, context: LimberContext, pending: time | None, query: CallbackQuery | None
) -> None:
    """Before a reminder is saved while the zone is still the default UTC: where are they?"""
    if query is not None:
        await answer_quietly(query)
    svc, account, t = context.services, context.require_account(), context.t
    in_onboarding = current_step(account.onboarding_step) is Step.TIME
    if in_onboarding:
        await accounts.leave_onboarding_step(svc, account.user_id, Step.TIME, chose_time=True)
    context.account = await accounts.await_reply(svc, account.user_id, awaiting_zone_for(pending))
    sender = update.effective_user
    likely = likely_zones(sender.language_code if sender else account.language)
    screen = (
        onboarding_screens.zone_step(t, pending, likely)
        if in_onboarding
        else (screens.render_zone_question(t, pending), screens.zone_question_keyboard(t, likely))
    )
    await present(update, query, screen)


async def choose_time(
    update: Update, context: LimberContext, value: time, query: CallbackQuery | None = None
) -> None:
    """A reminder time was picked or typed: saved at once when the zone is known, else after
    asking for it (a reminder silently in UTC would come at the wrong hour)."""
    account = context.require_account()
    if not account.zone_chosen:
        await _ask_zone(update, context, value, query)
        return
    saved = await accounts.set_time(context.services, account.user_id, value)
    await _saved(update, context, saved, query, screens.render_time_saved(context.t, value))


async def choose_zone(
    update: Update,
    context: LimberContext,
    zone: str,
    from_offset: bool = False,
    query: CallbackQuery | None = None,
) -> None:
    """A zone was picked or typed: saved, with the reminder time that waited for it."""
    svc, t = context.services, context.t
    account = context.require_account()
    value = pending_time(account.awaiting_reply)
    if value is None and pending_now(account.awaiting_reply):
        value = local_minute(svc.clock.now(), zone)
    if value is None:
        saved = await accounts.set_timezone(svc, account.user_id, zone)
        await _saved(update, context, saved, query, screens.render_zone_saved(t, zone, from_offset))
        return
    saved = await accounts.set_time_and_zone(svc, account.user_id, value, zone)
    await _saved(update, context, saved, query, screens.render_time_saved(t, value, zone))


async def zone_typed(update: Update, context: LimberContext, typed: str) -> None:
    """A typed place, zone or offset; or the time it is for the user now, which narrows the
    zones to those whose clocks show it."""
    svc, t = context.services, context.t
    account = context.require_account()
    clock = parse_time(typed)
    if clock is not None:
        now = svc.clock.now()
        sender = update.effective_user
        language = sender.language_code if sender else account.language
        zones = zones_at_offset(offset_from_clock(now, clock), now, language)
        if pending_now(account.awaiting_reply):  # "remind me at this time": this is the time
            await accounts.await_reply(svc, account.user_id, awaiting_zone_for(clock))
        await reply(
            update,
            screens.render_zones_at_clock(t, clock, zones),
            screens.zone_question_keyboard(t, zones),
        )
        return
    match = resolve_timezone(typed)
    if match.zone is not None:
        await choose_zone(update, context, match.zone, match.from_offset)
        return
    await reply(
        update,
        screens.render_zone_unknown(t, typed, bool(match.suggestions)),
        (
            screens.zone_suggestions_keyboard(t, match.suggestions)
            if match.suggestions
            else screens.zone_menu_keyboard(t)
        ),
    )


async def plain_reply(update: Update, context: LimberContext) -> None:
    """Typed text: the answer a time or zone screen waits for, else the free-text reply."""
    message = update.effective_message
    typed = (message.text or "")[:200] if message is not None else ""
    awaiting = context.account.awaiting_reply if context.account is not None else None
    if awaiting is None or concern(typed) is not Concern.NONE:  # symptoms come first
        await free_text(update, context)
    elif awaits_zone(awaiting):
        await zone_typed(update, context, typed)
    else:
        value = parse_time(typed)
        if value is None:
            t, account = context.t, context.require_account()
            grid = (
                onboarding_screens.time_step(t)[1]
                if current_step(account.onboarding_step) is Step.TIME
                else screens.time_menu_keyboard(t)
            )
            await reply(update, screens.render_time_invalid(t, typed), grid)
        else:
            await choose_time(update, context, value)


async def remind_here(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    """ "Remind me daily at this time", under the Done message."""
    await answer_quietly(query)
    await drop_keyboard(query)
    account = context.require_account()
    if not account.zone_chosen:
        await _ask_zone(update, context, None, None)
        return
    value = local_minute(context.services.clock.now(), account.timezone)
    saved = await accounts.set_time(context.services, account.user_id, value)
    await _saved(update, context, saved, None, screens.render_time_saved(context.t, value))


async def location_received(update: Update, context: LimberContext) -> None:
    """A shared location: the zones its longitude suggests (the location is not stored)."""
    message = update.effective_message
    location = message.location if message is not None else None
    if location is None:
        return
    sender = update.effective_user
    account = context.require_account()
    language = sender.language_code if sender else account.language
    zones = zones_near(location.longitude, context.services.clock.now(), language)
    if not awaits_zone(account.awaiting_reply):  # a time waiting for its zone keeps waiting
        context.account = await accounts.await_reply(context.services, account.user_id, AWAIT_ZONE)
    await reply(
        update,
        text(context.t, screens.LOCATION_HINT),
        screens.zone_question_keyboard(context.t, zones),
    )


async def open_time_menu(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await show_time_screen(update, context)  # from the start screen: a new message


async def open_region(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    region = callback.arg() or ""
    if region not in REGION_ZONES:
        raise StaleButton
    await answer_quietly(query)
    t = context.t
    await show(query, screens.render_zone_menu(t), screens.zone_region_keyboard(t, region))


async def time_button(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    hhmm = callback.arg() or "0000"
    await choose_time(update, context, time(int(hhmm[:2]), int(hhmm[2:])), query)


async def zone_button(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    zone = callback.arg() or ""
    if not is_valid_zone(zone):
        raise StaleButton
    await choose_zone(update, context, zone, query=query)


async def open_menu(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    await answer_quietly(query)
    if callback.action is Action.TIME_MENU:
        await show_time_screen(update, context, query)
    else:
        await show_zone_screen(update, context, query)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("time", time_command))
    application.add_handler(CommandHandler("timezone", timezone_command))
    application.add_handler(MessageHandler(filters.LOCATION, location_received))
    private_text = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED & filters.TEXT
    application.add_handler(MessageHandler(private_text & ~filters.COMMAND, plain_reply))
    application.add_handler(
        routed(
            {
                Action.SET_REMINDER: open_time_menu,
                Action.TIME_MENU: open_menu,
                Action.ZONE_MENU: open_menu,
                Action.ZONE_REGION: open_region,
                Action.SET_TIME: time_button,
                Action.SET_ZONE: zone_button,
                Action.REMIND_HERE: remind_here,
            }
        )
    )
