"""hold timers, guided sessions in progress, and a finished session's detail in the activity log

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'timers',
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=True),
        sa.Column('stretch_id', sa.String(length=40), nullable=False),
        sa.Column('hold_seconds', sa.SmallInteger(), nullable=False),
        sa.Column('holds', sa.SmallInteger(), nullable=False),
        sa.Column('session_token', sa.Integer(), nullable=True),
        sa.Column('session_step', sa.SmallInteger(), nullable=True),
        sa.Column('started_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('step', sa.SmallInteger(), nullable=False),
        sa.Column('next_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_timers_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_timers')),
    )
    op.create_index('ix_timers_next_at', 'timers', ['next_at'], unique=False)
    op.create_table(
        'guided_sessions',
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('token', sa.Integer(), nullable=False),
        sa.Column('routine', sa.String(length=24), nullable=True),
        sa.Column('steps', sa.JSON(), nullable=False),
        sa.Column('outcomes', sa.String(length=16), nullable=False),
        sa.Column('replaced', sa.SmallInteger(), nullable=False),
        sa.Column('started_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['users.id'],
            name=op.f('fk_guided_sessions_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_guided_sessions')),
    )
    with op.batch_alter_table('activity') as batch:
        batch.add_column(sa.Column('detail', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('activity') as batch:
        batch.drop_column('detail')
    op.drop_table('guided_sessions')
    op.drop_index('ix_timers_next_at', table_name='timers')
    op.drop_table('timers')
