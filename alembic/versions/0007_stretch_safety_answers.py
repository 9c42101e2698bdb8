"""stretch safety answers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 18:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing users start with nothing asked: they get the questions before their next
    # stretch, and reminders stay safe under every precaution until then.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'precaution_answers', sa.SmallInteger(), server_default=sa.text('0'), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('precaution_answers')
