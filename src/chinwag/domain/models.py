"""Frozen records the actions pass around. Adapters serialize them to Rocket.Chat shapes."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class UserType(StrEnum):
    USER = "user"
    BOT = "bot"
    APP = "app"


class Status(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    BUSY = "busy"
    OFFLINE = "offline"


class RoomType(StrEnum):
    CHANNEL = "c"
    PRIVATE = "p"
    DIRECT = "d"


@dataclass(frozen=True)
class User:
    id: str
    username: str | None
    name: str
    type: UserType
    active: bool
    roles: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    email: str | None = None
    email_verified: bool = False
    nickname: str | None = None
    bio: str | None = None
    status: Status = Status.OFFLINE
    status_default: Status = Status.ONLINE
    status_connection: Status = Status.OFFLINE
    status_text: str = ""
    utc_offset: float | None = None
    language: str | None = None
    last_login: datetime | None = None
    require_password_change: bool = False
    has_password: bool = False
    preferences: dict[str, object] = field(default_factory=dict)
    custom_fields: dict[str, object] = field(default_factory=dict)
    avatar_origin: str | None = None
    avatar_etag: str | None = None
    reason: str | None = None
    invite_token: str | None = None
    invited_by: str | None = None
    totp_enabled: bool = False
    email2fa_enabled: bool = False
    restricted: bool = False  # shadow-restricted: posts reach only the user


@dataclass(frozen=True)
class UserRef:
    """The `u` of messages and rooms: who, by id and name."""

    id: str
    username: str
    name: str | None = None


@dataclass(frozen=True)
class Room:
    id: str
    type: RoomType
    name: str | None
    fname: str | None
    creator: UserRef | None
    created_at: datetime
    updated_at: datetime
    is_default: bool = False
    read_only: bool = False
    archived: bool = False
    topic: str | None = None
    description: str | None = None
    announcement: str | None = None
    users_count: int = 0
    msgs: int = 0
    seq: int = 0
    last_message_at: datetime | None = None
    join_code: str | None = None
    parent_id: str | None = None
    parent_message_id: str | None = None
    last_message_id: str | None = None
    react_when_read_only: bool = False
    sys_mes: bool = True
    muted: tuple[str, ...] = ()
    custom_fields: dict[str, object] = field(default_factory=dict)
    broadcast: bool = False
    encrypted: bool = False
    dm_user_ids: tuple[str, ...] = ()
    dm_usernames: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomState:
    """What a member's subscription shows of its room (a Room has the same fields): the
    timeline position unread counts derive from, its last change, archived, its parent."""

    seq: int
    updated_at: datetime
    archived: bool
    parent_id: str | None


@dataclass(frozen=True)
class Subscription:
    id: str
    room_id: str
    user: UserRef
    room_type: RoomType
    name: str
    fname: str | None
    joined_at: datetime
    updated_at: datetime
    last_seen: datetime | None = None
    open: bool = True
    favourite: bool = False
    roles: tuple[str, ...] = ()
    read_seq: int = 0
    user_mentions: int = 0
    group_mentions: int = 0
    last_reply_at: datetime | None = None
    ignored: tuple[str, ...] = ()
    thread_unread: tuple[str, ...] = ()
    hide_unread: bool = False
    notifications: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Invite:
    id: str
    room_id: str
    creator_id: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    days: int
    max_uses: int
    uses: int
    paused_at: datetime | None = None  # joins came too fast; an administrator resumes it


@dataclass(frozen=True)
class PersonalAccessToken:
    name: str
    created_at: datetime
    last_token_part: str
    bypass_two_factor: bool


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str
    scope: str
    protected: bool
    mandatory_2fa: bool = False
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Permission:
    id: str
    roles: tuple[str, ...]
    updated_at: datetime
    group: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class Mention:
    """Someone (or `all` / `here`) a message mentions."""

    id: str
    username: str
    name: str | None = None
    type: str = "user"


@dataclass(frozen=True)
class ChannelRef:
    id: str
    name: str


# A message's JSON documents (attachments, the parsed `md` tree, URL previews) pass through
# Chinwag as data: they are stored and returned, never interpreted by the server.
JsonDoc = dict[str, object]


@dataclass(frozen=True)
class Message:
    id: str
    room_id: str
    author: UserRef
    text: str
    created_at: datetime
    updated_at: datetime
    seq: int | None = None
    type: str | None = None  # Rocket.Chat's `t`: None for user messages, else a system type
    thread_id: str | None = None
    thread_show: bool = False
    thread_count: int = 0
    thread_last_at: datetime | None = None
    repliers: tuple[str, ...] = ()
    edited_at: datetime | None = None
    edited_by: UserRef | None = None
    pinned: bool = False
    pinned_at: datetime | None = None
    pinned_by: UserRef | None = None
    starred_by: tuple[str, ...] = ()
    reactions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # emoji -> usernames
    attachments: tuple[JsonDoc, ...] = ()
    mentions: tuple[Mention, ...] = ()
    channels: tuple[ChannelRef, ...] = ()
    md: tuple[JsonDoc, ...] | None = None
    urls: tuple[JsonDoc, ...] = ()
    alias: str | None = None
    emoji: str | None = None
    avatar: str | None = None
    groupable: bool | None = None
    bot: JsonDoc | None = None
    custom_fields: JsonDoc = field(default_factory=dict)
    discussion_id: str | None = None
    discussion_count: int | None = None
    discussion_last_at: datetime | None = None
    hidden: bool = False
    role: str | None = None  # subscription-role-added / -removed: which room role
    shadow: bool = False  # by a shadow-restricted author: shown to the author only


@dataclass(frozen=True)
class Deletion:
    message_id: str
    deleted_at: datetime


@dataclass(frozen=True)
class SignupBurst:
    """A spell of approval-only registration, switched on by a burst of sign-ups."""

    id: str
    started_at: datetime
    ends_at: datetime
    reason: str
    ended_at: datetime | None = None  # an administrator ended it early
    ended_by: str | None = None
