"""Moderation: user reports and dismissed reports, message edit history, shadow restriction,
reserved room names, login history, the audit trail and evidence bundles.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _moderation_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("moderated_by", sa.String(length=32), nullable=True),
        sa.Column("moderated_at", sa.BigInteger(), nullable=True),
        sa.Column("moderation_reason", sa.Text(), nullable=True),
        sa.Column("moderation_action", sa.String(length=64), nullable=True),
    ]


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("restricted", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_index("ix_users_invited_by", "users", ["invited_by"])
    op.add_column(
        "messages", sa.Column("shadow", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "message_reports", sa.Column("reported_user_id", sa.String(length=32), nullable=True)
    )
    for column in _moderation_columns():
        op.add_column("message_reports", column)
    _backfill_reported_users()
    op.create_index("ix_message_reports_reported_user_id", "message_reports", ["reported_user_id"])
    op.create_index("ix_message_reports_ts", "message_reports", ["ts"])
    op.create_table(
        "user_reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("reported_by", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("user", JSON, nullable=False),
        *_moderation_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_reports")),
    )
    op.create_index("ix_user_reports_user_id", "user_reports", ["user_id"])
    op.create_index("ix_user_reports_ts", "user_reports", ["ts"])
    op.create_table(
        "message_edits",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.String(length=64), nullable=False),
        sa.Column("edited_at", sa.BigInteger(), nullable=False),
        sa.Column("edited_by", sa.String(length=32), nullable=True),
        sa.Column("previous", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_edits")),
    )
    op.create_index(
        "ix_message_edits_message_id_edited_at", "message_edits", ["message_id", "edited_at"]
    )
    op.create_table(
        "reserved_room_names",
        sa.Column("name_lower", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reserved_by", sa.String(length=32), nullable=False),
        sa.Column("reserved_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name_lower", name=op.f("pk_reserved_room_names")),
    )
    op.create_table(
        "login_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_events")),
    )
    op.create_index("ix_login_events_user_id_ts", "login_events", ["user_id", "ts"])
    op.create_index("ix_login_events_ts", "login_events", ["ts"])
    _create_audit_log()
    _create_evidence()


def _backfill_reported_users() -> None:
    reports = sa.table(
        "message_reports",
        sa.column("id", sa.String),
        sa.column("message", sa.JSON),
        sa.column("reported_user_id", sa.String),
    )
    bind = op.get_bind()
    for report_id, message in bind.execute(sa.select(reports.c.id, reports.c.message)).all():
        author = message.get("user_id") if isinstance(message, dict) else None
        if author:
            bind.execute(
                reports.update().where(reports.c.id == report_id).values(reported_user_id=author)
            )


def _create_audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("actor_username", sa.String(length=120), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.String(length=200), nullable=True),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_log_id")),
    )
    op.create_index("ix_audit_log_ts", "audit_log", ["ts"])
    op.create_index("ix_audit_log_actor_id_ts", "audit_log", ["actor_id", "ts"])
    op.create_index("ix_audit_log_action_ts", "audit_log", ["action", "ts"])
    op.create_index("ix_audit_log_target_id_ts", "audit_log", ["target_id", "ts"])


def _create_evidence() -> None:
    op.create_table(
        "evidence_bundles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_hold", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("manifest", JSON, nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_bundles")),
    )
    op.create_index("ix_evidence_bundles_created_at", "evidence_bundles", ["created_at"])
    op.create_table(
        "evidence_files",
        sa.Column("bundle_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_id"],
            ["evidence_bundles.id"],
            name=op.f("fk_evidence_files_bundle_id_evidence_bundles"),
        ),
        sa.PrimaryKeyConstraint("bundle_id", "name", name=op.f("pk_evidence_files")),
    )


def downgrade() -> None:
    for table in (
        "evidence_files",
        "evidence_bundles",
        "audit_log",
        "login_events",
        "reserved_room_names",
        "message_edits",
        "user_reports",
    ):
        op.drop_table(table)
    op.drop_index("ix_message_reports_ts", "message_reports")
    op.drop_index("ix_message_reports_reported_user_id", "message_reports")
    op.drop_index("ix_users_invited_by", "users")
    columns = [("message_reports", c.name) for c in _moderation_columns()]
    columns += [
        ("message_reports", "reported_user_id"),
        ("messages", "shadow"),
        ("users", "restricted"),
    ]
    for table, column in columns:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35+
        else:
            op.drop_column(table, column)
