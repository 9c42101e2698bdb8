"""reminders back to private chats

An older version let a command sent in a group move the user's chat there, so their reminders
were posted in the group. A private chat's id is the user's id: put every row back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE users SET chat_id = id WHERE chat_id <> id"))


def downgrade() -> None:
    # Nothing to undo: the group chat ids were never meant to be stored.
    pass
