"""rooms.*: any room by id or name: catching up, details, favourites, leaving, cleaning
history, room administration, settings, roles and discussions."""

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from chinwag.actions.discussions import NewDiscussion, create_discussion, list_discussions
from chinwag.actions.membership import leave_room
from chinwag.actions.room_queries import admin_rooms, room_info, room_roles, sync_rooms
from chinwag.actions.room_settings import (
    HistoryCleaning,
    RoomChanges,
    change_room,
    clean_history,
)
from chinwag.actions.rooms import RoomRef
from chinwag.actions.subscriptions import set_favourite
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.domain.models import RoomType
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep
from chinwag.http.room_params import (
    RoomBody,
    parse_date,
    query_list,
    truthy,
)
from chinwag.http.v1 import V1
from chinwag.http.v1.channels import room_listing, rooms_page
from chinwag.serialize.base import iso
from chinwag.serialize.chat import room_json, room_role, rooms_json

router = APIRouter(prefix=V1, tags=["rooms"])


@router.get("/rooms.get", summary="The caller's rooms; with updatedSince, what changed")
async def rooms_get(caller: CallerDep, updatedSince: str | None = Query(None)) -> Response:
    since = parse_date(updatedSince, "updatedSince", "error-updatedSince-param-invalid")
    found = await sync_rooms(caller.deps, caller.user, since)
    removed = [{"_id": room_id, "_deletedAt": iso(at)} for room_id, at in found.remove]
    return ok(update=await rooms_json(caller.deps, found.update), remove=removed)


@router.get("/rooms.info", summary="One room by roomId or roomName, any type")
async def rooms_info(
    caller: CallerDep, roomId: str | None = Query(None), roomName: str | None = Query(None)
) -> Response:
    room, parent = await room_info(caller.deps, caller.user, RoomRef(roomId, roomName))
    body: dict[str, Any] = {"room": await room_json(caller.deps, room)}
    if parent is not None:
        shown: dict[str, Any] = {
            "_id": parent.id,
            "name": parent.name,
            "fname": parent.fname,
            "t": parent.type.value,
            "prid": parent.parent_id,
        }
        if parent.creator is not None:
            shown["u"] = {"_id": parent.creator.id, "username": parent.creator.username}
        body["parent"] = {k: v for k, v in shown.items() if v is not None}
    return ok(**body)


class FavoriteBody(RoomBody):
    favorite: bool | None = None


@router.post("/rooms.favorite", summary="Star or unstar a room for the caller")
async def rooms_favorite(body: FavoriteBody, caller: CallerDep) -> Response:
    if body.favorite is None:
        raise InvalidParams("The 'favorite' param is required")
    await set_favourite(caller.deps, caller.user, body.ref(), body.favorite)
    return ok()


@router.post("/rooms.leave", summary="Leave a room of any type")
async def rooms_leave(body: RoomBody, caller: CallerDep) -> Response:
    await leave_room(caller.deps, caller.user, body.ref())
    return ok()


class CleanHistoryBody(RoomBody):
    latest: str = ""
    oldest: str = ""
    inclusive: bool = False
    limit: int | None = Field(None, ge=0, le=2**31)
    excludePinned: bool | str = False
    filesOnly: bool | str = False
    ignoreThreads: bool | str = False
    ignoreDiscussion: bool | str = False
    users: list[str] = Field(default_factory=list)


@router.post("/rooms.cleanHistory", summary="Delete a room's messages in a time window")
async def rooms_clean_history(body: CleanHistoryBody, caller: CallerDep) -> Response:
    latest = parse_date(body.latest, "latest")
    oldest = parse_date(body.oldest, "oldest")
    if latest is None:
        raise InvalidParams('Body parameter "latest" is required.')
    if oldest is None:
        raise InvalidParams('Body parameter "oldest" is required.')
    cleaning = HistoryCleaning(
        latest=latest,
        oldest=oldest,
        inclusive=body.inclusive,
        limit=body.limit or None,
        exclude_pinned=truthy(body.excludePinned),
        files_only=truthy(body.filesOnly),
        ignore_threads=truthy(body.ignoreThreads),
        ignore_discussions=truthy(body.ignoreDiscussion),
        usernames=tuple(u.lstrip("@") for u in body.users if u),
    )
    room_id, count = await clean_history(caller.deps, caller.user, body.ref(), cleaning)
    return ok(_id=room_id, count=count)


@router.get("/rooms.adminRooms", summary="Rooms by name and type (view-room-administration)")
async def rooms_admin_rooms(
    request: Request, caller: CallerDep, page: PageDep, filter: str | None = Query(None)
) -> Response:
    types = query_list(request, "types")
    found = await admin_rooms(caller.deps, caller.user, filter or "", types, room_listing(page))
    return await rooms_page(caller, "rooms", found, page)


# saveRoomSettings keys Chinwag stores; the others Rocket.Chat knows are accepted and ignored.
KNOWN_SETTINGS = {
    "roomAvatar",
    "featured",
    "roomName",
    "roomTopic",
    "roomAnnouncement",
    "roomCustomFields",
    "roomDescription",
    "roomType",
    "readOnly",
    "reactWhenReadOnly",
    "systemMessages",
    "default",
    "joinCode",
    "streamingOptions",
    "retentionEnabled",
    "retentionMaxAge",
    "retentionExcludePinned",
    "retentionFilesOnly",
    "retentionIgnoreThreads",
    "retentionOverrideGlobal",
    "encrypted",
    "favorite",
}


class SaveSettingsBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    rid: str = ""


def _text(value: object, key: str) -> str | None:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidParams(f"{key}: must be a string")
    return value


def _flag(value: object, key: str) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise InvalidParams(f"{key}: must be true or false")


def settings_changes(raw: dict[str, Any]) -> RoomChanges:
    unknown = sorted(set(raw) - KNOWN_SETTINGS)
    if unknown:
        raise ChinwagError("error-invalid-settings", "Invalid settings provided")
    values: dict[str, Any] = {}
    for key, field in (
        ("roomName", "name"),
        ("roomTopic", "topic"),
        ("roomAnnouncement", "announcement"),
        ("roomDescription", "description"),
        ("joinCode", "join_code"),
    ):
        if key in raw:
            values[field] = _text(raw[key], key)
    for key, field in (
        ("readOnly", "read_only"),
        ("reactWhenReadOnly", "react_when_read_only"),
        ("default", "is_default"),
    ):
        if key in raw:
            values[field] = _flag(raw[key], key)
    if "roomType" in raw:
        if raw["roomType"] not in ("c", "p"):
            raise ChinwagError("error-invalid-room-type", f"{raw['roomType']} is not a valid type")
        values["type"] = RoomType(raw["roomType"])
    if "roomCustomFields" in raw:
        if not isinstance(raw["roomCustomFields"], dict):
            raise InvalidParams("roomCustomFields: must be an object")
        values["custom_fields"] = raw["roomCustomFields"]
    if isinstance(raw.get("systemMessages"), bool):
        # Rocket.Chat's list of system message types to hide is not kept: all show or none.
        values["sys_mes"] = raw["systemMessages"]
    return RoomChanges(**values)


@router.post("/rooms.saveRoomSettings", summary="Change several settings of a room at once")
async def rooms_save_room_settings(body: SaveSettingsBody, caller: CallerDep) -> Response:
    if not body.rid:
        raise ChinwagError("error-invalid-room", "Invalid room")
    changes = settings_changes(dict(body.model_extra or {}))
    room = await change_room(caller.deps, caller.user, RoomRef(room_id=body.rid), changes)
    return ok(rid=room.id)


@router.get("/rooms.roles", summary="Members holding room roles (owner, moderator, leader)")
async def rooms_roles(caller: CallerDep, rid: str | None = Query(None)) -> Response:
    if not rid:
        raise InvalidParams("The 'rid' param is required")
    found = await room_roles(caller.deps, caller.user, RoomRef(room_id=rid))
    return ok(roles=[room_role(s) for s in found])


class DiscussionBody(BaseModel):
    prid: str = ""
    t_name: str = ""
    pmid: str | None = None
    reply: str | None = None
    users: list[str] = Field(default_factory=list)
    topic: str | None = None
    encrypted: bool | None = None


@router.post("/rooms.createDiscussion", summary="Open a discussion under a room or message")
async def rooms_create_discussion(body: DiscussionBody, caller: CallerDep) -> Response:
    if not body.prid:
        raise InvalidParams('Body parameter "prid" is required.')
    if not body.t_name.strip():
        raise InvalidParams('Body parameter "t_name" is required.')
    room = await create_discussion(
        caller.deps,
        caller.user,
        NewDiscussion(
            parent_id=body.prid,
            name=body.t_name,
            message_id=body.pmid or None,
            reply=body.reply,
            usernames=tuple(u for u in body.users if u),
            topic=body.topic,
        ),
    )
    return ok(discussion={**await room_json(caller.deps, room), "rid": room.id})


@router.get("/rooms.getDiscussions", summary="A room's discussions, by name, paged")
async def rooms_get_discussions(
    caller: CallerDep,
    page: PageDep,
    roomId: str | None = Query(None),
    roomName: str | None = Query(None),
) -> Response:
    found = await list_discussions(
        caller.deps, caller.user, RoomRef(roomId, roomName), room_listing(page)
    )
    return await rooms_page(caller, "discussions", found, page)
