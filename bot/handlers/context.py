"""The context every handler gets: the bot's services and the account of whoever is talking."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.catalog import Content
from bot.domain.account import Account
from bot.domain.notices import NoticeThrottle
from bot.illustration_files import IllustrationFiles
from bot.render.i18n import Catalogs, Translator
from bot.services import Services
from bot.usecases.lateness import LatenessWatch


class BotData:
    """The application's shared data (PTB creates it with no arguments; the builder fills it)."""

    services: Services
    catalogs: Catalogs
    # Each stretch's drawing, uploaded once (Telegram-facing, so not part of Services).
    illustrations: IllustrationFiles
    # The reminder queue's lateness outlook (the ticker's), for /stats.
    lateness: LatenessWatch

    def __init__(self) -> None:
        # Admin error notices: at most one per error type per admin in a while.
        self.notices = NoticeThrottle()


class NoAccount(RuntimeError):
    """A handler that needs an account ran without one: the identity pre-handler's rules and
    the handler's registration disagree."""


class LimberContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    # Set once per update by the identity pre-handler (handlers.identity); None when the
    # sender has no account and the update does not create one.
    account: Account | None = None
    # The language to answer in: the account's, else Telegram's for the sender (set by the
    # first guard); None means English.
    language: str | None = None

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def t(self) -> Translator:
        """The texts of this update's language."""
        return self.bot_data.catalogs.translator(self.language)

    @property
    def content(self) -> Content:
        """Stretches and the red-flag checklist in the same language as ``t``."""
        return self.services.catalog.in_language(self.t.language)

    def require_account(self) -> Account:
        if self.account is None:
            raise NoAccount("this update needs the sender's account")
        return self.account


CONTEXT_TYPES = ContextTypes(context=LimberContext, bot_data=BotData)
