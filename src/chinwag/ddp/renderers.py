"""Committed events → Rocket.Chat stream frames: (topic, stream, eventName, args)."""

from typing import Any

from chinwag.actions.deps import Deps
from chinwag.ddp.ejson import date
from chinwag.ddp.streams import OWN_USER, PRESENCE, Frames, StreamHub
from chinwag.domain.models import Message, Room, RoomType, User
from chinwag.events.types import (
    Event,
    MessageDeleted,
    MessagePinned,
    MessageSent,
    MessageUpdated,
    PermissionsChanged,
    ReactionChanged,
    RoleChanged,
    RoomDeleted,
    RoomHistoryCleaned,
    RoomUpdated,
    SettingChanged,
    SubscriptionChanged,
    UserDeleted,
    UserJoinedRoom,
    UserLeftRoom,
    UserRemovedFromRoom,
    UserSignalled,
    UserStatusChanged,
    UserTyping,
    UserUpdated,
)
from chinwag.serialize.base import me as serialize_me
from chinwag.serialize.base import room as serialize_room
from chinwag.serialize.chat import message as serialize_message
from chinwag.serialize.chat import rooms_json
from chinwag.serialize.chat import subscription as serialize_subscription
from chinwag.serialize.config import permission as serialize_permission

STATUS_NUMBERS = {"offline": 0, "online": 1, "away": 2, "busy": 3}
NOTIFICATION_TEXT = 300  # characters of the message a notification carries


def own_document(deps: Deps, user: User) -> dict[str, Any]:
    """What a user's sockets hold of their own account (Meteor's `users` document)."""
    own = serialize_me(deps, user, date)
    own.pop("_id", None)
    return own


def _notify_user(uid: str, kind: str, *args: object) -> tuple[str, str, str, list[object]]:
    return (f"user:{uid}", "stream-notify-user", f"{uid}/{kind}", list(args))


async def message_changed(hub: StreamHub, event: Event) -> Frames:
    """A new, edited, reacted-to or pinned message: clients upsert it by _id. A new one also
    notifies the people it is for (the other side of a direct message, those mentioned)."""
    assert isinstance(event, MessageSent | MessageUpdated | ReactionChanged | MessagePinned)
    topic = f"room:{event.room_id}"
    notifying = isinstance(event, MessageSent) and bool(hub.users_listening_for("notification"))
    if not hub.listening(topic) and not notifying:
        return []  # nobody here would hear it: no read, no serialization
    async with hub.deps.reader() as uow:
        message = await uow.messages.find_message(event.message_id)
    if message is None:
        return []
    if message.shadow:
        _to_author_only(hub, topic, message)
        return []
    frames: Frames = []
    if hub.listening(topic):
        body = serialize_message(message, date=date)
        frames.append((topic, "stream-room-messages", event.room_id, [body]))
    if isinstance(event, MessageSent) and notifying and message.type is None:
        frames += await _notifications(hub, message, event.direct)
    return frames


def _to_author_only(hub: StreamHub, topic: str, message: Message) -> None:
    """A shadow-restricted post reaches its author's sockets on the room, nobody else's."""
    body = serialize_message(message, date=date)
    hub.publish(topic, "stream-room-messages", message.room_id, [body], only_user=message.author.id)


async def _notifications(hub: StreamHub, message: Message, direct: bool) -> Frames:
    """`<uid>/notification` for each member here the message is for, as Rocket.Chat's desktop
    notifications: every other member of a direct message; in rooms, those mentioned by
    name, and everyone (@all) or everyone connected (@here) in rooms of up to
    Notifications_Max_Room_Members. Only users with a socket here are looked up, so the
    cost follows who is connected, not the size of the room."""
    connected = hub.users_listening_for("notification") - {message.author.id}
    named = {m.id for m in message.mentions if m.type == "user"} & connected
    everyone = any(m.username in ("all", "here") for m in message.mentions)
    if not direct and not named and not everyone:
        return []
    async with hub.deps.reader() as uow:
        room = await uow.rooms.find_room(message.room_id)
        if room is None:
            return []
        if direct:
            candidates = set(room.dm_user_ids) & connected
        elif everyone and room.users_count <= hub.deps.settings.int(
            "Notifications_Max_Room_Members"
        ):
            candidates = connected
        else:
            candidates = named
        recipients = await uow.rooms.members_among(room.id, sorted(candidates))
    notice = _notification(message, room)
    return [_notify_user(uid, "notification", notice) for uid in sorted(recipients)]


def _notification(message: Message, room: Room) -> dict[str, object]:
    sender = message.author.username
    text = message.text[:NOTIFICATION_TEXT]
    direct = room.type == RoomType.DIRECT
    return {
        "title": sender if direct else f"#{room.name}",
        "text": text if direct else f"{sender}: {text}",
        "payload": {
            "_id": message.id,
            "rid": room.id,
            "tmid": message.thread_id,
            "sender": {"_id": message.author.id, "username": sender, "name": message.author.name},
            "type": room.type.value,
            "name": room.name,
            "message": {"msg": text, "t": message.type},
        },
    }


async def message_deleted(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, MessageDeleted)
    if event.placeholder:  # a thread's first message stays, shown as removed
        return await message_changed(hub, MessageUpdated(event.room_id, event.message_id))
    name = f"{event.room_id}/deleteMessage"
    return [(f"room:{event.room_id}", "stream-notify-room", name, [{"_id": event.message_id}])]


async def history_cleaned(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, RoomHistoryCleaned)
    name = f"{event.room_id}/deleteMessageBulk"
    args = [{"rid": event.room_id, "ids": list(event.message_ids)}]
    return [(f"room:{event.room_id}", "stream-notify-room", name, args)]


async def membership_changed(hub: StreamHub, event: Event) -> Frames:
    """A member's own view of a room changed: their sidebar updates from these."""
    assert isinstance(
        event, UserJoinedRoom | SubscriptionChanged | UserLeftRoom | UserRemovedFromRoom
    )
    uid, topic = event.user_id, f"user:{event.user_id}"
    if not hub.wants(topic, f"{uid}/subscriptions-changed") and not hub.wants(
        topic, f"{uid}/rooms-changed"
    ):
        return []
    if isinstance(event, UserLeftRoom | UserRemovedFromRoom):
        gone = {"rid": event.room_id, "u": {"_id": uid}}
        return [_notify_user(uid, "subscriptions-changed", "removed", gone)]
    async with hub.deps.reader() as uow:
        room = await uow.rooms.find_room(event.room_id)
        subscription = await uow.rooms.find_subscription(event.room_id, uid)
    if room is None or subscription is None:
        return []
    action = "inserted" if isinstance(event, UserJoinedRoom) else "updated"
    shaped = serialize_subscription(subscription, room, date=date)
    frames: Frames = [_notify_user(uid, "subscriptions-changed", action, shaped)]
    if action == "inserted":
        frames.append(_notify_user(uid, "rooms-changed", action, serialize_room(room, date=date)))
    return frames


async def room_changed(hub: StreamHub, event: Event) -> Frames:
    """A room's settings changed: each member's sidebar gets the room anew."""
    assert isinstance(event, RoomUpdated)
    connected = hub.users_listening_for("rooms-changed")
    if not connected:
        return []
    async with hub.deps.reader() as uow:
        room = await uow.rooms.find_room(event.room_id)
        member_ids = await uow.rooms.members_among(event.room_id, sorted(connected))
    if room is None or not member_ids:
        return []
    shaped = (await rooms_json(hub.deps, [room], date=date))[0]
    return [_notify_user(uid, "rooms-changed", "updated", shaped) for uid in member_ids]


async def room_deleted(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, RoomDeleted)
    frames: Frames = []
    for uid in event.user_ids:
        gone = {"rid": event.room_id, "u": {"_id": uid}}
        frames.append(_notify_user(uid, "subscriptions-changed", "removed", gone))
        frames.append(_notify_user(uid, "rooms-changed", "removed", {"_id": event.room_id}))
    return frames


async def user_typing(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, UserTyping)
    topic, typing = f"room:{event.room_id}", bool(event.activities)
    return [
        (
            topic,
            "stream-notify-room",
            f"{event.room_id}/user-activity",
            [event.username, list(event.activities), {}],
        ),
        (topic, "stream-notify-room", f"{event.room_id}/typing", [event.username, typing]),
    ]


async def user_status(hub: StreamHub, event: Event) -> Frames:
    """user-status to every signed-in socket, and stream-user-presence to those watching."""
    assert isinstance(event, UserStatusChanged)
    number = STATUS_NUMBERS.get(event.status, 0)
    entry = [event.user_id, event.username, number, event.status_text]
    uid = event.user_id
    return [
        ("logged", "stream-notify-logged", "user-status", [entry]),
        (f"presence:{uid}", PRESENCE, uid, [event.username, number, event.status_text]),
    ]


async def user_updated(hub: StreamHub, event: Event) -> Frames:
    """The user's own sockets get their document anew (Meteor's `users` collection and
    Rocket.Chat's userData); everyone hears of a new name or avatar."""
    assert isinstance(event, UserUpdated)
    public = bool({"name", "username", "avatar_etag"} & set(event.fields))
    if not hub.listening(f"user:{event.user_id}") and not (public and hub.listening("logged")):
        return []
    async with hub.deps.reader() as uow:
        user = await uow.users.find_by_id(event.user_id)
    if user is None:
        return []
    uid = user.id
    own = own_document(hub.deps, user)
    frames: Frames = [
        (f"user:{uid}", OWN_USER, uid, [own]),
        _notify_user(uid, "userData", {"type": "updated", "id": uid, "diff": own, "unset": {}}),
    ]
    if {"name", "username"} & set(event.fields):
        renamed = {"_id": uid, "name": user.name, "username": user.username}
        frames.append(("logged", "stream-notify-logged", "Users:NameChanged", [renamed]))
    if "avatar_etag" in event.fields:
        avatar = {"username": user.username, "etag": user.avatar_etag}
        frames.append(("logged", "stream-notify-logged", "updateAvatar", [avatar]))
    return frames


async def user_deleted(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, UserDeleted)
    gone = {"userId": event.user_id}
    return [("logged", "stream-notify-logged", "Users:Deleted", [gone])]


async def role_changed(hub: StreamHub, event: Event) -> Frames:
    """roles-change when a role is given or taken: {type, _id: role, u, scope}."""
    assert isinstance(event, RoleChanged)
    if event.user_id is None or event.action not in ("added", "removed"):
        return []
    if not hub.listening("logged"):
        return []
    async with hub.deps.reader() as uow:
        user = await uow.users.find_by_id(event.user_id)
    if user is None:
        return []
    change: dict[str, object] = {
        "type": event.action,
        "_id": event.role_id,
        "u": {"_id": user.id, "username": user.username, "name": user.name},
    }
    if event.scope:
        change["scope"] = event.scope
    return [("logged", "stream-notify-logged", "roles-change", [change])]


async def permissions_changed(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, PermissionsChanged)
    if not hub.listening("logged"):
        return []
    wanted = set(event.permission_ids)
    async with hub.deps.reader() as uow:
        found = [p for p in await uow.config.list_permissions() if p.id in wanted]
    return [
        ("logged", "stream-notify-logged", "permissions-changed", ["updated", shaped])
        for shaped in (serialize_permission(p, date) for p in found)
    ]


async def user_signalled(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, UserSignalled)
    topic = f"user:{event.user_id}"
    return [(topic, "stream-notify-user", event.event_name, list(event.args))]


async def setting_changed(hub: StreamHub, event: Event) -> Frames:
    assert isinstance(event, SettingChanged)
    if not event.public:
        return []
    setting = {"_id": event.setting_id, "value": hub.deps.settings.get(event.setting_id)}
    return [("all", "stream-notify-all", "public-settings-changed", ["updated", setting])]


def register_renderers(hub: StreamHub) -> None:
    for changed in (MessageSent, MessageUpdated, ReactionChanged, MessagePinned):
        hub.renders(changed, message_changed)
    hub.renders(MessageDeleted, message_deleted)
    for membership in (UserJoinedRoom, SubscriptionChanged, UserLeftRoom, UserRemovedFromRoom):
        hub.renders(membership, membership_changed)
    hub.renders(RoomUpdated, room_changed)
    hub.renders(RoomDeleted, room_deleted)
    hub.renders(RoomHistoryCleaned, history_cleaned)
    hub.renders(UserTyping, user_typing)
    hub.renders(UserStatusChanged, user_status)
    hub.renders(UserUpdated, user_updated)
    hub.renders(UserDeleted, user_deleted)
    hub.renders(RoleChanged, role_changed)
    hub.renders(PermissionsChanged, permissions_changed)
    hub.renders(SettingChanged, setting_changed)
    hub.renders(UserSignalled, user_signalled)
