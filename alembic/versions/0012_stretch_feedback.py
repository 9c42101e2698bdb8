"""how stretches felt, per-area levels and stopped stretches

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 22:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_levels', sa.JSON(), nullable=True))
    op.create_table(
        'stretch_feedback',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('stretch_id', sa.String(length=40), nullable=False),
        sa.Column('feeling', sa.String(length=10), nullable=False),
        sa.Column('asked_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_stretch_feedback_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stretch_feedback')),
        sa.UniqueConstraint('user_id', 'stretch_id', 'asked_at',
                            name=op.f('uq_stretch_feedback_user_id_stretch_id_asked_at')),
    )
    op.create_table(
        'stopped_stretches',
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('stretch_id', sa.String(length=40), nullable=False),
        sa.Column('stopped_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_stopped_stretches_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'stretch_id', name=op.f('pk_stopped_stretches')),
    )


def downgrade() -> None:
    op.drop_table('stopped_stretches')
    op.drop_table('stretch_feedback')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('area_levels')
