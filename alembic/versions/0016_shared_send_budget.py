"""shared send budget, paid broadcast days, retry_at on deliveries

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0016"
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("lane", sa.String(length=16), nullable=False),
        sa.Column("tat", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("lane", name=op.f("pk_send_budget")),
    )
    op.create_table(
        "paid_broadcast_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_paid_broadcast_days")),
    )
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.add_column(
            sa.Column("retry_at", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.drop_column("retry_at")
    op.drop_table("paid_broadcast_days")
    op.drop_table("send_budget")
