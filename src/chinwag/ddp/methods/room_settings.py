"""Changing a room over DDP: saveRoomSettings and eraseRoom; hideRoom and openRoom for the
caller's own sidebar."""

from typing import Any

from chinwag.actions.room_settings import RoomChanges, change_room, delete_room
from chinwag.actions.rooms import RoomRef
from chinwag.actions.subscriptions import set_open
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.domain.models import RoomType

# saveRoomSettings keys → (RoomChanges field, type of value).
SETTINGS: dict[str, tuple[str, type]] = {
    "roomName": ("name", str),
    "roomTopic": ("topic", str),
    "roomAnnouncement": ("announcement", str),
    "roomDescription": ("description", str),
    "roomCustomFields": ("custom_fields", dict),
    "roomType": ("type", str),
    "readOnly": ("read_only", bool),
    "reactWhenReadOnly": ("react_when_read_only", bool),
    "default": ("is_default", bool),
    "joinCode": ("join_code", str),
}
ROOM_TYPES = {"c": RoomType.CHANNEL, "p": RoomType.PRIVATE}


def _invalid(reason: str = "Invalid settings provided") -> MethodError:
    return MethodError("error-invalid-settings", reason, {"method": "saveRoomSettings"})


def _changes(settings: dict[str, Any]) -> RoomChanges:
    """Rocket.Chat's setting names and values as one set of changes; unknown or mistyped
    ones refuse the whole call, so nothing is half-saved."""
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in SETTINGS:
            raise _invalid()
        field, kind = SETTINGS[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise _invalid(f"Invalid value for {key}")
        if key == "roomType":
            if value not in ROOM_TYPES:
                raise MethodError("error-invalid-room-type", f"{value} is not a valid room type")
            value = ROOM_TYPES[value]
        values[field] = value
    return RoomChanges(**values)


@method("saveRoomSettings")
async def save_room_settings(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    """`(rid, {setting: value, ...})` or `(rid, setting, value)`."""
    rid = param(params, 0, str)
    raw = params[1] if len(params) > 1 else None
    if isinstance(raw, str):
        if len(params) < 3:
            raise _invalid()
        settings = {raw: params[2]}
    elif isinstance(raw, dict) and raw:
        settings = raw
    else:
        raise _invalid()
    await change_room(ctx.deps, ctx.user, RoomRef(room_id=rid), _changes(settings))
    return {"result": True, "rid": rid}


@method("eraseRoom")
async def erase_room(ctx: MethodContext, params: list[Any]) -> bool:
    await delete_room(ctx.deps, ctx.user, RoomRef(room_id=param(params, 0, str)))
    return True


@method("hideRoom")
async def hide_room(ctx: MethodContext, params: list[Any]) -> int:
    """Take the room out of the caller's sidebar until a new message or openRoom."""
    await set_open(ctx.deps, ctx.user, RoomRef(room_id=param(params, 0, str)), False, False)
    return 1


@method("openRoom")
async def open_room(ctx: MethodContext, params: list[Any]) -> int:
    await set_open(ctx.deps, ctx.user, RoomRef(room_id=param(params, 0, str)), True, False)
    return 1
