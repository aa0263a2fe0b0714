"""Room and subscription methods: lists and syncs, joining and leaving, creating, reading."""

from datetime import datetime
from typing import Any

from chinwag.actions.membership import join_room, leave_room
from chinwag.actions.reactions import react_to_message
from chinwag.actions.room_queries import MemberQuery, list_members, room_roles, sync_rooms
from chinwag.actions.rooms import NewRoom, RoomRef, create_room, open_direct_message
from chinwag.actions.subscriptions import list_subscriptions, mark_read
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.domain.models import RoomType, Status
from chinwag.serialize.base import member as serialize_member
from chinwag.serialize.chat import rooms_json
from chinwag.serialize.chat import subscription as serialize_subscription

PRESENT = tuple(s.value for s in Status if s != Status.OFFLINE)


def _synced(items: list[Any], removed: list[Any], since: datetime | None) -> Any:
    """A plain list without a date; `{update, remove}` with one, as Rocket.Chat answers."""
    return {"update": items, "remove": removed} if since is not None else items


@method("rooms/get")
async def rooms_get(ctx: MethodContext, params: list[Any]) -> Any:
    since = param(params, 0, datetime, None)
    found = await sync_rooms(ctx.deps, ctx.user, since)
    removed = [{"_id": rid, "_deletedAt": date(at)} for rid, at in found.remove]
    return _synced(await rooms_json(ctx.deps, found.update, date=date), removed, since)


@method("subscriptions/get")
async def subscriptions_get(ctx: MethodContext, params: list[Any]) -> Any:
    since = param(params, 0, datetime, None)
    found = await list_subscriptions(ctx.deps, ctx.user, since)
    items = [serialize_subscription(s, room, date=date) for s, room in found.update]
    removed = [{"_id": r.subscription_id, "_deletedAt": date(r.at)} for r in found.remove]
    return _synced(items, removed, since)


@method("getRoomRoles")
async def get_room_roles(ctx: MethodContext, params: list[Any]) -> list[dict[str, Any]]:
    rid = param(params, 0, str)
    holders = await room_roles(ctx.deps, ctx.user, RoomRef(room_id=rid))
    return [
        {
            "rid": s.room_id,
            "u": {"_id": s.user.id, "username": s.user.username},
            "roles": list(s.roles),
        }
        for s in holders
    ]


@method("joinRoom")
async def join_room_method(ctx: MethodContext, params: list[Any]) -> bool:
    await join_room(
        ctx.deps, ctx.user, RoomRef(room_id=param(params, 0, str)), param(params, 1, str, None)
    )
    return True


@method("leaveRoom")
async def leave_room_method(ctx: MethodContext, params: list[Any]) -> bool:
    await leave_room(ctx.deps, ctx.user, RoomRef(room_id=param(params, 0, str)))
    return True


async def _create(ctx: MethodContext, params: list[Any], kind: RoomType) -> dict[str, Any]:
    members = tuple(m for m in param(params, 1, list, []) if isinstance(m, str))
    room = await create_room(
        ctx.deps,
        ctx.user,
        NewRoom(
            type=kind,
            name=param(params, 0, str),
            members=members,
            read_only=param(params, 2, bool, False),
        ),
    )
    return {"rid": room.id, "name": room.name}


@method("createChannel")
async def create_channel(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    return await _create(ctx, params, RoomType.CHANNEL)


@method("createPrivateGroup")
async def create_private_group(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    return await _create(ctx, params, RoomType.PRIVATE)


@method("createDirectMessage")
async def create_direct_message(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    usernames = tuple(p for p in params if isinstance(p, str))
    room = await open_direct_message(ctx.deps, ctx.user, usernames)
    return {"rid": room.id, "_id": room.id, "t": "d", "usernames": list(room.dm_usernames)}


@method("readMessages")
async def read_messages(ctx: MethodContext, params: list[Any]) -> None:
    await mark_read(ctx.deps, ctx.user, param(params, 0, str), param(params, 1, bool, False))


@method("setReaction")
async def set_reaction(ctx: MethodContext, params: list[Any]) -> None:
    emoji, message_id = param(params, 0, str), param(params, 1, str)
    await react_to_message(ctx.deps, ctx.user, message_id, emoji, param(params, 2, bool, None))


@method("getUsersOfRoom")
async def get_users_of_room(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    """`(rid, showAll, {limit, skip}, filter)`: members by username; only those present
    unless showAll."""
    rid, show_all = param(params, 0, str), param(params, 1, bool, False)
    paging = param(params, 2, dict, {})
    limit, skip = paging.get("limit"), paging.get("skip", 0)
    upper = ctx.deps.settings.int("API_Upper_Count_Limit")
    count = min(limit, upper) if isinstance(limit, int) and limit > 0 else upper
    offset = skip if isinstance(skip, int) and skip > 0 else 0
    query = MemberQuery(statuses=() if show_all else PRESENT, text=param(params, 3, str, ""))
    users, total = await list_members(
        ctx.deps, ctx.user, RoomRef(room_id=rid), query, offset, count
    )
    return {"total": total, "records": [serialize_member(u) for u in users]}
