"""Committed events → Rocket.Chat stream frames: (topic, stream, eventName, args)."""

from chinwag.actions.deps import Deps
from chinwag.ddp.ejson import date
from chinwag.ddp.streams import Frames, StreamHub
from chinwag.events.types import (
    Event,
    MessageDeleted,
    MessagePinned,
    MessageSent,
    MessageUpdated,
    ReactionChanged,
    RoomHistoryCleaned,
    SettingChanged,
    SubscriptionChanged,
    UserJoinedRoom,
    UserLeftRoom,
    UserLoggedOut,
    UserRemovedFromRoom,
    UserStatusChanged,
    UserTyping,
)
from chinwag.serialize.base import room as serialize_room
from chinwag.serialize.chat import message as serialize_message
from chinwag.serialize.chat import subscription as serialize_subscription

STATUS_NUMBERS = {"offline": 0, "online": 1, "away": 2, "busy": 3}


async def message_changed(deps: Deps, event: Event) -> Frames:
    """A new, edited, reacted-to or pinned message: clients upsert it by _id."""
    assert isinstance(event, MessageSent | MessageUpdated | ReactionChanged | MessagePinned)
    async with deps.reader() as uow:
        message = await uow.messages.find_message(event.message_id)
    if message is None:
        return []
    body = serialize_message(message, date=date)
    return [(f"room:{event.room_id}", "stream-room-messages", event.room_id, [body])]


async def message_deleted(deps: Deps, event: Event) -> Frames:
    assert isinstance(event, MessageDeleted)
    if event.placeholder:  # a thread's first message stays, shown as removed
        return await message_changed(deps, MessageUpdated(event.room_id, event.message_id))
    name = f"{event.room_id}/deleteMessage"
    return [(f"room:{event.room_id}", "stream-notify-room", name, [{"_id": event.message_id}])]


async def history_cleaned(deps: Deps, event: Event) -> Frames:
    assert isinstance(event, RoomHistoryCleaned)
    name = f"{event.room_id}/deleteMessageBulk"
    args = [{"rid": event.room_id, "ids": list(event.message_ids)}]
    return [(f"room:{event.room_id}", "stream-notify-room", name, args)]


async def membership_changed(deps: Deps, event: Event) -> Frames:
    """A member's own view of a room changed: their sidebar updates from these."""
    assert isinstance(
        event, UserJoinedRoom | SubscriptionChanged | UserLeftRoom | UserRemovedFromRoom
    )
    uid, topic = event.user_id, f"user:{event.user_id}"
    if isinstance(event, UserLeftRoom | UserRemovedFromRoom):
        gone = {"rid": event.room_id, "u": {"_id": uid}}
        return [(topic, "stream-notify-user", f"{uid}/subscriptions-changed", ["removed", gone])]
    async with deps.reader() as uow:
        room = await uow.rooms.find_room(event.room_id)
        subscription = await uow.rooms.find_subscription(event.room_id, uid)
    if room is None or subscription is None:
        return []
    action = "inserted" if isinstance(event, UserJoinedRoom) else "updated"
    frames: Frames = [
        (
            topic,
            "stream-notify-user",
            f"{uid}/subscriptions-changed",
            [action, serialize_subscription(subscription, room, date=date)],
        ),
    ]
    if action == "inserted":
        frames.append(
            (
                topic,
                "stream-notify-user",
                f"{uid}/rooms-changed",
                [action, serialize_room(room, date=date)],
            )
        )
    return frames


async def user_typing(deps: Deps, event: Event) -> Frames:
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


async def user_status(deps: Deps, event: Event) -> Frames:
    assert isinstance(event, UserStatusChanged)
    entry = [event.user_id, event.username, STATUS_NUMBERS.get(event.status, 0), event.status_text]
    return [("logged", "stream-notify-logged", "user-status", [entry])]


async def setting_changed(deps: Deps, event: Event) -> Frames:
    assert isinstance(event, SettingChanged)
    if not event.public:
        return []
    setting = {"_id": event.setting_id, "value": deps.settings.get(event.setting_id)}
    return [("all", "stream-notify-all", "public-settings-changed", ["updated", setting])]


async def logged_out(deps: Deps, event: Event) -> Frames:
    assert isinstance(event, UserLoggedOut)
    uid = event.user_id
    return [(f"user:{uid}", "stream-notify-user", f"{uid}/force_logout", [])]


def register_renderers(hub: StreamHub) -> None:
    for changed in (MessageSent, MessageUpdated, ReactionChanged, MessagePinned):
        hub.renders(changed, message_changed)
    hub.renders(MessageDeleted, message_deleted)
    for membership in (UserJoinedRoom, SubscriptionChanged, UserLeftRoom, UserRemovedFromRoom):
        hub.renders(membership, membership_changed)
    hub.renders(RoomHistoryCleaned, history_cleaned)
    hub.renders(UserTyping, user_typing)
    hub.renders(UserStatusChanged, user_status)
    hub.renders(SettingChanged, setting_changed)
    hub.renders(UserLoggedOut, logged_out)
