"""Rooms: who may read them, creating channels, groups and direct messages, joining."""

import re
from dataclasses import dataclass, field

from chinwag.actions.access import can, require_permission
from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.actions.newcomers import (
    count_room_created,
    require_may_create_room,
    require_may_message,
)
from chinwag.domain.errors import ChinwagError, room_not_found
from chinwag.domain.ids import random_id
from chinwag.domain.models import Room, RoomType, Subscription, User
from chinwag.events.types import RoomCreated
from chinwag.storage.uow import UnitOfWork

MAX_ROOM_NAME = 200


@dataclass(frozen=True)
class NewRoom:
    type: RoomType
    name: str
    members: tuple[str, ...] = ()  # usernames
    read_only: bool = False
    custom_fields: dict[str, object] = field(default_factory=dict)
    exclude_self: bool = False
    topic: str | None = None
    parent_id: str | None = None
    parent_message_id: str | None = None
    fname: str | None = None


async def find_room_by_id_or_name(uow: UnitOfWork, room_id: str | None, name: str | None) -> Room:
    """Rocket.Chat's `roomId` / `roomName` params; neither → error-roomid-param-not-provided."""
    room: Room | None = None
    if room_id:
        room = await uow.rooms.find_room(room_id)
    elif name:
        room = await uow.rooms.find_room_by_name(name.lstrip("#"))
    else:
        raise ChinwagError(
            "error-roomid-param-not-provided", 'The parameter "roomId" or "roomName" is required'
        )
    if room is None:
        raise room_not_found()
    return room


def can_read(deps: Deps, user: User, room: Room, subscription: Subscription | None) -> bool:
    """Members read their rooms; public channels are readable by anyone allowed to preview."""
    if subscription is not None:
        return True
    if room.type == RoomType.CHANNEL:
        return can(deps, user, "view-c-room") or can(deps, user, "preview-c-room")
    return False


async def access_room(deps: Deps, uow: UnitOfWork, user: User, room: Room) -> Subscription | None:
    """Authorise reading `room`; a private room looks exactly like a missing one to outsiders."""
    subscription = await uow.rooms.find_subscription(room.id, user.id)
    if not can_read(deps, user, room, subscription):
        raise room_not_found()
    return subscription


async def access_room_by_id(deps: Deps, uow: UnitOfWork, user: User, room_id: str) -> Room:
    room = await uow.rooms.find_room(room_id)
    if room is None:
        raise room_not_found()
    await access_room(deps, uow, user, room)
    return room


@dataclass(frozen=True)
class RoomRef:
    """How a call names a room (`roomId` or `roomName`), and the type its family requires."""

    room_id: str | None = None
    name: str | None = None
    type: RoomType | None = None  # channels.* want "c", groups.* "p", dm.* "d"


def room_archived(room: Room) -> ChinwagError:
    noun = "private group" if room.type == RoomType.PRIVATE else "channel"
    return ChinwagError("error-room-archived", f"The {noun}, {room.name or room.id}, is archived")


async def locate_room(
    deps: Deps,
    uow: UnitOfWork,
    actor: User,
    ref: RoomRef,
    *,
    writable: bool = False,
    staff_permission: str | None = None,
) -> tuple[Room, Subscription | None]:
    """The room a call names, and the actor's membership, once the actor may see it.

    Missing, of another family's type, or private to others: all answer error-room-not-found.
    `writable` refuses archived rooms; holders of `staff_permission` see every room.
    """
    room = await find_room_by_id_or_name(uow, ref.room_id, ref.name)
    if ref.type is not None and room.type != ref.type:
        raise room_not_found()
    if staff_permission is not None and can(deps, actor, staff_permission):
        subscription = await uow.rooms.find_subscription(room.id, actor.id)
    else:
        subscription = await access_room(deps, uow, actor, room)
    if writable and room.archived:
        raise room_archived(room)
    return room, subscription


def check_room_name(deps: Deps, name: str) -> str:
    name = name.strip().lstrip("#")
    pattern = deps.settings.str("UTF8_Channel_Names_Validation")
    try:
        valid = re.fullmatch(pattern, name) is not None
    except re.error:
        valid = re.fullmatch(r"[0-9a-zA-Z-_.]+", name) is not None
    if not name or len(name) > MAX_ROOM_NAME or not valid:
        raise ChinwagError("error-invalid-room-name", f"{name} is not a valid room name")
    return name


async def require_free_room_name(uow: UnitOfWork, name: str, but: str | None = None) -> None:
    taken = await uow.rooms.find_room_by_name(name)
    if taken is not None and taken.id != but:
        raise ChinwagError("error-duplicate-channel-name", f"A channel with name '{name}' exists")
    if await uow.moderation.is_room_name_reserved(name):
        # A room taken down with `block`: its name stays out of use.
        raise ChinwagError("error-room-name-reserved", f"The name '{name}' is reserved")


async def _member_users(uow: UnitOfWork, usernames: tuple[str, ...]) -> list[User]:
    found: list[User] = []
    for username in dict.fromkeys(u.strip().lstrip("@") for u in usernames if u.strip()):
        user = await uow.users.find_by_username(username)
        if user is None:
            raise ChinwagError("error-invalid-user", f"User {username} not found")
        found.append(user)
    return found


async def create_room(deps: Deps, actor: User, new: NewRoom) -> Room:
    """channels.create / groups.create: the creator owns the new room; members join it."""
    require_permission(deps, actor, "create-c" if new.type == RoomType.CHANNEL else "create-p")
    name = check_room_name(deps, new.name)
    await require_may_create_room(deps, actor)
    room = await _insert_new_room(deps, actor, new, name)
    await count_room_created(deps, actor)
    return room


async def _insert_new_room(deps: Deps, actor: User, new: NewRoom, name: str) -> Room:
    async with deps.uow() as uow:
        await require_free_room_name(uow, name)
        members = await _member_users(uow, new.members)
        now = deps.clock.now()
        room_id = random_id()
        await uow.rooms.insert_room(
            {
                "id": room_id,
                "type": new.type.value,
                "name": name,
                "fname": new.fname or name,
                "creator_id": actor.id,
                "creator_username": actor.username,
                "created_at": now,
                "updated_at": now,
                "read_only": new.read_only,
                "topic": new.topic,
                "custom_fields": new.custom_fields,
                "parent_id": new.parent_id,
                "parent_message_id": new.parent_message_id,
            }
        )
        room = await _room(uow, room_id)
        if not new.exclude_self:
            await add_member(deps, uow, room, actor.id, actor.username or "", roles=("owner",))
        for member in members:
            if member.id != actor.id and member.username:
                await add_member(deps, uow, room, member.id, member.username)
        uow.emit(RoomCreated(room_id=room_id, user_id=actor.id))
        return await _room(uow, room_id)


async def _room(uow: UnitOfWork, room_id: str) -> Room:
    room = await uow.rooms.find_room(room_id)
    if room is None:
        raise room_not_found()
    return room


def _dm_display(member: User, people: list[User]) -> tuple[str, str | None]:
    """How a DM is named for one member: the other person, or the others comma-separated."""
    others = [u for u in people if u.id != member.id] or [member]
    if len(others) == 1:
        return others[0].username or "", others[0].name
    return ", ".join(u.username or "" for u in others), ", ".join(u.name for u in others)


def dm_room_id(user_ids: list[str]) -> str:
    """A one-to-one DM's id is both user ids sorted and joined, as Rocket.Chat makes it."""
    return "".join(sorted(user_ids))


async def open_direct_message(
    deps: Deps, actor: User, usernames: tuple[str, ...], exclude_self: bool = False
) -> Room:
    """dm.create: the DM between the caller and these users, created on first use."""
    require_permission(deps, actor, "create-d")
    async with deps.uow() as uow:
        others = [u for u in await _member_users(uow, usernames) if u.id != actor.id]
        people = others if exclude_self else [actor, *others]
        if not people:
            raise ChinwagError("error-invalid-user", "A direct message needs someone to talk to")
        ids = sorted({u.id for u in people})
        room_id = dm_room_id(ids) if len(ids) <= 2 else random_id()
        existing = (
            await uow.rooms.find_room(room_id)
            if len(ids) <= 2
            else (await uow.rooms.find_dm_with_members(ids))
        )
        if existing is not None:
            await uow.rooms.reopen_subscription(existing.id, actor.id, deps.clock.now())
            return existing
        await require_may_message(deps, uow, actor, ids, opened_by=None)
        now = deps.clock.now()
        ordered = sorted({u.id: u for u in people}.values(), key=lambda u: u.username or "")
        await uow.rooms.insert_room(
            {
                "id": room_id,
                "type": RoomType.DIRECT.value,
                "creator_id": actor.id,
                "creator_username": actor.username,
                "created_at": now,
                "updated_at": now,
                "dm_user_ids": [u.id for u in ordered],
                "dm_usernames": [u.username for u in ordered],
            }
        )
        room = await _room(uow, room_id)
        for person in ordered:
            await add_member(
                deps,
                uow,
                room,
                person.id,
                person.username or "",
                display=_dm_display(person, ordered),
            )
        uow.emit(RoomCreated(room_id=room_id, user_id=actor.id))
        return await _room(uow, room_id)


async def find_direct_message(deps: Deps, actor: User, username: str) -> Room:
    """The one-to-one DM between the actor and `username`, without opening a new one."""
    async with deps.reader() as uow:
        other = await uow.users.find_by_username(username.strip().lstrip("@"))
        ids = sorted({actor.id, other.id}) if other else []
        room = await uow.rooms.find_room(dm_room_id(ids)) if other else None
    if room is None or room.type != RoomType.DIRECT:
        raise room_not_found()
    return room
