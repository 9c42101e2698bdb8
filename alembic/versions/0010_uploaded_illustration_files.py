"""file ids of uploaded illustrations, by the drawing's digest

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'uploaded_files',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('file_id', sa.String(length=255), nullable=False),
        sa.Column('uploaded_at', bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_uploaded_files')),
    )


def downgrade() -> None:
    op.drop_table('uploaded_files')
