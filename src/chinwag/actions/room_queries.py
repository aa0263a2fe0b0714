"""Reading rooms: listings, one room's details and counters, its members and role holders,
its messages narrowed by mention, star or pin. Every read is authorised first."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from chinwag.actions.access import can, can_in_room, require_permission
from chinwag.actions.deps import Deps
from chinwag.actions.rooms import RoomRef, can_read, locate_room
from chinwag.domain.errors import Forbidden
from chinwag.domain.models import Message, Room, RoomType, Status, Subscription, User
from chinwag.storage.messages import MessageFilter
from chinwag.storage.rooms import ROOM_SORT, RoomFilter
from chinwag.storage.users import UserFilter

ADMIN = "view-room-administration"
ROOM_ROLES = ("owner", "moderator", "leader")


@dataclass(frozen=True)
class RoomPage:
    rooms: list[Room]
    total: int


@dataclass(frozen=True)
class RoomListing:
    """Paging and order of a room list; `sort` holds Rocket.Chat field names, 1 or -1."""

    offset: int = 0
    count: int | None = None
    sort: Mapping[str, int] | None = None

    def order(self) -> list[tuple[str, int]]:
        wanted = [(k, d) for k, d in (self.sort or {}).items() if k in ROOM_SORT]
        return wanted or [("name", 1)]


async def _page(deps: Deps, flt: RoomFilter, listing: RoomListing) -> RoomPage:
    async with deps.reader() as uow:
        rooms, total = await uow.rooms.list_rooms(
            flt, listing.order(), listing.offset, listing.count
        )
    return RoomPage(rooms, total)


async def last_messages_of(deps: Deps, rooms: Sequence[Room]) -> dict[str, Message]:
    """The rooms' last messages by room id, in one query. For rooms the caller has just been
    shown or acted on; it authorises nothing itself."""
    ids = [r.last_message_id for r in rooms if r.last_message_id]
    if not ids:
        return {}
    async with deps.reader() as uow:
        found = await uow.messages.messages_by_ids(ids)
    # A shadow-restricted post is nobody's last message to show.
    return {m.room_id: m for m in found if not m.shadow}


async def list_channels(
    deps: Deps, actor: User, listing: RoomListing, room_id: str | None = None
) -> RoomPage:
    """channels.list: public channels (view-c-room), or only joined ones (view-joined-room)."""
    sees_all = can(deps, actor, "view-c-room")
    if not sees_all and not can(deps, actor, "view-joined-room"):
        raise Forbidden()
    flt = RoomFilter(
        types=(RoomType.CHANNEL.value,),
        room_id=room_id,
        member_id=None if sees_all else actor.id,
    )
    return await _page(deps, flt, listing)


async def list_joined(
    deps: Deps, actor: User, room_type: RoomType, listing: RoomListing
) -> RoomPage:
    """channels.list.joined, groups.list, dm.list: the caller's rooms of one type."""
    flt = RoomFilter(types=(room_type.value,), member_id=actor.id)
    return await _page(deps, flt, listing)


async def list_every(
    deps: Deps, actor: User, room_type: RoomType, listing: RoomListing
) -> RoomPage:
    """groups.listAll: every room of a type, for room administrators."""
    require_permission(deps, actor, ADMIN)
    return await _page(deps, RoomFilter(types=(room_type.value,)), listing)


async def admin_rooms(
    deps: Deps, actor: User, text: str, types: Sequence[str], listing: RoomListing
) -> RoomPage:
    """rooms.adminRooms: rooms by name, of the types asked for (c, p, d, discussions)."""
    require_permission(deps, actor, ADMIN)
    plain = tuple(t for t in types if t in ("c", "p", "d"))
    if not types:
        flt = RoomFilter(text=text)
    else:
        flt = RoomFilter(types=plain, discussions="discussions" in types, text=text)
    return await _page(deps, flt, listing)


@dataclass(frozen=True)
class RoomSync:
    update: list[Room]
    remove: list[tuple[str, datetime]]  # (room id, when the caller lost it)


async def sync_rooms(deps: Deps, actor: User, since: datetime | None) -> RoomSync:
    """rooms.get: the caller's rooms (changed after `since`) and the rooms they lost."""
    flt = RoomFilter(member_id=actor.id, updated_after=since)
    async with deps.reader() as uow:
        rooms, _ = await uow.rooms.list_rooms(flt, [("_updatedAt", 1)], 0, None)
        ended = await uow.rooms.list_ended_memberships(actor.id, since) if since else []
        current = set(await uow.rooms.list_room_ids_of(actor.id)) if ended else set()
    gone = {room_id: at for _, room_id, at in ended if room_id not in current}
    return RoomSync(rooms, list(gone.items()))


async def room_info(deps: Deps, actor: User, ref: RoomRef) -> tuple[Room, Room | None]:
    """One room, and the room it is a discussion of when the caller may see that too."""
    async with deps.reader() as uow:
        room, _ = await locate_room(deps, uow, actor, ref)
        parent = await uow.rooms.find_room(room.parent_id) if room.parent_id else None
        if parent is not None:
            membership = await uow.rooms.find_subscription(parent.id, actor.id)
            parent = parent if can_read(deps, actor, parent, membership) else None
    return room, parent


async def get_room(deps: Deps, actor: User, ref: RoomRef) -> Room:
    async with deps.reader() as uow:
        room, _ = await locate_room(deps, uow, actor, ref)
    return room


@dataclass(frozen=True)
class Counters:
    joined: bool
    members: int | None = None
    unreads: int | None = None
    unreads_from: datetime | None = None
    msgs: int | None = None
    latest: datetime | None = None
    user_mentions: int | None = None


async def room_counters(
    deps: Deps, actor: User, ref: RoomRef, user_id: str | None = None
) -> Counters:
    """channels.counters and kin: the caller's (or, for room administrators, anyone's)
    unread position in a room, and the room's totals to those who may see them."""
    admin = can(deps, actor, ADMIN)
    if user_id and not admin:
        raise Forbidden()
    async with deps.reader() as uow:
        room, mine = await locate_room(
            deps, uow, actor, ref, staff_permission=ADMIN if user_id else None
        )
        target = user_id or actor.id
        sub = mine if target == actor.id else await uow.rooms.find_subscription(room.id, target)
    # As Rocket.Chat: a channel or group hidden from the sidebar counts as not joined.
    joined = sub is not None and (sub.open or room.type == RoomType.DIRECT)
    counters = Counters(joined=joined)
    if sub is not None and joined:
        counters = replace(
            counters,
            unreads=max(0, room.seq - sub.read_seq),
            unreads_from=sub.last_seen or sub.joined_at,
            user_mentions=sub.user_mentions,
        )
    if admin or joined:
        counters = replace(
            counters,
            members=room.users_count,
            msgs=room.msgs,
            latest=room.last_message_at or room.updated_at,
        )
    return counters


@dataclass(frozen=True)
class MessageQuery:
    """channels.messages' narrowing: mentioning or starred by any of some users, pinned."""

    mention_ids: tuple[str, ...] = ()
    starred_ids: tuple[str, ...] = ()
    pinned: bool = False
    newest_first: bool = True


async def room_messages(
    deps: Deps, actor: User, ref: RoomRef, query: MessageQuery, offset: int, count: int | None
) -> tuple[list[Message], int]:
    async with deps.reader() as uow:
        room, _ = await locate_room(deps, uow, actor, ref)
        flt = MessageFilter(
            viewer=actor.id,
            room_id=room.id,
            mentions_any=query.mention_ids,
            starred_any=query.starred_ids,
            pinned=True if query.pinned else None,
        )
        return await uow.messages.list_messages(
            flt, offset, count, newest_first=query.newest_first, with_total=True
        )


@dataclass(frozen=True)
class MemberQuery:
    statuses: tuple[str, ...] = ()
    text: str = ""
    descending: bool = False


async def list_members(
    deps: Deps, actor: User, ref: RoomRef, query: MemberQuery, offset: int, count: int | None
) -> tuple[list[User], int]:
    """A room's members by username; a broadcast room's only to view-broadcast-member-list."""
    async with deps.reader() as uow:
        room, _ = await locate_room(deps, uow, actor, ref)
        if room.broadcast and not await can_in_room(
            deps, uow, actor, "view-broadcast-member-list", room.id
        ):
            raise Forbidden()
        ids, total = await uow.rooms.list_member_ids(
            room.id, query.statuses, query.text, query.descending, offset, count
        )
        if not ids:
            return [], total
        order = (("username", -1 if query.descending else 1),)
        users, _ = await uow.users.list_users(
            UserFilter(ids=ids, with_username=False), 0, None, order
        )
    return users, total


async def online_members(deps: Deps, actor: User, ref: RoomRef) -> list[User]:
    """channels.online: the room's members whose status is not offline."""
    present = tuple(s.value for s in Status if s != Status.OFFLINE)
    users, _ = await list_members(deps, actor, ref, MemberQuery(statuses=present), 0, None)
    return users


async def room_roles(
    deps: Deps, actor: User, ref: RoomRef, roles: Sequence[str] = ROOM_ROLES
) -> list[Subscription]:
    """channels.roles / rooms.roles / channels.moderators: members holding room roles."""
    async with deps.reader() as uow:
        room, _ = await locate_room(deps, uow, actor, ref)
        return await uow.rooms.list_privileged_members(room.id, roles)
