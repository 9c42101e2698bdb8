"""onboarding progress, what a user cannot do, the reply a screen waits for, zone chosen

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing users get NULL: they are past onboarding, so their /start stays as it was.
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('onboarding_step', sa.SmallInteger(), nullable=True))
        batch_op.add_column(
            sa.Column('cannot', sa.SmallInteger(), server_default=sa.text('0'), nullable=False)
        )
        batch_op.add_column(sa.Column('awaiting_reply', sa.String(length=16), nullable=True))
        # Existing users have seen their zone on the settings screen: not asked again.
        batch_op.add_column(
            sa.Column('zone_chosen', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('zone_chosen')
        batch_op.drop_column('awaiting_reply')
        batch_op.drop_column('cannot')
        batch_op.drop_column('onboarding_step')
