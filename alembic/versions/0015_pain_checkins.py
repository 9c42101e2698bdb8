"""pain check-ins: their queue entry, the answers, and an index for weekly counts

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0015"
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checkins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("user_id", "answered_on", name=op.f("uq_checkins_user_id_answered_on")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("checkin_due_at", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_users_checkin_due_at_active",
            ["checkin_due_at"],
            unique=False,
            sqlite_where=sa.text("active = 1 AND checkin_due_at IS NOT NULL"),
            postgresql_where=sa.text("active AND checkin_due_at IS NOT NULL"),
        )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_at_kind_user_id", ["at", "kind", "user_id"], unique=False
        )
    # Existing users: the first check-in two weeks after their first contact. Those long past
    # are skipped once by the claim (outside the grace period) and move on in steps of two
    # weeks, to the user's local time: nobody gets one at once, and they arrive spread out.
    if op.get_bind().dialect.name == "sqlite":
        first = "strftime('%Y-%m-%d %H:%M:%S', created_at, '+14 days') || '.000000'"
    else:
        first = "created_at + interval '14 days'"
    op.execute(f"UPDATE users SET checkin_due_at = {first}")


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_at_kind_user_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_users_checkin_due_at_active",
            sqlite_where=sa.text("active = 1 AND checkin_due_at IS NOT NULL"),
            postgresql_where=sa.text("active AND checkin_due_at IS NOT NULL"),
        )
        batch_op.drop_column("checkin_due_at")
    op.drop_table("checkins")
