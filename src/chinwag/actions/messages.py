"""Sending messages: checks, the message row, room counters, threads, mentions, events."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from chinwag.actions.access import can, can_in_room
from chinwag.actions.deps import Deps
from chinwag.actions.newcomers import require_may_post_in_dm
from chinwag.actions.rooms import can_read
from chinwag.domain.errors import ChinwagError, room_not_found
from chinwag.domain.ids import random_id
from chinwag.domain.markdown import parse as parse_markdown
from chinwag.domain.models import (
    ChannelRef,
    JsonDoc,
    Mention,
    Message,
    Room,
    RoomType,
    Subscription,
    User,
)
from chinwag.events.types import MessageSent, MessageUpdated
from chinwag.storage.uow import UnitOfWork

# Rocket.Chat's mention patterns: after start, space or markup, a name of its allowed characters.
USER_MENTION = re.compile(r"(?:^|(?<=[\s>_*~(]))@([0-9a-zA-Z\-_.]+(?:@[0-9a-zA-Z\-_.]+)?)")
CHANNEL_MENTION = re.compile(r"(?:^|(?<=[\s>_*~(]))#([0-9a-zA-Z\-_.]+)")
GROUP_MENTIONS = ("all", "here")
# Links in a message become its `urls` (Rocket.Chat fills previews in later, when enabled).
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
MAX_URLS = 10
MAX_ID = 32


@dataclass(frozen=True)
class NewMessage:
    room_id: str
    text: str
    message_id: str | None = None
    thread_id: str | None = None
    thread_show: bool = False
    alias: str | None = None
    emoji: str | None = None
    avatar: str | None = None
    attachments: tuple[JsonDoc, ...] = ()
    custom_fields: JsonDoc = field(default_factory=dict)
    groupable: bool | None = None
    type: str | None = None  # a system message type; only the server writes these


def find_urls(text: str) -> list[dict[str, object]]:
    """Rocket.Chat's `urls`: each distinct link in the text, without trailing punctuation."""
    found = [u.rstrip(".,;:!?)]}") for u in URL.findall(text)]
    return [{"url": u} for u in dict.fromkeys(found)][:MAX_URLS]


def message_not_found() -> ChinwagError:
    return ChinwagError("error-message-not-found", "Message not found")


@dataclass(frozen=True)
class MessageAccess:
    """A message the caller may read, with its room and the caller's membership."""

    message: Message
    room: Room
    subscription: Subscription | None


async def access_message(
    deps: Deps,
    uow: UnitOfWork,
    actor: User,
    message_id: str,
    for_update: bool = False,
    not_found: Callable[[], ChinwagError] = message_not_found,
) -> MessageAccess:
    """Fetch a message the caller may read; to anyone else it does not exist (`not_found`)."""
    message = await uow.messages.find_message(message_id, for_update=for_update)
    room = await uow.rooms.find_room(message.room_id) if message else None
    if message is None or room is None:
        raise not_found()
    if message.shadow and message.author.id != actor.id:
        raise not_found()  # a shadow-restricted post exists for its author only
    subscription = await uow.rooms.find_subscription(room.id, actor.id)
    if not can_read(deps, actor, room, subscription):
        raise not_found()
    return MessageAccess(message, room, subscription)


def require_not_archived(room: Room) -> None:
    if room.archived:
        raise ChinwagError("error-room-archived", "Room is archived")


async def send_message(deps: Deps, actor: User, new: NewMessage) -> Message:
    """Post a user's message. Emits MessageSent after commit, and MessageUpdated for the first
    message of the thread a reply joins (its reply count changed)."""
    _check_content(deps, actor, new)
    async with deps.uow() as uow:
        room, subscription = await uow.rooms.find_room_for(new.room_id, actor.id)
        if room is None:
            raise room_not_found()
        await require_can_post(deps, uow, actor, room, subscription)
        message = await insert_message(deps, uow, actor, room, new, last=True)
    return message


def _check_content(deps: Deps, actor: User, new: NewMessage) -> None:
    limit = deps.settings.int("Message_MaxAllowedSize")
    if len(new.text) > limit:
        raise ChinwagError(
            "error-message-size-exceeded", f"Message size exceeds {limit} characters"
        )
    if not new.text.strip() and not new.attachments:
        raise ChinwagError("error-invalid-message", "The message is empty")
    if (new.alias or new.avatar) and not can(deps, actor, "message-impersonate"):
        raise ChinwagError("error-action-not-allowed", "Not allowed to change alias or avatar")
    if new.message_id is not None and not (0 < len(new.message_id) <= MAX_ID):
        raise ChinwagError("error-invalid-message-id", "Invalid message id")


async def require_can_post(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, subscription: Subscription | None
) -> None:
    """Rocket.Chat's canSendMessage: readable, a member (but of public channels), not archived,
    not read-only (without post-readonly), not muted. `subscription`: the actor's to `room`."""
    if not can_read(deps, actor, room, subscription):
        raise room_not_found()
    if subscription is None and room.type != RoomType.CHANNEL:
        raise room_not_found()
    require_not_archived(room)
    if room.read_only and not await can_in_room(deps, uow, actor, "post-readonly", room.id):
        raise ChinwagError(
            "error-action-not-allowed", "You can't send messages because the room is readonly."
        )
    if actor.username in room.muted:
        raise ChinwagError("error-user-muted", "You have been muted and cannot post in this room")
    if room.type == RoomType.DIRECT:
        await require_may_post_in_dm(deps, uow, actor, room)


async def insert_message(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, new: NewMessage, last: bool = False
) -> Message:
    """Write a message and everything it counts toward; a fixed number of statements.

    `last`: the caller's transaction writes nothing after this, so where the message counts
    toward nothing beyond its room's timeline, its last statement can end the transaction
    (`Conn.run_last`)."""
    thread_id = await _thread_root(uow, room, new.thread_id)
    message_id = new.message_id or random_id()
    if new.message_id and await uow.messages.find_message(message_id):
        raise ChinwagError("error-message-already-exists", "A message with this id exists")
    mentions = await find_mentions(deps, uow, actor, room, new.text) if not new.type else ()
    channels = await find_channel_mentions(uow, new.text) if not new.type else ()
    now = deps.clock.now()
    in_timeline = thread_id is None or new.thread_show
    values = {
        "id": message_id,
        "room_id": room.id,
        "ts": now,
        "updated_at": now,
        "user_id": actor.id,
        "username": actor.username or "",
        "user_name": actor.name,
        "msg": new.text,
        "t": new.type,
        "tmid": thread_id,
        "tshow": bool(thread_id and new.thread_show),
        "attachments": list(new.attachments),
        "mentions": [m.__dict__ for m in mentions],
        "channels": [c.__dict__ for c in channels],
        "md": parse_markdown(new.text) if not new.type else None,
        "urls": find_urls(new.text) if not new.type else [],
        "alias": new.alias,
        "emoji": new.emoji,
        "avatar": new.avatar,
        "groupable": new.groupable,
        "custom_fields": new.custom_fields,
        "shadow": actor.restricted,
    }
    counts = _counts(actor, room, thread_id, mentions)
    seq: int | None = None
    if in_timeline:  # counted, written and read by its author (one's own post is read)
        message = await uow.messages.insert_timeline_message(
            values, read_by=actor.id, last=last and not counts.any
        )
        seq = message.seq
    else:  # a reply only in its thread: counted in the room, but no timeline position
        await uow.messages.next_seq(room.id, message_id, now, in_timeline=False)
        message = await uow.messages.insert_message({**values, "seq": None})
    await _count(uow, actor, room, counts, now)
    uow.emit(
        MessageSent(
            room_id=room.id,
            message_id=message_id,
            thread_id=thread_id,
            direct=room.type == RoomType.DIRECT,
            seq=seq,
        )
    )
    if thread_id:  # the thread's first message now counts one more reply
        uow.emit(MessageUpdated(room_id=room.id, message_id=thread_id))
    return message


@dataclass(frozen=True, slots=True)
class _Counts:
    """What a message counts toward beyond its room's timeline."""

    thread_id: str | None = None  # the thread it replies in
    direct: tuple[str, ...] = ()  # members it mentions by name
    group: bool = False  # @all or @here
    reopens: bool = False  # a DM: shown again in every member's sidebar
    discussion: bool = False  # the message that opened the discussion shows the count

    @property
    def any(self) -> bool:
        return bool(self.thread_id or self.direct or self.group or self.reopens or self.discussion)


def _counts(
    actor: User, room: Room, thread_id: str | None, mentions: tuple[Mention, ...]
) -> _Counts:
    if actor.restricted:
        return _Counts()  # a shadow post alerts, reopens and counts for nobody else
    return _Counts(
        thread_id=thread_id,
        direct=tuple(m.id for m in mentions if m.type == "user" and m.id != actor.id),
        group=any(m.id in GROUP_MENTIONS for m in mentions),
        reopens=room.type == RoomType.DIRECT,
        discussion=room.parent_id is not None,
    )


async def _count(uow: UnitOfWork, actor: User, room: Room, counts: _Counts, now: datetime) -> None:
    if counts.thread_id:
        await uow.threads.add_reply(counts.thread_id, actor.id, now)
    if counts.direct or counts.group:
        await uow.messages.count_mentions(room.id, list(counts.direct), counts.group, but=actor.id)
    if counts.reopens:
        await uow.rooms.reopen_all(room.id, now)
    if counts.discussion:
        await uow.messages.count_discussion_message(room.id, now)


async def _thread_root(uow: UnitOfWork, room: Room, thread_id: str | None) -> str | None:
    """The thread a reply belongs to: a reply to a reply joins the first message's thread."""
    if not thread_id:
        return None
    parent = await uow.messages.find_message(thread_id)
    if parent is None or parent.room_id != room.id:
        raise ChinwagError("error-invalid-tmid", "The thread's first message was not found")
    return parent.thread_id or parent.id


async def find_mentions(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, text: str
) -> tuple[Mention, ...]:
    names = list(dict.fromkeys(USER_MENTION.findall(text)))[:50]
    found: list[Mention] = []
    for name in names:
        if name in GROUP_MENTIONS:
            permission = f"mention-{name}"
            if not await can_in_room(deps, uow, actor, permission, room.id):
                raise ChinwagError("error-action-not-allowed", f"Notify {name} is not allowed")
            found.append(Mention(id=name, username=name, type="user"))
            continue
        user = await uow.users.find_by_username(name)
        if user is not None and user.username:
            found.append(Mention(id=user.id, username=user.username, name=user.name))
    return tuple(found)


async def find_channel_mentions(uow: UnitOfWork, text: str) -> tuple[ChannelRef, ...]:
    """The public channels a text names with `#name`."""
    found: list[ChannelRef] = []
    for name in list(dict.fromkeys(CHANNEL_MENTION.findall(text)))[:20]:
        room = await uow.rooms.find_room_by_name(name)
        if room is not None and room.type == RoomType.CHANNEL and room.name:
            found.append(ChannelRef(id=room.id, name=room.name))
    return tuple(found)


async def post_system_message(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, type: str, text: str = ""
) -> Message | None:
    """A system message (`t`): joins, leaves, renames... Written in the caller's transaction.

    Rooms whose `sysMes` is off keep no system messages.
    """
    if not room.sys_mes:
        return None
    return await insert_message(deps, uow, actor, room, NewMessage(room.id, text, type=type))
