"""Two-factor login: the methods a user turned on, their secrets and codes (hashed), and
the "remembered" second factor of a login token.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("totp_enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "users",
        sa.Column("email2fa_enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("login_tokens", sa.Column("two_factor_until", sa.BigInteger(), nullable=True))
    op.add_column("login_tokens", sa.Column("two_factor_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "user_two_factor",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_temp_secret", sa.String(length=64), nullable=True),
        sa.Column(
            "backup_codes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("email_code_hash", sa.String(length=64), nullable=True),
        sa.Column("email_code_expires_at", sa.BigInteger(), nullable=True),
        sa.Column("email_code_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_two_factor_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_two_factor")),
    )


def downgrade() -> None:
    op.drop_table("user_two_factor")
    for table, column in (
        ("login_tokens", "two_factor_hash"),
        ("login_tokens", "two_factor_until"),
        ("users", "email2fa_enabled"),
        ("users", "totp_enabled"),
    ):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35+
        else:
            op.drop_column(table, column)
