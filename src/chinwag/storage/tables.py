"""The schema, as SQLAlchemy Core tables. Migrations in storage/migrations follow it."""

import sqlalchemy as sa

from chinwag.storage.types import Json, Millis

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = sa.String(32)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("username", sa.String(120)),
    sa.Column("username_lower", sa.String(120), unique=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("nickname", sa.String(200)),
    sa.Column("bio", sa.Text),
    sa.Column("email", sa.String(320)),
    sa.Column("email_lower", sa.String(320), unique=True),
    sa.Column("email_verified", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("type", sa.String(16), nullable=False, server_default="user"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("status", sa.String(16), nullable=False, server_default="offline"),
    sa.Column("status_default", sa.String(16), nullable=False, server_default="online"),
    sa.Column("status_connection", sa.String(16), nullable=False, server_default="offline"),
    sa.Column("status_text", sa.String(300), nullable=False, server_default=""),
    sa.Column("utc_offset", sa.Float),
    sa.Column("language", sa.String(16)),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("last_login", Millis),
    sa.Column("password_hash", sa.String(100)),
    sa.Column("require_password_change", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("preferences", Json, nullable=False, server_default="{}"),
    sa.Column("custom_fields", Json, nullable=False, server_default="{}"),
    sa.Column("avatar_origin", sa.String(16)),
    sa.Column("avatar_etag", sa.String(32)),
    sa.Column("reason", sa.Text),
    sa.Column("invite_token", sa.String(64)),
    sa.Column("invited_by", ID),
    sa.Index("ix_users_created_at", "created_at"),
)

user_roles = sa.Table(
    "user_roles",
    metadata,
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role_id", sa.String(64), primary_key=True),
    sa.Index("ix_user_roles_role_id", "role_id"),
)

login_tokens = sa.Table(
    "login_tokens",
    metadata,
    sa.Column("hashed_token", sa.String(64), primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("expires_at", Millis),
    # "" for a login token, "personalAccessToken" for a PAT, as Rocket.Chat's `type`.
    sa.Column("kind", sa.String(32), nullable=False, server_default=""),
    sa.Column("name", sa.String(200)),
    sa.Column("last_token_part", sa.String(8)),
    sa.Column("bypass_two_factor", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_login_tokens_user_id", "user_id"),
    sa.UniqueConstraint("user_id", "name", name="uq_login_tokens_user_id_name"),
)

rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("type", sa.String(1), nullable=False),
    sa.Column("name", sa.String(200)),
    sa.Column("name_lower", sa.String(200), unique=True),
    sa.Column("fname", sa.String(200)),
    sa.Column("creator_id", ID),
    sa.Column("creator_username", sa.String(120)),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("read_only", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("topic", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("announcement", sa.Text),
    sa.Column("users_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("msgs", sa.Integer, nullable=False, server_default="0"),
    # The rising message sequence number: unread = seq - subscription.read_seq.
    sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("last_message_at", Millis),
    sa.Column("join_code", sa.String(200)),
    sa.Column("parent_id", ID),
    sa.Index("ix_rooms_is_default", "is_default"),
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("room_id", ID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("room_type", sa.String(1), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("fname", sa.String(200)),
    sa.Column("joined_at", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("last_seen", Millis),
    sa.Column("open", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("favourite", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("roles", Json, nullable=False, server_default="[]"),
    sa.Column("read_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.UniqueConstraint("room_id", "user_id", name="uq_subscriptions_room_id_user_id"),
    sa.Index("ix_subscriptions_user_id", "user_id"),
)

invites = sa.Table(
    "invites",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("room_id", ID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    sa.Column("creator_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("expires_at", Millis),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("max_uses", sa.Integer, nullable=False),
    sa.Column("uses", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_invites_creator_id_room_id", "creator_id", "room_id"),
    sa.Index("ix_invites_room_id", "room_id"),
)

invite_uses = sa.Table(
    "invite_uses",
    metadata,
    sa.Column("invite_id", sa.String(64), primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("used_at", Millis, nullable=False),
    sa.Column("registered", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_invite_uses_user_id", "user_id"),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("value", Json),
    sa.Column("updated_at", Millis, nullable=False),
)

roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("scope", sa.String(16), nullable=False, server_default="Users"),
    sa.Column("protected", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("mandatory_2fa", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", Millis, nullable=False),
)

permissions = sa.Table(
    "permissions",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("roles", Json, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
)

statistics = sa.Table(
    "statistics",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("data", Json, nullable=False),
    sa.Index("ix_statistics_created_at", "created_at"),
)
