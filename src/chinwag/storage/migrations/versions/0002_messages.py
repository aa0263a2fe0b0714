"""Messages, threads, reports, deletions; room and subscription fields for chat.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_deletions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_deletions")),
    )
    with op.batch_alter_table("message_deletions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_message_deletions_room_id_deleted_at", ["room_id", "deleted_at"], unique=False
        )

    op.create_table(
        "message_reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("reported_by", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column(
            "message",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_reports")),
    )
    with op.batch_alter_table("message_reports", schema=None) as batch_op:
        batch_op.create_index("ix_message_reports_message_id", ["message_id"], unique=False)

    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=True),
        sa.Column("msg", sa.Text(), server_default="", nullable=False),
        sa.Column("t", sa.String(length=64), nullable=True),
        sa.Column("tmid", sa.String(length=32), nullable=True),
        sa.Column("tshow", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("tcount", sa.Integer(), server_default="0", nullable=False),
        sa.Column("tlm", sa.BigInteger(), nullable=True),
        sa.Column(
            "replies",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("edited_at", sa.BigInteger(), nullable=True),
        sa.Column("edited_by_id", sa.String(length=32), nullable=True),
        sa.Column("edited_by_username", sa.String(length=120), nullable=True),
        sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pinned_at", sa.BigInteger(), nullable=True),
        sa.Column("pinned_by_id", sa.String(length=32), nullable=True),
        sa.Column("pinned_by_username", sa.String(length=120), nullable=True),
        sa.Column(
            "starred",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column(
            "reactions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "attachments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column(
            "mentions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column(
            "channels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column(
            "md",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "urls",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("alias", sa.String(length=200), nullable=True),
        sa.Column("emoji", sa.String(length=100), nullable=True),
        sa.Column("avatar", sa.String(length=500), nullable=True),
        sa.Column("groupable", sa.Boolean(), nullable=True),
        sa.Column(
            "bot",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "custom_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("drid", sa.String(length=32), nullable=True),
        sa.Column("dcount", sa.Integer(), nullable=True),
        sa.Column("dlm", sa.BigInteger(), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_messages_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("room_id", "seq", name="uq_messages_room_id_seq"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_room_id_ts", ["room_id", "ts"], unique=False)
        batch_op.create_index(
            "ix_messages_room_id_updated_at", ["room_id", "updated_at"], unique=False
        )
        batch_op.create_index("ix_messages_tmid_ts", ["tmid", "ts"], unique=False)
        batch_op.create_index("ix_messages_user_id_ts", ["user_id", "ts"], unique=False)

    op.create_table(
        "thread_followers",
        sa.Column("tmid", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tmid"],
            ["messages.id"],
            name=op.f("fk_thread_followers_tmid_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tmid", "user_id", name=op.f("pk_thread_followers")),
    )
    with op.batch_alter_table("thread_followers", schema=None) as batch_op:
        batch_op.create_index("ix_thread_followers_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_message_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("last_message_id", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column(
                "react_when_read_only", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("sys_mes", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "muted",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "custom_fields",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="{}",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("broadcast", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("encrypted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "dm_user_ids",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "dm_usernames",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.create_index("ix_rooms_parent_id", ["parent_id"], unique=False)
        batch_op.create_index("ix_rooms_updated_at", ["updated_at"], unique=False)

    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("user_mentions", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("group_mentions", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("last_reply_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "ignored",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "thread_unread",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("hide_unread", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "notifications",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="{}",
                nullable=False,
            )
        )
        batch_op.create_index(
            "ix_subscriptions_user_id_updated_at", ["user_id", "updated_at"], unique=False
        )

    _create_search()


def _create_search() -> None:
    """Full-text search over message text: FTS5 on SQLite, a tsvector with GIN on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        # The room id is an indexed column too, so "in this room" is part of the FTS match.
        op.execute(
            "CREATE VIRTUAL TABLE messages_fts USING fts5("
            "msg, room_id, content='messages', content_rowid='rowid', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN "
            "INSERT INTO messages_fts(rowid, msg, room_id) "
            "VALUES (new.rowid, new.msg, new.room_id); "
            "END"
        )
        op.execute(
            "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
            "INSERT INTO messages_fts(messages_fts, rowid, msg, room_id) "
            "VALUES ('delete', old.rowid, old.msg, old.room_id); END"
        )
        op.execute(
            "CREATE TRIGGER messages_fts_update AFTER UPDATE OF msg ON messages BEGIN "
            "INSERT INTO messages_fts(messages_fts, rowid, msg, room_id) "
            "VALUES ('delete', old.rowid, old.msg, old.room_id); "
            "INSERT INTO messages_fts(rowid, msg, room_id) "
            "VALUES (new.rowid, new.msg, new.room_id); "
            "END"
        )
    else:
        op.execute(
            "ALTER TABLE messages ADD COLUMN search tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(msg, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_messages_search ON messages USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS messages_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS messages_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_messages_search")
        op.execute("ALTER TABLE messages DROP COLUMN IF EXISTS search")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_user_id_updated_at")
        batch_op.drop_column("notifications")
        batch_op.drop_column("hide_unread")
        batch_op.drop_column("thread_unread")
        batch_op.drop_column("ignored")
        batch_op.drop_column("last_reply_at")
        batch_op.drop_column("group_mentions")
        batch_op.drop_column("user_mentions")

    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_index("ix_rooms_updated_at")
        batch_op.drop_index("ix_rooms_parent_id")
        batch_op.drop_column("dm_usernames")
        batch_op.drop_column("dm_user_ids")
        batch_op.drop_column("encrypted")
        batch_op.drop_column("broadcast")
        batch_op.drop_column("custom_fields")
        batch_op.drop_column("muted")
        batch_op.drop_column("sys_mes")
        batch_op.drop_column("react_when_read_only")
        batch_op.drop_column("last_message_id")
        batch_op.drop_column("parent_message_id")

    with op.batch_alter_table("thread_followers", schema=None) as batch_op:
        batch_op.drop_index("ix_thread_followers_user_id")

    op.drop_table("thread_followers")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_user_id_ts")
        batch_op.drop_index("ix_messages_tmid_ts")
        batch_op.drop_index("ix_messages_room_id_updated_at")
        batch_op.drop_index("ix_messages_room_id_ts")

    op.drop_table("messages")
    with op.batch_alter_table("message_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_message_reports_message_id")

    op.drop_table("message_reports")
    with op.batch_alter_table("message_deletions", schema=None) as batch_op:
        batch_op.drop_index("ix_message_deletions_room_id_deleted_at")

    op.drop_table("message_deletions")
