"""claim order: who waited longer last time goes first among reminders due together

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = {
    'ix_users_next_due_at_active': ('next_due_at', 'active = 1', 'active'),
    'ix_users_snooze_due_at_active': (
        'snooze_due_at',
        'active = 1 AND snooze_due_at IS NOT NULL',
        'active AND snooze_due_at IS NOT NULL',
    ),
    'ix_users_weekly_due_at_active': (
        'weekly_due_at',
        'active = 1 AND weekly_due_at IS NOT NULL',
        'active AND weekly_due_at IS NOT NULL',
    ),
    'ix_users_checkin_due_at_active': (
        'checkin_due_at',
        'active = 1 AND checkin_due_at IS NOT NULL',
        'active AND checkin_due_at IS NOT NULL',
    ),
}


def upgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column(
                'last_lateness_seconds', sa.Integer(), server_default=sa.text('0'), nullable=False
            )
        )
    # Outside the batch: SQLite creates and drops indexes in place, and the batch's table copy
    # cannot carry an index on a DESC expression.
    for name, (column, sqlite_where, postgresql_where) in _WHERE.items():
        op.drop_index(name, table_name='users')
        op.create_index(
            name,
            'users',
            [column, sa.text('last_lateness_seconds DESC')],
            unique=False,
            sqlite_where=sa.text(sqlite_where),
            postgresql_where=sa.text(postgresql_where),
        )


def downgrade() -> None:
    for name, (column, sqlite_where, postgresql_where) in _WHERE.items():
        op.drop_index(name, table_name='users')
        op.create_index(
            name,
            'users',
            [column],
            unique=False,
            sqlite_where=sa.text(sqlite_where),
            postgresql_where=sa.text(postgresql_where),
        )
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('last_lateness_seconds')
