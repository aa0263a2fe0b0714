"""chat.*: posting, editing and reading messages."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.messages import NewMessage, send_message
from chinwag.actions.rooms import open_direct_message
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import RoomType
from chinwag.http.auth import Caller, CallerDep
from chinwag.http.envelope import ok
from chinwag.http.serialize_chat import message as serialize_message
from chinwag.http.v1 import V1

router = APIRouter(prefix=V1, tags=["chat"])


class PostMessageBody(BaseModel):
    roomId: str | list[str] | None = None
    channel: str | list[str] | None = None
    text: str | None = None
    msg: str | None = None
    alias: str | None = None
    emoji: str | None = None
    avatar: str | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    tmid: str | None = None
    tshow: bool = False
    customFields: dict[str, Any] = Field(default_factory=dict)
    parseUrls: bool = True


async def resolve_target(caller: Caller, target: str) -> str:
    """`#name` or `@username` or a bare room id / name / user id, as Rocket.Chat resolves them."""
    deps = caller.deps
    async with deps.reader() as uow:
        if target.startswith("@"):
            other = await uow.users.find_by_username(target[1:])
        elif target.startswith("#"):
            room = await uow.rooms.find_room(target[1:]) or await uow.rooms.find_room_by_name(
                target[1:]
            )
            if room is None or room.type == RoomType.DIRECT:
                raise ChinwagError("invalid-channel", "Invalid channel")
            return room.id
        else:
            room = await uow.rooms.find_room(target) or await uow.rooms.find_room_by_name(target)
            if room is not None:
                return room.id
            other = await uow.users.find_by_id(target)
    if other is None or not other.username:
        raise ChinwagError("invalid-channel", "Invalid channel")
    dm = await open_direct_message(deps, caller.user, (other.username,))
    return dm.id


def _attachments(raw: list[dict[str, Any]]) -> tuple[dict[str, object], ...]:
    """chat.postMessage names an attachment's text `msg`; Rocket.Chat stores it as `text`."""
    out = []
    for a in raw:
        item = dict(a)
        if "msg" in item and "text" not in item:
            item["text"] = item.pop("msg")
        out.append(item)
    return tuple(out)


@router.post("/chat.postMessage", summary="Post to a room, channel (#name) or person (@name)")
async def chat_post_message(body: PostMessageBody, caller: CallerDep) -> Response:
    target = body.roomId if body.roomId is not None else body.channel
    if not target:
        raise ChinwagError("error-room-not-found", 'The "roomId" or "channel" param is required')
    first = target[0] if isinstance(target, list) else target
    if not isinstance(first, str) or not first:
        raise ChinwagError("invalid-channel", "Invalid channel")
    room_id = await resolve_target(caller, first)
    sent = await send_message(
        caller.deps,
        caller.user,
        NewMessage(
            room_id=room_id,
            text=body.text if body.text is not None else body.msg or "",
            thread_id=body.tmid,
            thread_show=body.tshow,
            alias=body.alias,
            emoji=body.emoji,
            avatar=body.avatar,
            attachments=_attachments(body.attachments),
            custom_fields=body.customFields,
        ),
    )
    return ok(
        ts=int(sent.created_at.timestamp() * 1000),
        channel=first,
        message=serialize_message(sent),
    )


class OutgoingMessage(BaseModel):
    rid: str = Field(min_length=1)
    msg: str = ""
    id_: str | None = Field(None, alias="_id")
    tmid: str | None = None
    tshow: bool = False
    alias: str | None = None
    emoji: str | None = None
    avatar: str | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    customFields: dict[str, Any] = Field(default_factory=dict)
    groupable: bool | None = None
    t: str | None = None


class SendMessageBody(BaseModel):
    message: OutgoingMessage
    previewUrls: list[str] | None = None


@router.post("/chat.sendMessage", summary="Send a full message object (client-chosen _id allowed)")
async def chat_send_message(body: SendMessageBody, caller: CallerDep) -> Response:
    m = body.message
    if m.t:
        raise ChinwagError("error-invalid-params", "System messages cannot be sent")
    sent = await send_message(
        caller.deps,
        caller.user,
        NewMessage(
            room_id=m.rid,
            text=m.msg,
            message_id=m.id_,
            thread_id=m.tmid,
            thread_show=m.tshow,
            alias=m.alias,
            emoji=m.emoji,
            avatar=m.avatar,
            attachments=tuple(m.attachments),
            custom_fields=m.customFields,
            groupable=m.groupable,
        ),
    )
    return ok(message=serialize_message(sent))
