"""red-flag check identity, so a replayed final answer stores no second outcome

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_key', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_checks_user_id_check_key'), ['user_id', 'check_key']
        )


def downgrade() -> None:
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_checks_user_id_check_key'), type_='unique')
        batch_op.drop_column('check_key')
