"""channels.* and groups.*: one implementation, registered under both families."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.history import room_history
from chinwag.actions.rooms import NewRoom, access_room, create_room, find_room_by_id_or_name
from chinwag.domain.errors import InvalidParams, room_not_found
from chinwag.domain.models import Room, RoomType
from chinwag.http import serialize
from chinwag.http.auth import Caller, CallerDep
from chinwag.http.envelope import ok
from chinwag.http.serialize_chat import message as serialize_message
from chinwag.http.v1 import V1

router = APIRouter(prefix=V1, tags=["rooms"])

# family -> (room type, the response key for one room)
FAMILIES = {"channels": (RoomType.CHANNEL, "channel"), "groups": (RoomType.PRIVATE, "group")}


async def family_room(caller: Caller, family: str, room_id: str | None, name: str | None) -> Room:
    """The room a channels.* / groups.* call names, of the family's type, readable by the caller."""
    kind = FAMILIES[family][0]
    async with caller.deps.reader() as uow:
        room = await find_room_by_id_or_name(uow, room_id, name)
        if room.type != kind:
            raise room_not_found()
        await access_room(caller.deps, uow, caller.user, room)
    return room


def parse_date(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidParams(f"The '{name}' param must be an ISO 8601 date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class CreateBody(BaseModel):
    name: str = Field(min_length=1)
    members: list[str] = Field(default_factory=list)
    readOnly: bool = False
    customFields: dict[str, Any] = Field(default_factory=dict)
    excludeSelf: bool = False
    extraData: dict[str, Any] = Field(default_factory=dict)


def _register(family: str) -> None:
    kind, key = FAMILIES[family]

    @router.post(
        f"/{family}.create",
        summary=f"Create a {'public channel' if kind == RoomType.CHANNEL else 'private group'}",
    )
    async def create(body: CreateBody, caller: CallerDep) -> Response:
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
                topic=body.extraData.get("topic")
                if isinstance(body.extraData.get("topic"), str)
                else None,
            ),
        )
        return ok(**{key: serialize.room(room)})

    @router.get(f"/{family}.info", summary=f"One {key} by roomId or roomName")
    async def info(
        caller: CallerDep, roomId: str | None = Query(None), roomName: str | None = Query(None)
    ) -> Response:
        room = await family_room(caller, family, roomId, roomName)
        return ok(**{key: serialize.room(room)})

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
        limit = min(count, caller.deps.settings.int("API_Upper_Count_Limit")) if count else None
        page = await room_history(
            caller.deps,
            caller.user,
            room,
            parse_date(latest, "latest"),
            parse_date(oldest, "oldest"),
            inclusive,
            offset,
            limit,
            with_thread_replies=showThreadMessages,
        )
        return ok(
            messages=[serialize_message(m) for m in page.messages],
            count=len(page.messages),
            offset=offset,
        )


for _family in FAMILIES:
    _register(_family)
