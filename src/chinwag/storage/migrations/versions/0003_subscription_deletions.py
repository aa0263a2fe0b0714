"""Tombstones of ended memberships, so subscriptions.get / rooms.get can report removals;
the room role a subscription-role-added/-removed system message names; messages by the
discussion they opened; room ids up to 64 characters (a DM's id joins two user ids).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Columns that hold room ids. SQLite does not enforce lengths, so only PostgreSQL changes.
ROOM_ID_COLUMNS = (
    ("rooms", "id"),
    ("rooms", "parent_id"),
    ("subscriptions", "room_id"),
    ("messages", "room_id"),
    ("messages", "drid"),
    ("message_deletions", "room_id"),
    ("message_reports", "room_id"),
    ("invites", "room_id"),
)


def _room_ids(length: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in ROOM_ID_COLUMNS:
        op.alter_column(table, column, type_=sa.String(length=length))


def upgrade() -> None:
    _room_ids(64)
    op.create_table(
        "subscription_deletions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_deletions")),
    )
    with op.batch_alter_table("subscription_deletions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_subscription_deletions_user_id_deleted_at",
            ["user_id", "deleted_at"],
            unique=False,
        )
    # Plain ALTERs, never a batch: rebuilding `messages` on SQLite would drop its FTS triggers.
    op.add_column("messages", sa.Column("role", sa.String(length=64), nullable=True))
    op.create_index("ix_messages_drid", "messages", ["drid"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_messages_drid", table_name="messages")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE messages DROP COLUMN role")  # SQLite 3.35+, no table rebuild
    else:
        op.drop_column("messages", "role")
    with op.batch_alter_table("subscription_deletions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscription_deletions_user_id_deleted_at")
    op.drop_table("subscription_deletions")
    _room_ids(32)
