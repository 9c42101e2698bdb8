"""/settings, /focus, /pause, /resume and the settings buttons (the time and the zone are
``handlers.reminder_time``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Update
from telegram.ext import Application, CommandHandler

from bot.catalog.stretches import Area
from bot.domain.account import Account
from bot.handlers.common import (
    StaleButton,
    answer_quietly,
    reply,
    routed,
    show,
)
from bot.handlers.context import LimberContext
from bot.render import settings as screens
from bot.render.callbacks import Action, Callback
from bot.render.i18n import Translator, text
from bot.services import Services
from bot.usecases import accounts


def _settings_screen(context: LimberContext, account: Account) -> screens.Screen:
    return screens.settings_screen(context.t, account, context.services.clock.now())


async def settings_command(update: Update, context: LimberContext) -> None:
    await reply(update, *_settings_screen(context, context.require_account()))


async def focus_command(update: Update, context: LimberContext) -> None:
    await reply(update, *screens.focus_screen(context.t, context.require_account()))


async def pause_command(update: Update, context: LimberContext) -> None:
    await reply(update, *screens.pause_screen(context.t))


async def resume_command(update: Update, context: LimberContext) -> None:
    resumed = await accounts.resume(context.services, context.require_account().user_id)
    if resumed is not None:
        account, was_paused = resumed
        await reply(update, screens.render_resumed(context.t, was_paused))
        await reply(update, *_settings_screen(context, account))


# -- buttons: menus navigate in place; a change answers "Saved" and shows where it leads ------


async def open_menu(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    account, t = context.require_account(), context.t
    menus: dict[Action, Callable[[], screens.Screen]] = {
        Action.SETTINGS: lambda: _settings_screen(context, account),
        Action.PAUSE_MENU: lambda: screens.pause_screen(t),
        Action.DAYS_MENU: lambda: screens.days_screen(t, account),
        Action.FOCUS_MENU: lambda: screens.focus_screen(t, account),
    }
    await answer_quietly(query)
    await show(query, *menus[callback.action]())


async def open_languages(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    await show(query, *screens.language_screen(context.t, context.bot_data.catalogs.languages()))


async def choose_language(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    language = callback.arg() or ""
    if language not in context.bot_data.catalogs.languages():
        raise StaleButton
    user_id = context.require_account().user_id
    account = await accounts.set_language(context.services, user_id, language)
    if account is None:
        raise StaleButton
    context.language = language  # this answer already in the new language
    await answer_quietly(query, text(context.t, screens.SAVED))
    await show(query, *_settings_screen(context, account))


AREAS = frozenset(area.value for area in Area)


async def _toggle_day(svc: Services, user_id: int, weekday: str) -> Account | None:
    return await accounts.toggle_weekday(svc, user_id, int(weekday))


async def _set_days(svc: Services, user_id: int, days: str) -> Account | None:
    return await accounts.set_days(svc, user_id, int(days))


async def _toggle_focus(svc: Services, user_id: int, area: str) -> Account | None:
    if area not in AREAS:
        raise StaleButton
    return await accounts.toggle_focus(svc, user_id, area)


async def _pause(svc: Services, user_id: int, days: str) -> Account | None:
    return await accounts.pause(svc, user_id, int(days))


async def _resume(svc: Services, user_id: int, _arg: str) -> Account | None:
    resumed = await accounts.resume(svc, user_id)
    return resumed[0] if resumed is not None else None


# Each settings button's change (its argument's shape was checked by the codec).
CHANGES: dict[Action, Callable[[Services, int, str], Awaitable[Account | None]]] = {
    Action.TOGGLE_DAY: _toggle_day,
    Action.DAYS_PRESET: _set_days,
    Action.TOGGLE_FOCUS: _toggle_focus,
    Action.PAUSE: _pause,
    Action.RESUME: _resume,
}
# Toggles keep their picker open; every other change returns to the settings screen.
PICKER_AFTER: dict[Action, Callable[[Translator, Account], screens.Screen]] = {
    Action.TOGGLE_DAY: screens.days_screen,
    Action.DAYS_PRESET: screens.days_screen,
    Action.TOGGLE_FOCUS: screens.focus_screen,
}


async def change_setting(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    change = CHANGES[callback.action]
    user_id = context.require_account().user_id
    account = await change(context.services, user_id, callback.arg() or "")
    if account is None:
        raise StaleButton
    await answer_quietly(query, text(context.t, screens.SAVED))
    after = PICKER_AFTER.get(callback.action)
    await show(query, *(after(context.t, account) if after else _settings_screen(context, account)))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("settings", settings_command))
    application.add_handler(CommandHandler("focus", focus_command))
    application.add_handler(CommandHandler("pause", pause_command))
    application.add_handler(CommandHandler("resume", resume_command))
    menus = (Action.SETTINGS, Action.PAUSE_MENU, Action.DAYS_MENU, Action.FOCUS_MENU)
    application.add_handler(
        routed(
            {
                Action.LANGUAGE_MENU: open_languages,
                Action.SET_LANGUAGE: choose_language,
                **dict.fromkeys(menus, open_menu),
                **dict.fromkeys(CHANGES, change_setting),
            }
        )
    )
