"""ORM models: the one schema for SQLite and PostgreSQL. Every change is an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db.types import UTCDateTime
from bot.domain.schedule import EVERY_DAY

# Stable constraint names so migrations are identical on both engines.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A Telegram user (private chat) and their settings. Of their health, only the answers to
    the three stretch safety questions (and, in their own tables, how stretches felt and which
    ones they stopped)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The language texts are shown in: Telegram's language_code at first contact (e.g. "de",
    # "pt-br"), or the user's choice. Render falls back to English for a missing catalogue.
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    reminder_time: Mapped[time | None] = mapped_column(Time, default=None)
    # Bit 0 = Monday ... bit 6 = Sunday, as date.weekday() counts.
    reminder_days: Mapped[int] = mapped_column(SmallInteger, default=EVERY_DAY)
    focus_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[int] = mapped_column(SmallInteger, default=1)
    # The user's own level for some body areas ({area: level}), moved by "Too easy" and "Too
    # hard"; an area without an entry is at `level`. None until the first such answer.
    area_levels: Mapped[dict[str, int] | None] = mapped_column(JSON, default=None)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # False once the user blocks the bot; reminders stop until they come back.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The due queue: the next daily reminder (UTC), or None when none is scheduled (no time
    # set, paused indefinitely, or on hold). The tick claims rows whose instant has passed.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A one-off snoozed reminder; it does not move the daily schedule.
    snooze_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # How late (seconds) the user's last reminder went out: among reminders due at the same
    # instant, who waited longer last time goes first (domain.send_order).
    last_lateness_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Set when a red-flag check advised care: reminders wait until the user says they were seen.
    on_hold_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The stretch safety answers (domain.precautions.PrecautionAnswers): two bits a question,
    # 0 = none asked yet. Which stretches are safe follows from them; nothing else is kept.
    precaution_answers: Mapped[int] = mapped_column(
        SmallInteger, default=0, server_default=text("0")
    )
    # Where a new user is in onboarding (domain.onboarding.Step); None once finished, and for
    # everyone who came before onboarding existed.
    onboarding_step: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    # What the user cannot do or has not got (domain.abilities: a bit per stretch Need).
    cannot: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    # The plain reply a screen waits for ("time", "zone", "zone:0730"), so a typed "7pm" or
    # "new york" is understood without a command; None when nothing is waited for.
    awaiting_reply: Mapped[str | None] = mapped_column(String(16), default=None)
    # False until the user picks a zone: a reminder time waits for one rather than being
    # saved in the default UTC.
    zone_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=true())
    # The weekly summary: None until chosen (a stretch done in the first week turns it on,
    # usecases.practice), then the user's choice. Sent on weekly_day (0 = Monday) at
    # weekly_time, or at the reminder time when that is None, else at 18:00 local time.
    weekly_summary: Mapped[bool | None] = mapped_column(Boolean, default=None)
    weekly_day: Mapped[int] = mapped_column(SmallInteger, default=6, server_default=text("6"))
    weekly_time: Mapped[time | None] = mapped_column(Time, default=None)
    # Its queue entry (UTC), None when it is off.
    weekly_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The next pain check-in (every two weeks), or None when the user switched them off.
    checkin_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The last change the user made (settings, pause, coming back): re-engagement reads it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# The tick's query is "active users due by now": a partial index keeps it small. SQLite uses
# a partial index only when the query repeats the literal condition, so queries say `active = 1`
# through `true()`, which renders as a literal on both engines. Each index is in the claim's
# send order (domain.send_order): due instant, then who waited longer last time.
Index(
    "ix_users_next_due_at_active",
    User.next_due_at,
    User.last_lateness_seconds.desc(),
    sqlite_where=text("active = 1"),
    postgresql_where=text("active"),
)
Index(
    "ix_users_snooze_due_at_active",
    User.snooze_due_at,
    User.last_lateness_seconds.desc(),
    sqlite_where=text("active = 1 AND snooze_due_at IS NOT NULL"),
    postgresql_where=text("active AND snooze_due_at IS NOT NULL"),
)
Index(
    "ix_users_weekly_due_at_active",
    User.weekly_due_at,
    User.last_lateness_seconds.desc(),
    sqlite_where=text("active = 1 AND weekly_due_at IS NOT NULL"),
    postgresql_where=text("active AND weekly_due_at IS NOT NULL"),
)
Index(
    "ix_users_checkin_due_at_active",
    User.checkin_due_at,
    User.last_lateness_seconds.desc(),
    sqlite_where=text("active = 1 AND checkin_due_at IS NOT NULL"),
    postgresql_where=text("active AND checkin_due_at IS NOT NULL"),
)


class Delivery(Base):
    """One reminder to send: unique per user, due instant and kind, so it is sent at most once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "due_at", "kind"),
        Index("ix_deliveries_status_claimed_at", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(10))  # daily | snooze
    status: Mapped[str] = mapped_column(String(10))  # see domain.reminders.DeliveryStatus
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    stretch_id: Mapped[str | None] = mapped_column(String(40), default=None)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Which process holds it ("host:pid"): with claimed_at, the claimer's token.
    claimed_by: Mapped[str | None] = mapped_column(String(80), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Not to be sent again before this instant: Telegram answered 429 with a retry_after.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class SendBudget(Base):
    """One shared token bucket per lane of sends (GCRA): every process of a PostgreSQL
    deployment reserves its send slots here, so N processes together keep one rate."""

    __tablename__ = "send_budget"

    lane: Mapped[str] = mapped_column(String(16), primary_key=True)
    # Theoretical arrival time of the next free slot, in the database clock's epoch seconds.
    tat: Mapped[float] = mapped_column(Float)


class PaidBroadcastDay(Base):
    """How many messages went out with ``allow_paid_broadcast`` on one UTC day (each costs
    Telegram Stars): the daily budget is counted here, across every process."""

    __tablename__ = "paid_broadcast_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    messages: Mapped[int] = mapped_column(Integer)


class AppState(Base):
    """Small values the bot keeps for itself, such as the generated webhook secret."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(512))


class UploadedFile(Base):
    """Telegram's file id for a drawing the bot has uploaded, by the drawing's SHA-256: sent
    by reference from then on. A changed drawing has a new digest, so it is uploaded again.
    Nothing here is about a user."""

    __tablename__ = "uploaded_files"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # photo | animation
    file_id: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Check(Base):
    """A finished red-flag check: only its outcome tier and time, never the answers."""

    __tablename__ = "checks"
    __table_args__ = (
        Index("ix_checks_user_id", "user_id"),
        # A replayed final answer (the same button pressed again) finds its check and stores
        # nothing new.
        UniqueConstraint("user_id", "check_key"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    tier: Mapped[str] = mapped_column(String(10))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The check's identity from its buttons (start stamp and random part); None before 0006.
    check_key: Mapped[str | None] = mapped_column(String(16), default=None)


class Activity(Base):
    """What was sent to or done by a user, and when: streaks and variety are derived from it."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_user_id_at", "user_id", "at"),
        # Weekly counts for operators (/stats, /metrics) read only the last days, from the
        # index alone: without kind and user_id in it, fetching each row cost ten times more.
        Index("ix_activity_at_kind_user_id", "at", "kind", "user_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    stretch_id: Mapped[str | None] = mapped_column(String(40), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What a finished guided session was: its routine and each step done or skipped.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class StretchFeedback(Base):
    """How a stretch felt: the answer's kind and when the stretch was done, nothing more (never
    where or how it hurt). Keyed by the time the question was asked, so a repeated press of
    the same button stores nothing new."""

    __tablename__ = "stretch_feedback"
    __table_args__ = (UniqueConstraint("user_id", "stretch_id", "asked_at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    stretch_id: Mapped[str] = mapped_column(String(40))
    feeling: Mapped[str] = mapped_column(String(10))  # see domain.feedback.Feeling
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoppedStretch(Base):
    """A stretch that hurt the user: never picked for them again until they bring it back."""

    __tablename__ = "stopped_stretches"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    stretch_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    stopped_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Timer(Base):
    """The user's running hold timer (at most one): enough to resume it after a restart.

    The countdown follows ``domain.timer.timer_schedule(hold_seconds, holds)`` from
    ``started_at``; ``step`` is the next event in it, due at ``next_at``. A tick takes an
    event by moving ``step`` on with a compare-and-set, so one process sends each."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_next_at", "next_at"),)

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The countdown message; None for the moment between Start and its send.
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    stretch_id: Mapped[str] = mapped_column(String(40))
    hold_seconds: Mapped[int] = mapped_column(SmallInteger)
    holds: Mapped[int] = mapped_column(SmallInteger)
    # The guided session step it times (its token and index), or None for a card's timer.
    session_token: Mapped[int | None] = mapped_column(Integer, default=None)
    session_step: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    step: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GuidedSession(Base):
    """The user's guided session in progress (at most one): its steps and how far they got.
    Finished, it becomes one activity row and this row goes."""

    __tablename__ = "guided_sessions"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Buttons carry it, so a press from an older session is recognised as stale.
    token: Mapped[int] = mapped_column(Integer)
    routine: Mapped[str | None] = mapped_column(String(24), default=None)  # None: "for me"
    # [[stretch id, rounds], ...] in order.
    steps: Mapped[list[list[Any]]] = mapped_column(JSON)
    # One letter a finished step: "d" done, "s" skipped; its length is the current step.
    outcomes: Mapped[str] = mapped_column(String(16), default="")
    replaced: Mapped[int] = mapped_column(SmallInteger, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Checkin(Base):
    """A pain check-in answer: only the answer and the user's local date, nothing more."""

    __tablename__ = "checkins"
    # One answer a day: pressing another button the same day corrects it.
    __table_args__ = (UniqueConstraint("user_id", "answered_on"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(10))  # domain.checkin.PainAnswer
    answered_on: Mapped[date] = mapped_column(Date)
