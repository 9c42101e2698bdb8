"""/settings, /time, /timezone, /focus, /pause, /resume, a shared location, and the buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.catalog.stretches import Area
from bot.db.models import User
from bot.db.users import ensure_user, get_user, precautions_of, reminder_settings, reschedule
from bot.domain.picking import toggle_area
from bot.domain.reminders import pause_until
from bot.domain.schedule import toggle_day
from bot.domain.timeparse import format_time, parse_time
from bot.domain.timezones import REGION_ZONES, is_valid_zone, resolve_timezone
from bot.handlers.common import answer_quietly, command_argument, reply, show
from bot.render import settings as screens
from bot.render.callbacks import Action, Callback, decode, pattern
from bot.render.texts import STALE_BUTTON
from bot.services import Services, services

Change = Callable[[User], None]


async def apply_change(update: Update, svc: Services, change: Change) -> User | None:
    """Apply ``change`` to the sender's settings and move their reminder in the due queue."""
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        return None
    now = svc.clock.now()
    async with svc.transaction() as session:
        if update.callback_query is None:
            user = await ensure_user(session, sender.id, chat.id, now)
        else:  # a button never creates an account (see handlers.stale_buttons)
            found = await get_user(session, sender.id)
            if found is None:
                return None
            user = found
        change(user)
        reschedule(user, now)
    return user


def _screen(svc: Services, user: User) -> tuple[str, InlineKeyboardMarkup]:
    now = svc.clock.now()
    settings = reminder_settings(user)
    return (
        screens.render_settings(
            settings, user.next_due_at, now, user.focus_areas, precautions_of(user)
        ),
        screens.settings_keyboard(settings, now),
    )


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user = await apply_change(update, svc, lambda _user: None)
    if user is not None:
        await reply(update, *_screen(svc, user))


def _set_time(value: time) -> Change:
    def change(user: User) -> None:
        user.reminder_time = value

    return change


def _set_zone(zone: str) -> Change:
    def change(user: User) -> None:
        user.timezone = zone

    return change


def _pause(days: int, svc: Services) -> Change:
    def change(user: User) -> None:
        user.paused = True
        user.paused_until = pause_until(svc.clock.now(), days)
        user.snooze_due_at = None  # a snoozed reminder would break the pause

    return change


def _resume(user: User) -> None:
    user.paused = False
    user.paused_until = None


async def time_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    text = command_argument(update)
    if not text:
        await reply(update, screens.render_time_menu(), screens.time_menu_keyboard())
        return
    value = parse_time(text)
    if value is None:
        await reply(update, screens.render_time_invalid(text))
        return
    user = await apply_change(update, svc, _set_time(value))
    if user is not None:
        await reply(update, f"Saved: daily reminder at <b>{format_time(value)}</b>.")
        await reply(update, *_screen(svc, user))


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    text = command_argument(update)
    if not text:
        await reply(update, screens.render_zone_menu(), screens.zone_menu_keyboard())
        return
    match = resolve_timezone(text)
    if match.zone is None:
        await reply(
            update,
            screens.render_zone_unknown(text, bool(match.suggestions)),
            screens.zone_suggestions_keyboard(match.suggestions) if match.suggestions else None,
        )
        return
    user = await apply_change(update, svc, _set_zone(match.zone))
    if user is not None:
        note = " (a fixed offset: it won't follow daylight saving)" if match.from_offset else ""
        await reply(update, f"Saved: timezone <b>{match.zone}</b>{note}.")
        await reply(update, *_screen(svc, user))


async def focus_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = await apply_change(update, services(context), lambda _user: None)
    if user is not None:
        await reply(
            update,
            screens.render_focus_menu(user.focus_areas),
            screens.focus_menu_keyboard(user.focus_areas),
        )


async def location_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, screens.LOCATION_HINT, screens.zone_menu_keyboard())


async def pause_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, screens.render_pause_menu(), screens.pause_menu_keyboard())


async def resume_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user = await apply_change(update, svc, _resume)
    if user is not None:
        await reply(update, "Reminders are back on. ▶️")
        await reply(update, *_screen(svc, user))


def _change_for(callback: Callback, user_days: int, svc: Services) -> Change | None:
    """The settings change a button asks for, or None when its data names nothing we know.

    The codec already checked each argument's shape (ASCII digits in range, HHMM...).
    """
    arg = callback.arg() or ""
    if callback.action is Action.SET_TIME:
        return _set_time(time(int(arg[:2]), int(arg[2:])))
    if callback.action is Action.SET_ZONE:
        return _set_zone(arg) if is_valid_zone(arg) else None
    if callback.action is Action.TOGGLE_DAY:
        days = toggle_day(user_days, int(arg))
        return lambda user: setattr(user, "reminder_days", days)
    if callback.action is Action.DAYS_PRESET:
        return lambda user: setattr(user, "reminder_days", int(arg))
    if callback.action is Action.TOGGLE_FOCUS and arg in {area.value for area in Area}:
        return lambda user: setattr(user, "focus_areas", toggle_area(user.focus_areas, arg))
    if callback.action is Action.PAUSE:
        return _pause(int(arg), svc)
    if callback.action is Action.RESUME:
        return _resume
    return None


MENUS = {
    Action.TIME_MENU: lambda: (screens.render_time_menu(), screens.time_menu_keyboard()),
    Action.ZONE_MENU: lambda: (screens.render_zone_menu(), screens.zone_menu_keyboard()),
    Action.PAUSE_MENU: lambda: (screens.render_pause_menu(), screens.pause_menu_keyboard()),
}


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    callback = decode(query.data)
    if callback is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    await _navigate(update, query, callback, svc)


async def _navigate(
    update: Update, query: CallbackQuery, callback: Callback, svc: Services
) -> None:
    if callback.action is Action.SET_REMINDER:
        await answer_quietly(query)
        await reply(update, screens.render_time_menu(), screens.time_menu_keyboard())
        return
    if callback.action in MENUS:
        await answer_quietly(query)
        await show(query, *MENUS[callback.action]())
        return
    if callback.action is Action.ZONE_REGION:
        if callback.arg() not in REGION_ZONES:
            await answer_quietly(query, STALE_BUTTON)
            return
        await answer_quietly(query)
        await show(
            query, screens.render_zone_menu(), screens.zone_region_keyboard(callback.arg() or "")
        )
        return
    user = await apply_change(update, svc, lambda _user: None)
    if user is None:
        return
    if callback.action in (Action.FOCUS_MENU, Action.DAYS_MENU):
        await answer_quietly(query)
        toggle = Action.TOGGLE_FOCUS if callback.action is Action.FOCUS_MENU else Action.TOGGLE_DAY
        await show(query, *_screen_after(toggle, svc, user))
        return
    if callback.action is Action.SETTINGS:
        await answer_quietly(query)
        await show(query, *_screen(svc, user))
        return
    change = _change_for(callback, user.reminder_days, svc)
    if change is None:
        await answer_quietly(query, STALE_BUTTON)
        return
    user = await apply_change(update, svc, change)
    if user is None:
        return
    await answer_quietly(query, "Saved ✅")
    await show(query, *_screen_after(callback.action, svc, user))


def _screen_after(action: Action, svc: Services, user: User) -> tuple[str, InlineKeyboardMarkup]:
    """Toggles keep their picker open; every other change returns to the settings screen."""
    if action in (Action.TOGGLE_DAY, Action.DAYS_PRESET):
        return (
            screens.render_days_menu(user.reminder_days),
            screens.days_menu_keyboard(user.reminder_days),
        )
    if action is Action.TOGGLE_FOCUS:
        return (
            screens.render_focus_menu(user.focus_areas),
            screens.focus_menu_keyboard(user.focus_areas),
        )
    return _screen(svc, user)


SETTINGS_ACTIONS = (
    Action.SETTINGS, Action.TIME_MENU, Action.SET_TIME, Action.DAYS_MENU, Action.TOGGLE_DAY,
    Action.DAYS_PRESET, Action.ZONE_MENU, Action.ZONE_REGION, Action.SET_ZONE, Action.PAUSE_MENU,
    Action.PAUSE, Action.RESUME, Action.SET_REMINDER, Action.FOCUS_MENU, Action.TOGGLE_FOCUS,
)  # fmt: skip


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("settings", settings_command))
    application.add_handler(CommandHandler("time", time_command))
    application.add_handler(CommandHandler("timezone", timezone_command))
    application.add_handler(CommandHandler("focus", focus_command))
    application.add_handler(MessageHandler(filters.LOCATION, location_received))
    application.add_handler(CommandHandler("pause", pause_command))
    application.add_handler(CommandHandler("resume", resume_command))
    application.add_handler(
        CallbackQueryHandler(settings_button, pattern=pattern(*SETTINGS_ACTIONS))
    )
