"""Discussions: child rooms opened from a room (or from one of its messages), listed under it."""

from dataclasses import dataclass

from chinwag.actions.access import can_in_room
from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.actions.messages import (
    NewMessage,
    insert_message,
    post_system_message,
    require_can_post,
)
from chinwag.actions.newcomers import count_room_created, require_may_create_room
from chinwag.actions.room_queries import RoomListing, RoomPage
from chinwag.actions.rooms import RoomRef, locate_room
from chinwag.domain.errors import ChinwagError, Forbidden, InvalidParams, room_not_found
from chinwag.domain.ids import random_id
from chinwag.domain.models import Message, Room, RoomType, User
from chinwag.events.types import RoomCreated
from chinwag.storage.rooms import RoomFilter
from chinwag.storage.uow import UnitOfWork


@dataclass(frozen=True)
class NewDiscussion:
    parent_id: str  # prid
    name: str  # t_name: the discussion's display name
    message_id: str | None = None  # pmid: the message the discussion is about
    reply: str | None = None  # a first message in the discussion
    usernames: tuple[str, ...] = ()
    topic: str | None = None


def _not_allowed() -> Forbidden:
    return Forbidden("You are not allowed to create a discussion", "error-action-not-allowed")


async def _parent_message(uow: UnitOfWork, new: NewDiscussion) -> Message | None:
    if not new.message_id:
        return None
    message = await uow.messages.find_message(new.message_id)
    if message is None:
        raise ChinwagError("error-invalid-message", "Invalid message")
    if message.room_id != new.parent_id:
        raise ChinwagError(
            "error-invalid-arguments", "Root message room ID does not match parent room ID"
        )
    return message


async def _check(deps: Deps, uow: UnitOfWork, actor: User, new: NewDiscussion) -> Room:
    """The parent room, once the actor may post there and start discussions in it."""
    parent, subscription = await uow.rooms.find_room_for(new.parent_id, actor.id)
    if parent is None:
        raise room_not_found()
    await require_can_post(deps, uow, actor, parent, subscription)
    if not (
        await can_in_room(deps, uow, actor, "start-discussion", parent.id)
        or await can_in_room(deps, uow, actor, "start-discussion-other-user", parent.id)
    ):
        raise _not_allowed()
    if parent.parent_id:
        raise ChinwagError("error-nested-discussion", "Cannot create nested discussions")
    return parent


async def create_discussion(deps: Deps, actor: User, new: NewDiscussion) -> Room:
    """rooms.createDiscussion: a room of the parent's kind (a DM's are private), named
    `t_name`, with the actor as owner; `discussion-created` in the parent links to it."""
    if not deps.settings.bool("Discussion_enabled"):
        raise ChinwagError("error-action-not-allowed", "You are not allowed to create a discussion")
    name = new.name.strip()
    if not name:
        raise InvalidParams('Body parameter "t_name" is required.')
    if new.reply is not None and len(new.reply) > deps.settings.int("Message_MaxAllowedSize"):
        raise ChinwagError("error-message-size-exceeded", "Message size exceeds the limit")
    await require_may_create_room(deps, actor)
    async with deps.uow() as uow:
        parent = await _check(deps, uow, actor, new)
        message = await _parent_message(uow, new)
        room = await _insert_room(deps, uow, actor, parent, name, new, message)
        await _link(deps, uow, actor, parent, room, name)
        if message is not None:
            await uow.messages.update_message(message.id, {"drid": room.id, "dcount": 0})
        if new.reply and new.reply.strip():
            await insert_message(deps, uow, actor, room, NewMessage(room.id, new.reply))
        uow.emit(RoomCreated(room_id=room.id, user_id=actor.id))
        fresh = await uow.rooms.find_room(room.id)
    assert fresh is not None
    await count_room_created(deps, actor)
    return fresh


async def _insert_room(
    deps: Deps,
    uow: UnitOfWork,
    actor: User,
    parent: Room,
    name: str,
    new: NewDiscussion,
    message: Message | None,
) -> Room:
    now = deps.clock.now()
    room_id = random_id()
    await uow.rooms.insert_room(
        {
            "id": room_id,
            "type": RoomType.PRIVATE.value if parent.type == RoomType.DIRECT else parent.type.value,
            "name": random_id(),  # as Rocket.Chat: discussions show `fname`, never `name`
            "fname": name,
            "creator_id": actor.id,
            "creator_username": actor.username,
            "created_at": now,
            "updated_at": now,
            "topic": new.topic or parent.name,
            "description": message.text if message else None,
            "parent_id": parent.id,
            "parent_message_id": message.id if message else None,
        }
    )
    room = await uow.rooms.find_room(room_id)
    assert room is not None
    await add_member(deps, uow, room, actor.id, actor.username or "", roles=("owner",))
    invited = [message.author.username] if message else []
    for username in dict.fromkeys([*invited, *new.usernames]):
        user = await uow.users.find_by_username(username.strip().lstrip("@"))
        if user is not None and user.username and user.active:
            await add_member(deps, uow, room, user.id, user.username)
    return room


async def _link(
    deps: Deps, uow: UnitOfWork, actor: User, parent: Room, room: Room, name: str
) -> Message | None:
    """The `discussion-created` message in the parent room, pointing at the discussion."""
    sent = await post_system_message(deps, uow, actor, parent, "discussion-created", name)
    if sent is not None:
        await uow.messages.update_message(sent.id, {"drid": room.id, "dcount": 0})
    return sent


async def list_discussions(deps: Deps, actor: User, ref: RoomRef, listing: RoomListing) -> RoomPage:
    """rooms.getDiscussions: a room's discussions the caller may see, by display name."""
    async with deps.reader() as uow:
        room, _ = await locate_room(deps, uow, actor, ref)
        flt = RoomFilter(parent_id=room.id, visible_to=actor.id)
        order = listing.order() if listing.sort else [("fname", 1)]
        rooms, total = await uow.rooms.list_rooms(flt, order, listing.offset, listing.count)
    return RoomPage(rooms, total)
