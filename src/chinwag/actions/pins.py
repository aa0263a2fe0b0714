"""Pinning messages for a room, starring them for oneself."""

from chinwag.actions.access import can_in_room
from chinwag.actions.deps import Deps
from chinwag.actions.messages import (
    NewMessage,
    access_message,
    insert_message,
    require_not_archived,
)
from chinwag.domain.errors import ChinwagError, Forbidden, not_allowed
from chinwag.domain.models import JsonDoc, Message, User
from chinwag.events.types import MessagePinned, MessageStarred

PINNED = "message_pinned"


def _not_authorized() -> Forbidden:
    return Forbidden("Not Authorized", "not-authorized")


def _iso(message: Message) -> str:
    ts = message.created_at
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _quote(message: Message) -> JsonDoc:
    """The attachment of a `message_pinned` notice: the pinned message, quoted."""
    inner = [
        {k: v for k, v in a.items() if k != "attachments"}  # quotes of quotes are dropped
        for a in message.attachments
    ]
    return {
        "text": message.text,
        "author_name": message.author.username,
        "author_icon": f"/avatar/{message.author.username}",
        "ts": _iso(message),
        "attachments": inner,
    }


async def pin_message(deps: Deps, actor: User, message_id: str) -> Message:
    """chat.pinMessage: pin and announce it with a `message_pinned` notice, which is returned
    (the message itself when it was already pinned). Emits MessagePinned and MessageSent."""
    if not deps.settings.bool("Message_AllowPinning"):
        raise ChinwagError("error-action-not-allowed", "Message pinning not allowed")
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, for_update=True)
        message, room = found.message, found.room
        if not await can_in_room(deps, uow, actor, "pin-message", room.id):
            raise _not_authorized()
        require_not_archived(room)
        if message.pinned:
            return message
        now = deps.clock.now()
        await uow.messages.update_message(
            message.id,
            {
                "pinned": True,
                "pinned_at": now,
                "pinned_by_id": actor.id,
                "pinned_by_username": actor.username,
                "updated_at": now,
            },
        )
        uow.emit(MessagePinned(room_id=room.id, message_id=message.id, by=actor.id))
        notice = NewMessage(room.id, "", type=PINNED, attachments=(_quote(message),))
        return await insert_message(deps, uow, actor, room, notice)


async def unpin_message(deps: Deps, actor: User, message_id: str) -> None:
    """chat.unPinMessage. Emits MessagePinned(pinned=False)."""
    if not deps.settings.bool("Message_AllowPinning"):
        raise ChinwagError("error-action-not-allowed", "Message pinning not allowed")
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, for_update=True)
        message, room = found.message, found.room
        if not await can_in_room(deps, uow, actor, "pin-message", room.id):
            raise _not_authorized()
        require_not_archived(room)
        if not message.pinned:
            return
        await uow.messages.update_message(
            message.id,
            {
                "pinned": False,
                "pinned_by_id": actor.id,
                "pinned_by_username": actor.username,
                "updated_at": deps.clock.now(),
            },
        )
        uow.emit(MessagePinned(room_id=room.id, message_id=message.id, by=actor.id, pinned=False))


async def star_message(deps: Deps, actor: User, message_id: str, starred: bool) -> None:
    """chat.starMessage / chat.unStarMessage: members bookmark messages for themselves.
    Emits MessageStarred on change."""
    if not deps.settings.bool("Message_AllowStarring"):
        raise ChinwagError("error-action-not-allowed", "Message starring not allowed")
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, for_update=True)
        message, room = found.message, found.room
        if found.subscription is None:
            raise not_allowed("Only members of the room can star its messages")
        require_not_archived(room)
        if (actor.id in message.starred_by) == starred:
            return
        others = [uid for uid in message.starred_by if uid != actor.id]
        await uow.messages.update_message(
            message.id,
            {
                "starred": [*others, actor.id] if starred else others,
                "updated_at": deps.clock.now(),
            },
        )
        uow.emit(
            MessageStarred(
                room_id=room.id, message_id=message.id, user_id=actor.id, starred=starred
            )
        )
