"""the weekly summary: its setting, day and time, and its queue column

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0014"
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_summary", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("weekly_day", sa.SmallInteger(), server_default=sa.text("6"), nullable=False)
        )
        batch_op.add_column(sa.Column("weekly_time", sa.Time(), nullable=True))
        batch_op.add_column(
            sa.Column("weekly_due_at", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_users_weekly_due_at_active",
            ["weekly_due_at"],
            unique=False,
            sqlite_where=sa.text("active = 1 AND weekly_due_at IS NOT NULL"),
            postgresql_where=sa.text("active AND weekly_due_at IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_users_weekly_due_at_active",
            sqlite_where=sa.text("active = 1 AND weekly_due_at IS NOT NULL"),
            postgresql_where=sa.text("active AND weekly_due_at IS NOT NULL"),
        )
        batch_op.drop_column("weekly_due_at")
        batch_op.drop_column("weekly_time")
        batch_op.drop_column("weekly_day")
        batch_op.drop_column("weekly_summary")
