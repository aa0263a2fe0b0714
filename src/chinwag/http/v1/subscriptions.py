"""subscriptions.*: the caller's memberships, catching up on them, read and unread."""

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import Response

from chinwag.actions.subscriptions import (
    get_subscription,
    list_subscriptions,
    mark_read,
    mark_unread,
)
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.room_params import parse_date
from chinwag.http.v1 import V1
from chinwag.serialize.base import iso
from chinwag.serialize.chat import subscription as serialize_subscription

router = APIRouter(prefix=V1, tags=["subscriptions"])


@router.get("/subscriptions.get", summary="The caller's subscriptions; with updatedSince, changes")
async def subscriptions_get(caller: CallerDep, updatedSince: str | None = Query(None)) -> Response:
    since = parse_date(updatedSince, "updatedSince", "error-roomId-param-invalid")
    found = await list_subscriptions(caller.deps, caller.user, since)
    return ok(
        update=[serialize_subscription(s, room) for s, room in found.update],
        remove=[{"_id": r.subscription_id, "_deletedAt": iso(r.at)} for r in found.remove],
    )


@router.get("/subscriptions.getOne", summary="The caller's subscription to one room, or null")
async def subscriptions_get_one(caller: CallerDep, roomId: str | None = Query(None)) -> Response:
    if not roomId:
        raise InvalidParams("The 'roomId' param is required")
    found = await get_subscription(caller.deps, caller.user, roomId)
    return ok(subscription=serialize_subscription(*found) if found else None)


class ReadBody(BaseModel):
    rid: str | None = None
    roomId: str | None = None
    readThreads: bool = False


@router.post("/subscriptions.read", summary="Mark everything in a room as read")
async def subscriptions_read(body: ReadBody, caller: CallerDep) -> Response:
    room_id = body.rid or body.roomId
    if not room_id:
        raise InvalidParams("The 'rid' param is required")
    await mark_read(caller.deps, caller.user, room_id, body.readThreads)
    return ok()


class UnreadBody(BaseModel):
    roomId: str | None = None
    firstUnreadMessage: dict[str, object] | None = None


@router.post("/subscriptions.unread", summary="Mark a room unread from a message on")
async def subscriptions_unread(body: UnreadBody, caller: CallerDep) -> Response:
    first = body.firstUnreadMessage.get("_id") if body.firstUnreadMessage else None
    if first is not None and not isinstance(first, str):
        raise ChinwagError("error-action-not-allowed", "Not allowed")
    if not first and not body.roomId:
        raise InvalidParams("The 'roomId' or 'firstUnreadMessage' param is required")
    await mark_unread(caller.deps, caller.user, body.roomId, first or None)
    return ok()
