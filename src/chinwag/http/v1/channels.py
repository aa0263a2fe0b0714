"""channels.* and groups.*: creating and reading rooms. One implementation per endpoint,
registered under both families (http/v1/channels_members.py and channels_settings.py add
the endpoints that change membership and settings)."""

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.room_queries import (
    Counters,
    MemberQuery,
    RoomListing,
    RoomPage,
    get_room,
    list_channels,
    list_every,
    list_joined,
    list_members,
    online_members,
    room_counters,
    room_roles,
)
from chinwag.actions.rooms import NewRoom, RoomRef, create_room, locate_room
from chinwag.domain.models import Room, RoomType
from chinwag.http.auth import Caller, CallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import Page, PageDep, listing
from chinwag.http.room_params import (
    HistoryWindow,
    MessageFilters,
    history_response,
    messages_response,
    one_sort,
    query_list,
)
from chinwag.http.v1 import V1
from chinwag.serialize import base as serialize
from chinwag.serialize.chat import room_json, room_role, rooms_json

router = APIRouter(prefix=V1, tags=["rooms"])

# family -> (room type, the response key for one room)
FAMILIES = {"channels": (RoomType.CHANNEL, "channel"), "groups": (RoomType.PRIVATE, "group")}


async def family_room(caller: Caller, family: str, room_id: str | None, name: str | None) -> Room:
    """The room a channels.* / groups.* call names, of the family's type, readable by the caller."""
    ref = RoomRef(room_id=room_id or None, name=name or None, type=FAMILIES[family][0])
    async with caller.deps.reader() as uow:
        room, _ = await locate_room(caller.deps, uow, caller.user, ref)
    return room


def room_listing(page: Page) -> RoomListing:
    return RoomListing(offset=page.offset, count=page.count, sort=page.sort)


async def rooms_page(caller: Caller, key: str, found: RoomPage, page: Page) -> Response:
    items = await rooms_json(caller.deps, found.rooms)
    return ok(**listing(key, items, page, found.total))


class CreateBody(BaseModel):
    name: str = Field(min_length=1)
    members: list[str] = Field(default_factory=list)
    readOnly: bool = False
    customFields: dict[str, Any] = Field(default_factory=dict)
    excludeSelf: bool = False
    extraData: dict[str, Any] = Field(default_factory=dict)


def _register(family: str) -> None:
    kind, key = FAMILIES[family]
    plural = f"{key}s"

    def ref(room_id: str | None, room_name: str | None) -> RoomRef:
        return RoomRef(room_id=room_id or None, name=room_name or None, type=kind)

    @router.post(
        f"/{family}.create",
        summary=f"Create a {'public channel' if kind == RoomType.CHANNEL else 'private group'}",
    )
    async def create(body: CreateBody, caller: CallerDep) -> Response:
        topic = body.extraData.get("topic")
        room = await create_room(
            caller.deps,
            caller.user,
            NewRoom(
                type=kind,
                name=body.name,
                members=tuple(body.members),
                read_only=body.readOnly,
                custom_fields=body.customFields,
                exclude_self=body.excludeSelf,
                topic=topic if isinstance(topic, str) else None,
            ),
        )
        return ok(**{key: serialize.room(room)})

    @router.get(f"/{family}.info", summary=f"One {key} by roomId or roomName")
    async def info(
        caller: CallerDep, roomId: str | None = Query(None), roomName: str | None = Query(None)
    ) -> Response:
        room = await family_room(caller, family, roomId, roomName)
        return ok(**{key: await room_json(caller.deps, room)})

    @router.get(f"/{family}.history", summary=f"A {key}'s messages, newest first")
    async def history(
        caller: CallerDep,
        roomId: str | None = Query(None),
        roomName: str | None = Query(None),
        latest: str | None = Query(None),
        oldest: str | None = Query(None),
        inclusive: bool = Query(False),
        count: int = Query(20, ge=0, le=2**31),
        offset: int = Query(0, ge=0, le=2**31),
        showThreadMessages: bool = Query(True),
    ) -> Response:
        room = await family_room(caller, family, roomId, roomName)
        window = HistoryWindow(latest, oldest, inclusive, count, offset, showThreadMessages)
        return await history_response(caller, room, window)

    if kind == RoomType.CHANNEL:

        @router.get("/channels.list", summary="Public channels (view-c-room), paged")
        async def channels_list(
            caller: CallerDep, page: PageDep, _id: str | None = Query(None)
        ) -> Response:
            found = await list_channels(caller.deps, caller.user, room_listing(page), _id or None)
            return await rooms_page(caller, plural, found, page)

        @router.get("/channels.list.joined", summary="The public channels the caller is in")
        async def channels_list_joined(caller: CallerDep, page: PageDep) -> Response:
            found = await list_joined(caller.deps, caller.user, kind, room_listing(page))
            return await rooms_page(caller, plural, found, page)

    else:

        @router.get("/groups.list", summary="The private groups the caller is in")
        async def groups_list(caller: CallerDep, page: PageDep) -> Response:
            found = await list_joined(caller.deps, caller.user, kind, room_listing(page))
            return await rooms_page(caller, plural, found, page)

        @router.get("/groups.listAll", summary="Every private group (view-room-administration)")
        async def groups_list_all(caller: CallerDep, page: PageDep) -> Response:
            found = await list_every(caller.deps, caller.user, kind, room_listing(page))
            return await rooms_page(caller, plural, found, page)

    @router.get(f"/{family}.messages", summary=f"A {key}'s messages, filterable and paged")
    async def messages(
        caller: CallerDep,
        page: PageDep,
        roomId: str | None = Query(None),
        roomName: str | None = Query(None),
        mentionIds: str | None = Query(None),
        starredIds: str | None = Query(None),
        pinned: str | None = Query(None),
    ) -> Response:
        filters = MessageFilters(mentionIds, starredIds, pinned)
        return await messages_response(caller, page, ref(roomId, roomName), filters)

    @router.get(f"/{family}.members", summary=f"A {key}'s members, by username")
    async def members(
        request: Request,
        caller: CallerDep,
        page: PageDep,
        roomId: str | None = Query(None),
        roomName: str | None = Query(None),
        filter: str | None = Query(None),
    ) -> Response:
        query = MemberQuery(
            statuses=query_list(request, "status"),
            text=filter or "",
            descending=one_sort(page.sort, "username") < 0,
        )
        found, total = await list_members(
            caller.deps, caller.user, ref(roomId, roomName), query, page.offset, page.count
        )
        return ok(**listing("members", [serialize.member(u) for u in found], page, total))

    @router.get(f"/{family}.counters", summary="Unread and message counters of a room")
    async def counters(
        caller: CallerDep,
        roomId: str | None = Query(None),
        roomName: str | None = Query(None),
        userId: str | None = Query(None),
    ) -> Response:
        found = await room_counters(caller.deps, caller.user, ref(roomId, roomName), userId)
        return ok(**counters_body(found))

    @router.get(f"/{family}.roles", summary="Members holding room roles (owner, moderator…)")
    async def roles(
        caller: CallerDep, roomId: str | None = Query(None), roomName: str | None = Query(None)
    ) -> Response:
        found = await room_roles(caller.deps, caller.user, ref(roomId, roomName))
        return ok(roles=[room_role(s) for s in found])

    @router.get(f"/{family}.moderators", summary=f"A {key}'s moderators")
    async def moderators(
        caller: CallerDep, roomId: str | None = Query(None), roomName: str | None = Query(None)
    ) -> Response:
        found = await room_roles(caller.deps, caller.user, ref(roomId, roomName), ("moderator",))
        return ok(moderators=[serialize.drop_none(room_role(s)["u"]) for s in found])

    @router.get(f"/{family}.online", summary="Members who are not offline")
    async def online(
        caller: CallerDep,
        page: PageDep,
        _id: str | None = Query(None),
        roomId: str | None = Query(None),
        roomName: str | None = Query(None),
    ) -> Response:
        from_query = page.query.get("_id") if isinstance(page.query.get("_id"), str) else None
        target = ref(_id or roomId or from_query, roomName)
        found = await online_members(caller.deps, caller.user, target)
        return ok(online=[{"_id": u.id, "username": u.username} for u in found])

    @router.get(f"/{family}.files", summary=f"Files shared in a {key}")
    async def files(
        caller: CallerDep,
        page: PageDep,
        roomId: str | None = Query(None),
        roomName: str | None = Query(None),
    ) -> Response:
        await get_room(caller.deps, caller.user, ref(roomId, roomName))
        return ok(**listing("files", [], page, 0))  # uploads are not stored yet


def counters_body(found: Counters) -> dict[str, Any]:
    return {
        "joined": found.joined,
        "members": found.members,
        "unreads": found.unreads,
        "unreadsFrom": serialize.iso(found.unreads_from),
        "msgs": found.msgs,
        "latest": serialize.iso(found.latest),
        "userMentions": found.user_mentions,
    }


for _family in FAMILIES:
    _register(_family)
