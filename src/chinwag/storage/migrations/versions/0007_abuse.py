"""Abuse detection: the network an account signed up from, paused invite links, and spells
of approval-only registration after a burst of sign-ups.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("signup_network", sa.String(length=64), nullable=True))
    op.add_column("invites", sa.Column("paused_at", sa.BigInteger(), nullable=True))
    op.create_table(
        "signup_bursts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ends_at", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("ended_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_bursts")),
    )
    op.create_index(op.f("ix_signup_bursts_ends_at"), "signup_bursts", ["ends_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_signup_bursts_ends_at"), table_name="signup_bursts")
    op.drop_table("signup_bursts")
    op.drop_column("invites", "paused_at")
    op.drop_column("users", "signup_network")
