"""The events the actions emit, in the past tense. Adapters turn them into stream messages."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    """Base of every event; `topics` says who may hear it."""

    @property
    def topics(self) -> tuple[str, ...]:
        return ("logged",)


@dataclass(frozen=True)
class UserCreated(Event):
    user_id: str


@dataclass(frozen=True)
class UserUpdated(Event):
    user_id: str
    fields: tuple[str, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}", "logged")


@dataclass(frozen=True)
class UserDeleted(Event):
    user_id: str


@dataclass(frozen=True)
class UserStatusChanged(Event):
    user_id: str
    username: str
    status: str
    status_text: str


@dataclass(frozen=True)
class UserLoggedOut(Event):
    """Every session of the user must end (token revoked, account deactivated), except the
    one resumed with the token hashed as `kept_token_hash` when that is given."""

    user_id: str
    kept_token_hash: str | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}",)


@dataclass(frozen=True)
class TokenRevoked(Event):
    """Some of a user's tokens (a logout, a removed access token) no longer authenticate."""

    user_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}",)


@dataclass(frozen=True)
class UserTyping(Event):
    """Ephemeral: published straight to the bus, nothing is stored."""

    room_id: str
    username: str
    activities: tuple[str, ...]  # ("user-typing",) while typing, () when stopped

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class MessageSent(Event):
    room_id: str
    message_id: str
    thread_id: str | None = None
    direct: bool = False  # in a direct message room: every other member is notified
    # The room's sequence number at this message (None off the timeline): where a process
    # that missed events catches up from. Not part of the event's identity.
    seq: int | None = field(default=None, compare=False)

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class RoomCreated(Event):
    room_id: str
    user_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class UserJoinedRoom(Event):
    room_id: str
    user_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}", f"user:{self.user_id}")


@dataclass(frozen=True)
class SettingChanged(Event):
    setting_id: str
    public: bool

    @property
    def topics(self) -> tuple[str, ...]:
        return ("all",) if self.public else ("logged",)


@dataclass(frozen=True)
class PermissionsChanged(Event):
    permission_ids: tuple[str, ...]


@dataclass(frozen=True)
class RoleChanged(Event):
    """A role was created, deleted, or given to or taken from a user."""

    role_id: str
    action: str  # "added" | "removed" | "changed" | "deleted"
    user_id: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class InviteUsed(Event):
    """The invite id is its token: it goes to the joiner alone, never to every session."""

    invite_id: str
    room_id: str
    user_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}",)


@dataclass(frozen=True)
class InviteCreated(Event):
    invite_id: str
    room_id: str
    creator_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.creator_id}",)


@dataclass(frozen=True)
class InviteRemoved(Event):
    invite_id: str
    room_id: str
    by: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.by}",)


@dataclass(frozen=True)
class RoomUpdated(Event):
    """A room's settings changed (name, topic, type, read-only, archived...)."""

    room_id: str
    fields: tuple[str, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class RoomDeleted(Event):
    """A room and its messages are gone; `user_ids` were its members."""

    room_id: str
    user_ids: tuple[str, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}", *(f"user:{u}" for u in self.user_ids))


@dataclass(frozen=True)
class UserLeftRoom(Event):
    room_id: str
    user_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}", f"user:{self.user_id}")


@dataclass(frozen=True)
class UserRemovedFromRoom(Event):
    room_id: str
    user_id: str
    by: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}", f"user:{self.user_id}")


@dataclass(frozen=True)
class SubscriptionChanged(Event):
    """One member's view of a room changed (read, unread, opened, hidden, favourite, roles)."""

    room_id: str
    user_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}",)


@dataclass(frozen=True)
class RoomHistoryCleaned(Event):
    """Messages were deleted in bulk (rooms.cleanHistory)."""

    room_id: str
    message_ids: tuple[str, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class MessageUpdated(Event):
    """A message's text or fields changed (edited, pinned, starred, followed...)."""

    room_id: str
    message_id: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class MessageDeleted(Event):
    """A message is gone (or, as a thread's first message, left as a "removed" placeholder)."""

    room_id: str
    message_id: str
    thread_id: str | None = None
    placeholder: bool = False

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class ReactionChanged(Event):
    room_id: str
    message_id: str
    emoji: str  # ":name:"
    username: str
    reacted: bool

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class MessagePinned(Event):
    room_id: str
    message_id: str
    by: str
    pinned: bool = True

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class MessageStarred(Event):
    room_id: str
    message_id: str
    user_id: str
    starred: bool

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}",)


@dataclass(frozen=True)
class ThreadFollowed(Event):
    room_id: str
    thread_id: str
    user_id: str
    following: bool

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"room:{self.room_id}", f"user:{self.user_id}")


@dataclass(frozen=True)
class UserIgnored(Event):
    """A member hides (or shows again) another member's messages in one room."""

    room_id: str
    user_id: str
    ignored_user_id: str
    ignored: bool

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}",)


@dataclass(frozen=True)
class MessageReported(Event):
    """Heard by the reporter's sessions only; moderators read reports from the store."""

    report_id: str
    message_id: str
    room_id: str
    by: str

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.by}",)


@dataclass(frozen=True)
class UserSignalled(Event):
    """A client relayed a call-signalling event (webrtc, otr) to another user's sockets."""

    user_id: str
    event_name: str  # "<uid>/webrtc"
    args: tuple[object, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        return (f"user:{self.user_id}",)


@dataclass(frozen=True)
class MailQueued(Event):
    """Mail is waiting in the queue: wakes the senders (topic `mail`; no session hears it)."""

    count: int

    @property
    def topics(self) -> tuple[str, ...]:
        return ("mail",)
