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
# Room ids: a one-to-one DM's id is both members' 17-character ids joined (34 characters).
RID = sa.String(64)

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
    # Two-factor methods the user has turned on (Rocket.Chat's services.totp / email2fa).
    sa.Column("totp_enabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("email2fa_enabled", sa.Boolean, nullable=False, server_default=sa.false()),
    # Shadow-restricted: the user's posts reach only the user while moderators decide.
    sa.Column("restricted", sa.Boolean, nullable=False, server_default=sa.false()),
    # The network a self-registered account signed up from (IPv4 /24, IPv6 /48), never the
    # full address: enough to see a burst from one place.
    sa.Column("signup_network", sa.String(64)),
    sa.Index("ix_users_created_at", "created_at"),
    sa.Index("ix_users_invited_by", "invited_by"),
)

# The secrets behind two-factor login, kept out of the users row so they are only read when
# a code is checked: the TOTP secret (and the one being enrolled), the backup codes and the
# mailed code, each code stored only as a hash.
user_two_factor = sa.Table(
    "user_two_factor",
    metadata,
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_temp_secret", sa.String(64)),
    sa.Column("backup_codes", Json, nullable=False, server_default="[]"),
    sa.Column("email_code_hash", sa.String(64)),
    sa.Column("email_code_expires_at", Millis),
    sa.Column("email_code_attempts", sa.Integer, nullable=False, server_default="0"),
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
    # A second factor checked on this token counts until then, from the same client only
    # (Accounts_TwoFactorAuthentication_RememberFor; the hash is of user agent and address).
    sa.Column("two_factor_until", Millis),
    sa.Column("two_factor_hash", sa.String(64)),
    sa.Index("ix_login_tokens_user_id", "user_id"),
    sa.UniqueConstraint("user_id", "name", name="uq_login_tokens_user_id_name"),
)

rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("id", RID, primary_key=True),
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
    sa.Column("parent_id", RID),
    sa.Column("parent_message_id", ID),
    sa.Column("last_message_id", ID),
    sa.Column("react_when_read_only", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("sys_mes", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("muted", Json, nullable=False, server_default="[]"),
    sa.Column("custom_fields", Json, nullable=False, server_default="{}"),
    sa.Column("broadcast", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("encrypted", sa.Boolean, nullable=False, server_default=sa.false()),
    # Direct messages: the member ids and usernames, in Rocket.Chat's `uids` / `usernames`.
    sa.Column("dm_user_ids", Json),
    sa.Column("dm_usernames", Json),
    sa.Index("ix_rooms_is_default", "is_default"),
    sa.Index("ix_rooms_parent_id", "parent_id"),
    sa.Index("ix_rooms_updated_at", "updated_at"),
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("room_id", RID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
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
    sa.Column("user_mentions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("group_mentions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_reply_at", Millis),
    sa.Column("ignored", Json, nullable=False, server_default="[]"),
    # Threads with replies this member has not read: Rocket.Chat's `tunread`.
    sa.Column("thread_unread", Json, nullable=False, server_default="[]"),
    sa.Column("hide_unread", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("notifications", Json, nullable=False, server_default="{}"),
    sa.UniqueConstraint("room_id", "user_id", name="uq_subscriptions_room_id_user_id"),
    sa.Index("ix_subscriptions_user_id", "user_id"),
    sa.Index("ix_subscriptions_user_id_updated_at", "user_id", "updated_at"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("room_id", RID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    # Position in the room's timeline; NULL for thread replies not shown in the room, so
    # unread = rooms.seq - subscriptions.read_seq counts only what the timeline shows.
    sa.Column("seq", sa.BigInteger),
    sa.Column("ts", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("user_id", ID, nullable=False),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("user_name", sa.String(200)),
    sa.Column("msg", sa.Text, nullable=False, server_default=""),
    sa.Column("t", sa.String(64)),
    sa.Column("tmid", ID),
    sa.Column("tshow", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tcount", sa.Integer, nullable=False, server_default="0"),
    sa.Column("tlm", Millis),
    sa.Column("replies", Json, nullable=False, server_default="[]"),
    sa.Column("edited_at", Millis),
    sa.Column("edited_by_id", ID),
    sa.Column("edited_by_username", sa.String(120)),
    sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("pinned_at", Millis),
    sa.Column("pinned_by_id", ID),
    sa.Column("pinned_by_username", sa.String(120)),
    sa.Column("starred", Json, nullable=False, server_default="[]"),
    sa.Column("reactions", Json, nullable=False, server_default="{}"),
    sa.Column("attachments", Json, nullable=False, server_default="[]"),
    sa.Column("mentions", Json, nullable=False, server_default="[]"),
    sa.Column("channels", Json, nullable=False, server_default="[]"),
    sa.Column("md", Json),
    sa.Column("urls", Json, nullable=False, server_default="[]"),
    sa.Column("alias", sa.String(200)),
    sa.Column("emoji", sa.String(100)),
    sa.Column("avatar", sa.String(500)),
    sa.Column("groupable", sa.Boolean),
    sa.Column("bot", Json),
    sa.Column("custom_fields", Json, nullable=False, server_default="{}"),
    sa.Column("drid", RID),
    sa.Column("dcount", sa.Integer),
    sa.Column("dlm", Millis),
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    # The room role a subscription-role-added / -removed system message is about.
    sa.Column("role", sa.String(64)),
    # Posted by a shadow-restricted user: shown to its author only.
    sa.Column("shadow", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("room_id", "seq", name="uq_messages_room_id_seq"),
    sa.Index("ix_messages_room_id_ts", "room_id", "ts"),
    sa.Index("ix_messages_room_id_updated_at", "room_id", "updated_at"),
    sa.Index("ix_messages_tmid_ts", "tmid", "ts"),
    sa.Index("ix_messages_user_id_ts", "user_id", "ts"),
    sa.Index("ix_messages_drid", "drid"),
)

# Tombstones of deleted messages, for clients catching up (chat.syncMessages, getDeletedMessages).
message_deletions = sa.Table(
    "message_deletions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("room_id", RID, nullable=False),
    sa.Column("deleted_at", Millis, nullable=False),
    sa.Index("ix_message_deletions_room_id_deleted_at", "room_id", "deleted_at"),
)

# Tombstones of ended memberships (left, removed, room deleted), for clients catching up
# (subscriptions.get and rooms.get with updatedSince report them under `remove`).
subscription_deletions = sa.Table(
    "subscription_deletions",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("room_id", RID, nullable=False),
    sa.Column("user_id", ID, nullable=False),
    sa.Column("deleted_at", Millis, nullable=False),
    sa.Index("ix_subscription_deletions_user_id_deleted_at", "user_id", "deleted_at"),
)

thread_followers = sa.Table(
    "thread_followers",
    metadata,
    sa.Column("tmid", ID, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", ID, primary_key=True),
    sa.Index("ix_thread_followers_user_id", "user_id"),
)

message_reports = sa.Table(
    "message_reports",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("message_id", ID, nullable=False),
    sa.Column("room_id", RID, nullable=False),
    sa.Column("reported_by", ID, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("ts", Millis, nullable=False),
    # A copy of the message as it was reported: edits and deletions do not change it.
    sa.Column("message", Json, nullable=False),
    # The reported message's author, so reports group by user without reading the copy.
    sa.Column("reported_user_id", ID),
    # Dismissed (Rocket.Chat's `_hidden` and `moderationInfo`).
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("moderated_by", ID),
    sa.Column("moderated_at", Millis),
    sa.Column("moderation_reason", sa.Text),
    sa.Column("moderation_action", sa.String(64)),
    sa.Index("ix_message_reports_message_id", "message_id"),
    sa.Index("ix_message_reports_reported_user_id", "reported_user_id"),
    sa.Index("ix_message_reports_ts", "ts"),
)

# moderation.reportUser: a report about a person, with a copy of who they were.
user_reports = sa.Table(
    "user_reports",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("user_id", ID, nullable=False),
    sa.Column("reported_by", ID, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("ts", Millis, nullable=False),
    sa.Column("user", Json, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("moderated_by", ID),
    sa.Column("moderated_at", Millis),
    sa.Column("moderation_reason", sa.Text),
    sa.Column("moderation_action", sa.String(64)),
    sa.Index("ix_user_reports_user_id", "user_id"),
    sa.Index("ix_user_reports_ts", "ts"),
)

# Earlier versions of edited messages: what a message said before each edit.
message_edits = sa.Table(
    "message_edits",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("message_id", ID, nullable=False),
    sa.Column("room_id", RID, nullable=False),
    sa.Column("edited_at", Millis, nullable=False),
    sa.Column("edited_by", ID),
    # The message as it was before this edit (the stored row, as JSON).
    sa.Column("previous", Json, nullable=False),
    sa.Index("ix_message_edits_message_id_edited_at", "message_id", "edited_at"),
)

# Rooms taken down with `block`: their names cannot be taken again.
reserved_room_names = sa.Table(
    "reserved_room_names",
    metadata,
    sa.Column("name_lower", sa.String(200), primary_key=True),
    sa.Column("room_id", RID, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reserved_by", ID, nullable=False),
    sa.Column("reserved_at", Millis, nullable=False),
)

# Successful logins (REST and DDP): kept Chinwag_Login_History_Days, then pruned, except the
# copies inside evidence bundles.
login_events = sa.Table(
    "login_events",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("user_id", ID, nullable=False),
    sa.Column("ts", Millis, nullable=False),
    sa.Column("ip", sa.String(64)),
    sa.Column("user_agent", sa.Text),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Index("ix_login_events_user_id_ts", "user_id", "ts"),
    sa.Index("ix_login_events_ts", "ts"),
)

# The audit trail: append-only, each entry chained to its predecessor by SHA-256.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("id", ID, nullable=False, unique=True),
    sa.Column("ts", Millis, nullable=False),
    sa.Column("actor_id", ID),
    sa.Column("actor_username", sa.String(120)),
    sa.Column("ip", sa.String(64)),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("target_type", sa.String(32)),
    sa.Column("target_id", sa.String(200)),
    sa.Column("before", Json),
    sa.Column("after", Json),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_log_ts", "ts"),
    sa.Index("ix_audit_log_actor_id_ts", "actor_id", "ts"),
    sa.Index("ix_audit_log_action_ts", "action", "ts"),
    sa.Index("ix_audit_log_target_id_ts", "target_id", "ts"),
)

# Evidence kept before a takedown, under legal hold: never pruned, never deleted through the
# API. Its files are stored whole, with a manifest of their SHA-256 hashes.
evidence_bundles = sa.Table(
    "evidence_bundles",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("created_by", ID, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("target_id", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("legal_hold", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("manifest", Json, nullable=False),
    sa.Column("manifest_sha256", sa.String(64), nullable=False),
    sa.Index("ix_evidence_bundles_created_at", "created_at"),
)

evidence_files = sa.Table(
    "evidence_files",
    metadata,
    sa.Column("bundle_id", ID, sa.ForeignKey("evidence_bundles.id"), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

invites = sa.Table(
    "invites",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("room_id", RID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    sa.Column("creator_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("expires_at", Millis),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("max_uses", sa.Integer, nullable=False),
    sa.Column("uses", sa.Integer, nullable=False, server_default="0"),
    # Set when joins through the link came too fast; an administrator resumes it.
    sa.Column("paused_at", Millis),
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

# Spells of approval-only registration, switched on by a burst of sign-ups: one row each.
# The spell holds while now < ends_at and no administrator has ended it.
signup_bursts = sa.Table(
    "signup_bursts",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("started_at", Millis, nullable=False),
    sa.Column("ends_at", Millis, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("ended_at", Millis),
    sa.Column("ended_by", ID),
    sa.Index("ix_signup_bursts_ends_at", "ends_at"),
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

# Single-use links mailed to a user: email verification ("verify") and password reset
# ("reset"). Only a hash of the token is kept, as for login tokens.
email_tokens = sa.Table(
    "email_tokens",
    metadata,
    sa.Column("hashed_token", sa.String(64), primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    # The address the link was mailed to: it verifies that address only.
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("expires_at", Millis),
    sa.Index("ix_email_tokens_user_id", "user_id"),
)

# Outgoing mail, written in the transaction of the action that causes it and delivered by a
# background sender (several processes claim rows with FOR UPDATE SKIP LOCKED on PostgreSQL).
mail_queue = sa.Table(
    "mail_queue",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("to_address", sa.String(320), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    # Emptied once sent: a delivered mail keeps no working link in the database.
    sa.Column("text_body", sa.Text, nullable=False),
    sa.Column("html_body", sa.Text),
    sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("next_attempt_at", Millis, nullable=False),
    # While `sending`: when the claim lapses and another sender may take the mail.
    sa.Column("locked_until", Millis),
    sa.Column("created_at", Millis, nullable=False),
    sa.Column("updated_at", Millis, nullable=False),
    sa.Column("sent_at", Millis),
    sa.Index("ix_mail_queue_state_next_attempt_at", "state", "next_attempt_at"),
    sa.Index("ix_mail_queue_created_at", "created_at"),
)
