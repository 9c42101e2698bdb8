"""Settings from the environment and an optional ``.env`` file: one object, read once."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.pacing import MAX_PAID_BROADCAST_RATE
from bot.resources import content_dir

# The content that ships with Limber; LIMBER_CONTENT_DIR replaces it with an operator's own.
DEFAULT_CONTENT_DIR = content_dir()


class Settings(BaseSettings):
    """Everything an operator can set. Telegram's own names stay unprefixed (the contract)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org", alias="TELEGRAM_API_BASE_URL"
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///limber.sqlite3", alias="LIMBER_DATABASE_URL"
    )
    content_dir: Path = Field(default=DEFAULT_CONTENT_DIR, alias="LIMBER_CONTENT_DIR")
    # Translation catalogues (<lang>/LC_MESSAGES/limber.mo); unset: the ones shipped with Limber.
    locale_dir: Path | None = Field(default=None, alias="LIMBER_LOCALE_DIR")
    log_level: str = Field(default="INFO", alias="LIMBER_LOG_LEVEL")

    # Reminders (the due queue).
    tick_seconds: float = Field(default=5.0, gt=0, alias="LIMBER_TICK_SECONDS")
    claim_batch_size: int = Field(default=500, ge=1, alias="LIMBER_CLAIM_BATCH_SIZE")
    reminder_grace_minutes: int = Field(default=120, ge=0, alias="LIMBER_REMINDER_GRACE_MINUTES")
    # The bot's whole free budget, every process together (Telegram allows about 30/s):
    # reminders get it minus the reserve kept for replies to people.
    send_rate_per_second: float = Field(default=28.0, gt=0, alias="LIMBER_SEND_RATE_PER_SECOND")
    reply_reserve_per_second: float = Field(
        default=3.0, ge=0, alias="LIMBER_REPLY_RESERVE_PER_SECOND"
    )
    # Paid broadcast (allow_paid_broadcast, 0.1 Star a message): reminders the free rate would
    # send later than the target lateness go paid, up to this rate and the day's Stars.
    paid_broadcast_rate: float = Field(
        default=0.0, ge=0, le=MAX_PAID_BROADCAST_RATE, alias="LIMBER_PAID_BROADCAST_RATE"
    )
    paid_broadcast_daily_stars: float = Field(
        default=0.0, ge=0, alias="LIMBER_PAID_BROADCAST_DAILY_STARS"
    )
    # Also the target of the lateness forecast: /stats, /metrics and the log warn above it.
    target_lateness_seconds: float = Field(
        default=60.0, gt=0, alias="LIMBER_TARGET_LATENESS_SECONDS"
    )
    # PostgreSQL: `limber run` only answers people and leaves the reminders to `limber worker`
    # processes, so a reminder burst never shares its event loop with replies.
    reminders_in_workers: bool = Field(default=False, alias="LIMBER_REMINDERS_IN_WORKERS")
    # Optional: the send budget in Redis instead of the database (PostgreSQL deployments).
    redis_url: SecretStr | None = Field(default=None, alias="LIMBER_REDIS_URL")
    send_rate_per_chat_seconds: float = Field(
        default=1.0, ge=0, alias="LIMBER_SEND_RATE_PER_CHAT_SECONDS"
    )

    # Hold timers: how often the countdowns are checked (their edits come every 5 s or 1 s).
    timer_tick_seconds: float = Field(default=1.0, gt=0, alias="LIMBER_TIMER_TICK_SECONDS")

    # A claimed reminder not sent within this long is taken over by another tick or process.
    delivery_lease_seconds: float = Field(default=300, gt=0, alias="LIMBER_DELIVERY_LEASE_SECONDS")

    # Red-flag checks end politely after this long without an answer.
    redflags_idle_seconds: float = Field(default=900, gt=0, alias="LIMBER_REDFLAGS_IDLE_SECONDS")

    # Running for real: webhook instead of polling, health and metrics, admins, abuse limits.
    webhook_url: str | None = Field(default=None, alias="LIMBER_WEBHOOK_URL")
    webhook_listen: str = Field(default="0.0.0.0", alias="LIMBER_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, ge=1, le=65535, alias="LIMBER_WEBHOOK_PORT")
    webhook_secret: SecretStr | None = Field(default=None, alias="LIMBER_WEBHOOK_SECRET")
    health_port: int = Field(default=8080, ge=0, le=65535, alias="LIMBER_HEALTH_PORT")
    health_listen: str = Field(default="127.0.0.1", alias="LIMBER_HEALTH_LISTEN")
    # /healthz fails when no Bot API call has succeeded for this long (and a probe fails).
    health_telegram_seconds: float = Field(default=20, gt=0, alias="LIMBER_HEALTH_TELEGRAM_SECONDS")
    admin_ids: str = Field(default="", alias="LIMBER_ADMIN_IDS")
    log_json: bool = Field(default=False, alias="LIMBER_LOG_JSON")
    flood_messages: int = Field(default=20, ge=1, alias="LIMBER_FLOOD_MESSAGES")
    flood_seconds: float = Field(default=10, gt=0, alias="LIMBER_FLOOD_SECONDS")

    @field_validator("locale_dir", "redis_url", mode="before")
    @classmethod
    def _empty_means_default(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def admin_id_set(self) -> frozenset[int]:
        """Telegram user ids allowed to use admin commands (comma- or space-separated)."""
        parts = self.admin_ids.replace(",", " ").split()
        return frozenset(int(part) for part in parts if part.lstrip("-").isdigit())

    @property
    def api_base_url(self) -> str:
        """Base URL without a trailing slash; the bot calls ``{base}/bot{token}/{method}``."""
        return self.telegram_api_base_url.rstrip("/")


def normalize_database_url(url: str) -> str:
    """Accept the plain ``sqlite://`` and ``postgresql://`` forms and pick the async drivers."""
    for plain, async_form in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return async_form + url[len(plain) :]
    return url
