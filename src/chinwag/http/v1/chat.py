"""chat.*: posting, editing, deleting, reacting to, pinning, starring, following and
reporting messages. The reads are in chat_read.py."""

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.editing import Edit, delete_message, update_message
from chinwag.actions.ignores import ignore_user
from chinwag.actions.messages import NewMessage, send_message
from chinwag.actions.pins import pin_message, star_message, unpin_message
from chinwag.actions.reactions import react_to_message
from chinwag.actions.reports import report_message
from chinwag.actions.rooms import open_direct_message
from chinwag.actions.threads import follow_thread
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Message, RoomType
from chinwag.http.auth import Caller, CallerDep
from chinwag.http.envelope import ok
from chinwag.http.v1 import V1
from chinwag.serialize.chat import message as serialize_message

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


async def _post_to_target(caller: Caller, target: str, new: NewMessage) -> Message:
    """Send to a target as resolve_target reads it. A bare target is first tried as a room id,
    the common case, which saves reading the room twice; a name or a user id then resolves."""
    if target.startswith(("@", "#")):
        return await send_message(
            caller.deps, caller.user, replace(new, room_id=await resolve_target(caller, target))
        )
    try:
        return await send_message(caller.deps, caller.user, new)
    except ChinwagError as error:
        if error.code != "error-room-not-found":
            raise
        room_id = await resolve_target(caller, target)
        if room_id == target:
            raise  # the room exists: the caller may not post in it
    return await send_message(caller.deps, caller.user, replace(new, room_id=room_id))


@router.post("/chat.postMessage", summary="Post to a room, channel (#name) or person (@name)")
async def chat_post_message(body: PostMessageBody, caller: CallerDep) -> Response:
    target = body.roomId if body.roomId is not None else body.channel
    if not target:
        raise ChinwagError("error-room-not-found", 'The "roomId" or "channel" param is required')
    first = target[0] if isinstance(target, list) else target
    if not isinstance(first, str) or not first:
        raise ChinwagError("invalid-channel", "Invalid channel")
    new = NewMessage(
        room_id=first,
        text=body.text if body.text is not None else body.msg or "",
        thread_id=body.tmid,
        thread_show=body.tshow,
        alias=body.alias,
        emoji=body.emoji,
        avatar=body.avatar,
        attachments=_attachments(body.attachments),
        custom_fields=body.customFields,
    )
    sent = await _post_to_target(caller, first, new)
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


class UpdateBody(BaseModel):
    roomId: str
    msgId: str
    text: str
    customFields: dict[str, Any] | None = None
    previewUrls: list[str] | None = None


@router.post("/chat.update", summary="Edit a message's text (and custom fields)")
async def chat_update(body: UpdateBody, caller: CallerDep) -> Response:
    edit = Edit(
        room_id=body.roomId,
        message_id=body.msgId,
        text=body.text,
        custom_fields=body.customFields,
        preview_urls=tuple(body.previewUrls) if body.previewUrls is not None else None,
    )
    updated = await update_message(caller.deps, caller.user, edit)
    return ok(message=serialize_message(updated))


class DeleteBody(BaseModel):
    roomId: str
    msgId: str
    asUser: bool = False


@router.post("/chat.delete", summary="Delete a message")
async def chat_delete(body: DeleteBody, caller: CallerDep) -> Response:
    gone = await delete_message(caller.deps, caller.user, body.roomId, body.msgId, body.asUser)
    author = {"_id": gone.author.id, "username": gone.author.username}
    if gone.author.name is not None:
        author["name"] = gone.author.name
    return ok(
        _id=gone.id,
        ts=str(int(caller.deps.clock.now().timestamp() * 1000)),  # a string, as Rocket.Chat's
        message={"_id": gone.id, "rid": gone.room_id, "u": author},
    )


class ReactBody(BaseModel):
    messageId: str = Field(min_length=1)
    emoji: str | None = None
    reaction: str | None = None
    shouldReact: bool | None = None


@router.post("/chat.react", summary="React with an emoji (toggles unless shouldReact is given)")
async def chat_react(body: ReactBody, caller: CallerDep) -> Response:
    emoji = body.emoji if body.emoji is not None else body.reaction
    if not emoji:
        raise ChinwagError(
            "error-emoji-param-not-provided", 'The required "emoji" param is missing.'
        )
    await react_to_message(caller.deps, caller.user, body.messageId, emoji, body.shouldReact)
    return ok()


class MessageIdBody(BaseModel):
    messageId: str = Field(min_length=1)


@router.post("/chat.pinMessage", summary="Pin a message; answers the message_pinned notice")
async def chat_pin_message(body: MessageIdBody, caller: CallerDep) -> Response:
    notice = await pin_message(caller.deps, caller.user, body.messageId)
    return ok(message=serialize_message(notice))


@router.post("/chat.unPinMessage", summary="Unpin a message")
async def chat_unpin_message(body: MessageIdBody, caller: CallerDep) -> Response:
    await unpin_message(caller.deps, caller.user, body.messageId)
    return ok()


@router.post("/chat.starMessage", summary="Star a message (for oneself)")
async def chat_star_message(body: MessageIdBody, caller: CallerDep) -> Response:
    await star_message(caller.deps, caller.user, body.messageId, starred=True)
    return ok()


@router.post("/chat.unStarMessage", summary="Unstar a message")
async def chat_unstar_message(body: MessageIdBody, caller: CallerDep) -> Response:
    await star_message(caller.deps, caller.user, body.messageId, starred=False)
    return ok()


class FollowBody(BaseModel):
    mid: str = Field(min_length=1)


@router.post("/chat.followMessage", summary="Follow a message's thread")
async def chat_follow_message(body: FollowBody, caller: CallerDep) -> Response:
    await follow_thread(caller.deps, caller.user, body.mid, follow=True)
    return ok()


@router.post("/chat.unfollowMessage", summary="Stop following a message's thread")
async def chat_unfollow_message(body: FollowBody, caller: CallerDep) -> Response:
    await follow_thread(caller.deps, caller.user, body.mid, follow=False)
    return ok()


class ReportBody(BaseModel):
    messageId: str = Field(min_length=1)
    description: str


@router.post("/chat.reportMessage", summary="Report a message to the moderators")
async def chat_report_message(body: ReportBody, caller: CallerDep) -> Response:
    await report_message(caller.deps, caller.user, body.messageId, body.description)
    return ok()


@router.get("/chat.ignoreUser", summary="Hide (or show again) a member's messages in a room")
async def chat_ignore_user(
    caller: CallerDep,
    rid: str = Query(""),
    userId: str = Query(""),
    ignore: str = Query("true"),
) -> Response:
    if not rid.strip():
        raise ChinwagError(
            "error-room-id-param-not-provided", 'The required "rid" param is missing.'
        )
    if not userId.strip():
        raise ChinwagError(
            "error-user-id-param-not-provided", 'The required "userId" param is missing.'
        )
    hide = ignore.strip().lower() in ("true", "1")
    await ignore_user(caller.deps, caller.user, rid, userId, hide)
    return ok()
