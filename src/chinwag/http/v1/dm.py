"""dm.* (and the same handlers as im.*): direct messages between two or more people."""

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from chinwag.actions.room_queries import (
    MemberQuery,
    get_room,
    list_joined,
    list_members,
    room_counters,
)
from chinwag.actions.room_settings import RoomChanges, change_room, delete_room
from chinwag.actions.rooms import RoomRef, find_direct_message, open_direct_message
from chinwag.actions.subscriptions import set_open
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import RoomType
from chinwag.http.auth import Caller, CallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing
from chinwag.http.room_params import (
    HistoryWindow,
    MessageFilters,
    comma_list,
    history_response,
    messages_response,
    one_sort,
    query_list,
)
from chinwag.http.v1 import V1
from chinwag.http.v1.channels import counters_body, room_listing, rooms_page
from chinwag.serialize import base as serialize
from chinwag.serialize.chat import room_json

router = APIRouter(prefix=V1, tags=["direct messages"])
PREFIXES = ("dm", "im")
DIRECT = RoomType.DIRECT


def _missing() -> ChinwagError:
    return ChinwagError(
        "error-room-param-not-provided", 'The parameter "roomId" or "username" is required'
    )


async def dm_ref(caller: Caller, room_id: str | None, username: str | None) -> RoomRef:
    """`roomId`, or the `username` of the other party (the DM is opened if it is new)."""
    if room_id:
        return RoomRef(room_id=room_id, type=DIRECT)
    if username:
        room = await open_direct_message(caller.deps, caller.user, (username,))
        return RoomRef(room_id=room.id, type=DIRECT)
    raise _missing()


class CreateBody(BaseModel):
    username: str | None = None
    usernames: str | None = None  # comma-separated
    excludeSelf: bool = False


class RoomIdBody(BaseModel):
    roomId: str | None = None

    def ref(self) -> RoomRef:
        if not self.roomId:
            raise _missing()
        return RoomRef(room_id=self.roomId, type=DIRECT)


class DeleteBody(RoomIdBody):
    username: str | None = None


class TopicBody(RoomIdBody):
    topic: str | None = None


def _register(prefix: str) -> None:
    @router.post(f"/{prefix}.create", summary="Open a direct message with one or more users")
    async def create(body: CreateBody, caller: CallerDep) -> Response:
        names = (body.username,) if body.username else comma_list(body.usernames)
        if not names:
            raise ChinwagError(
                "error-invalid-params", 'The parameter "username" or "usernames" is required'
            )
        room = await open_direct_message(caller.deps, caller.user, names, body.excludeSelf)
        return ok(room={**await room_json(caller.deps, room), "rid": room.id})

    @router.get(f"/{prefix}.list", summary="The caller's direct messages, with lastMessage")
    async def list_(caller: CallerDep, page: PageDep) -> Response:
        found = await list_joined(caller.deps, caller.user, DIRECT, room_listing(page))
        return await rooms_page(caller, "ims", found, page)

    @router.get(f"/{prefix}.history", summary="A direct message's messages, newest first")
    async def history(
        caller: CallerDep,
        roomId: str | None = Query(None),
        latest: str | None = Query(None),
        oldest: str | None = Query(None),
        inclusive: bool = Query(False),
        count: int = Query(20, ge=0, le=2**31),
        offset: int = Query(0, ge=0, le=2**31),
        showThreadMessages: bool = Query(True),
    ) -> Response:
        if not roomId:
            raise _missing()
        room = await get_room(caller.deps, caller.user, RoomRef(room_id=roomId, type=DIRECT))
        window = HistoryWindow(latest, oldest, inclusive, count, offset, showThreadMessages)
        return await history_response(caller, room, window)

    @router.get(f"/{prefix}.messages", summary="A direct message's messages, filterable")
    async def messages(
        caller: CallerDep,
        page: PageDep,
        roomId: str | None = Query(None),
        username: str | None = Query(None),
        mentionIds: str | None = Query(None),
        starredIds: str | None = Query(None),
        pinned: str | None = Query(None),
    ) -> Response:
        filters = MessageFilters(mentionIds, starredIds, pinned)
        return await messages_response(
            caller, page, await dm_ref(caller, roomId, username), filters
        )

    @router.get(f"/{prefix}.members", summary="The people in a direct message")
    async def members(
        request: Request,
        caller: CallerDep,
        page: PageDep,
        roomId: str | None = Query(None),
        username: str | None = Query(None),
        filter: str | None = Query(None),
    ) -> Response:
        query = MemberQuery(
            statuses=query_list(request, "status"),
            text=filter or "",
            descending=one_sort(page.sort, "username") < 0,
        )
        ref = await dm_ref(caller, roomId, username)
        found, total = await list_members(
            caller.deps, caller.user, ref, query, page.offset, page.count
        )
        return ok(**listing("members", [serialize.member(u) for u in found], page, total))

    @router.get(f"/{prefix}.counters", summary="Unread and message counters of a DM")
    async def counters(
        caller: CallerDep, roomId: str | None = Query(None), userId: str | None = Query(None)
    ) -> Response:
        if not roomId:
            raise _missing()
        ref = RoomRef(room_id=roomId, type=DIRECT)
        found = await room_counters(caller.deps, caller.user, ref, userId)
        return ok(**counters_body(found))

    @router.post(f"/{prefix}.open", summary="Show a direct message in the sidebar")
    async def open_(body: RoomIdBody, caller: CallerDep) -> Response:
        await set_open(caller.deps, caller.user, body.ref(), True, refuse_same=False)
        return ok()

    @router.post(f"/{prefix}.close", summary="Hide a direct message from the sidebar")
    async def close(body: RoomIdBody, caller: CallerDep) -> Response:
        await set_open(caller.deps, caller.user, body.ref(), False)
        return ok()

    @router.post(f"/{prefix}.delete", summary="Delete a direct message (delete-d)")
    async def delete(body: DeleteBody, caller: CallerDep) -> Response:
        if body.roomId:
            ref = body.ref()
        elif body.username:
            found = await find_direct_message(caller.deps, caller.user, body.username)
            ref = RoomRef(room_id=found.id, type=DIRECT)
        else:
            raise _missing()
        await delete_room(caller.deps, caller.user, ref, "view-room-administration")
        return ok()

    @router.get(f"/{prefix}.files", summary="Files shared in a direct message")
    async def files(
        caller: CallerDep,
        page: PageDep,
        roomId: str | None = Query(None),
        username: str | None = Query(None),
    ) -> Response:
        await get_room(caller.deps, caller.user, await dm_ref(caller, roomId, username))
        return ok(**listing("files", [], page, 0))  # uploads are not stored yet

    @router.post(f"/{prefix}.setTopic", summary="Set a direct message's topic (edit-room)")
    async def set_topic(body: TopicBody, caller: CallerDep) -> Response:
        await change_room(caller.deps, caller.user, body.ref(), RoomChanges(topic=body.topic or ""))
        return ok(topic=body.topic or "")


for _prefix in PREFIXES:
    _register(_prefix)
