"""channels.* and groups.*: renaming, topic and other texts, type, read-only, join code,
default, archiving and deletion. Each endpoint is written once for both families."""

from typing import Any

from fastapi import APIRouter
from pydantic import Field
from starlette.responses import Response

from chinwag.actions.room_settings import RoomChanges, change_room, delete_room, set_archived
from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.domain.models import RoomType
from chinwag.http.auth import Caller, CallerDep
from chinwag.http.envelope import ok
from chinwag.http.room_params import RoomBody
from chinwag.http.v1 import V1
from chinwag.http.v1.channels import FAMILIES
from chinwag.serialize.chat import room_json

router = APIRouter(prefix=V1, tags=["rooms"])

# Which settings each family refuses to "change" to the value they already have, with the
# words Rocket.Chat uses (groups.* check only read-only and type).
UNCHANGED = {
    "channels": {
        "name": "The channel name is the same as what it would be renamed to.",
        "topic": "The channel topic is the same as what it would be changed to.",
        "description": "The channel description is the same as what it would be changed to.",
        "purpose": "The channel purpose (description) is the same as what it would be changed to.",
        "read_only": "The channel read only setting is the same as what it would be changed to.",
        "type": "The channel type is the same as what it would be changed to.",
        "is_default": "The channel default setting is the same as what it would be changed to.",
    },
    "groups": {
        "read_only": "The private group read only setting is the same as what it would be "
        "changed to.",
        "type": "The private group type is the same as what it would be changed to.",
    },
}


def unchanged(family: str, setting: str) -> ChinwagError | None:
    reason = UNCHANGED[family].get(setting)
    return ChinwagError("error-room-setting-unchanged", reason) if reason else None


class RenameBody(RoomBody):
    name: str = ""


class TopicBody(RoomBody):
    topic: str | None = None


class DescriptionBody(RoomBody):
    description: str | None = None


class PurposeBody(RoomBody):
    purpose: str | None = None


class AnnouncementBody(RoomBody):
    announcement: str | None = None


class ReadOnlyBody(RoomBody):
    readOnly: bool


class TypeBody(RoomBody):
    type: str = ""


class DefaultBody(RoomBody):
    default: bool


class JoinCodeBody(RoomBody):
    joinCode: str = ""


class CustomFieldsBody(RoomBody):
    customFields: dict[str, Any] = Field(default_factory=dict)


def required(body: RoomBody, field: str) -> None:
    """Rocket.Chat refuses a call that leaves out the text field, even to clear it."""
    if field not in body.model_fields_set:
        raise InvalidParams(f'The bodyParam "{field}" is required')


def room_type(value: str) -> RoomType:
    if not value.strip():
        raise InvalidParams('The bodyParam "type" is required')
    if value not in (RoomType.CHANNEL.value, RoomType.PRIVATE.value):
        raise ChinwagError("error-invalid-room-type", f"{value} is not a valid room type")
    return RoomType(value)


def _register(family: str) -> None:
    kind, key = FAMILIES[family]

    async def change(
        caller: Caller, body: RoomBody, changes: RoomChanges, setting: str
    ) -> dict[str, Any]:
        room = await change_room(
            caller.deps, caller.user, body.ref(kind), changes, unchanged(family, setting)
        )
        return await room_json(caller.deps, room)

    @router.post(f"/{family}.rename", summary=f"Rename a {key} (edit-room)")
    async def rename(body: RenameBody, caller: CallerDep) -> Response:
        if not body.name.strip():
            raise InvalidParams('The bodyParam "name" is required')
        room = await change(caller, body, RoomChanges(name=body.name), "name")
        return ok(**{key: room})

    @router.post(f"/{family}.setTopic", summary=f"Set a {key}'s topic (edit-room)")
    async def set_topic(body: TopicBody, caller: CallerDep) -> Response:
        required(body, "topic")
        await change(caller, body, RoomChanges(topic=body.topic or ""), "topic")
        return ok(topic=body.topic or "")

    @router.post(f"/{family}.setDescription", summary=f"Set a {key}'s description")
    async def set_description(body: DescriptionBody, caller: CallerDep) -> Response:
        required(body, "description")
        text = body.description or ""
        await change(caller, body, RoomChanges(description=text), "description")
        return ok(description=text)

    @router.post(f"/{family}.setPurpose", summary=f"Set a {key}'s purpose (its description)")
    async def set_purpose(body: PurposeBody, caller: CallerDep) -> Response:
        required(body, "purpose")
        await change(caller, body, RoomChanges(description=body.purpose or ""), "purpose")
        return ok(purpose=body.purpose or "")

    @router.post(f"/{family}.setAnnouncement", summary=f"Set a {key}'s announcement")
    async def set_announcement(body: AnnouncementBody, caller: CallerDep) -> Response:
        required(body, "announcement")
        text = body.announcement or ""
        await change(caller, body, RoomChanges(announcement=text), "announcement")
        return ok(announcement=text)

    @router.post(f"/{family}.setReadOnly", summary=f"Make a {key} read-only (set-readonly)")
    async def set_read_only(body: ReadOnlyBody, caller: CallerDep) -> Response:
        room = await change(caller, body, RoomChanges(read_only=body.readOnly), "read_only")
        return ok(**{key: room})

    @router.post(f"/{family}.setType", summary="Make a room public (c) or private (p)")
    async def set_type(body: TypeBody, caller: CallerDep) -> Response:
        room = await change(caller, body, RoomChanges(type=room_type(body.type)), "type")
        return ok(**{key: room})

    @router.post(f"/{family}.setCustomFields", summary=f"Replace a {key}'s custom fields")
    async def set_custom_fields(body: CustomFieldsBody, caller: CallerDep) -> Response:
        changes = RoomChanges(custom_fields=body.customFields)
        return ok(**{key: await change(caller, body, changes, "custom_fields")})

    if kind == RoomType.CHANNEL:

        @router.post("/channels.setDefault", summary="Make new users join a channel (admins)")
        async def channels_set_default(body: DefaultBody, caller: CallerDep) -> Response:
            room = await change(caller, body, RoomChanges(is_default=body.default), "is_default")
            return ok(channel=room)

        @router.post("/channels.setJoinCode", summary="Require a code to join a channel")
        async def channels_set_join_code(body: JoinCodeBody, caller: CallerDep) -> Response:
            if not body.joinCode.strip():
                raise InvalidParams('The bodyParam "joinCode" is required')
            changes = RoomChanges(join_code=body.joinCode)
            return ok(channel=await change(caller, body, changes, "join_code"))

    @router.post(f"/{family}.archive", summary=f"Archive a {key} (archive-room)")
    async def archive(body: RoomBody, caller: CallerDep) -> Response:
        await set_archived(caller.deps, caller.user, body.ref(kind), True)
        return ok()

    @router.post(f"/{family}.unarchive", summary=f"Unarchive a {key} (unarchive-room)")
    async def unarchive(body: RoomBody, caller: CallerDep) -> Response:
        await set_archived(caller.deps, caller.user, body.ref(kind), False)
        return ok()

    @router.post(f"/{family}.delete", summary=f"Delete a {key} and its messages")
    async def delete(body: RoomBody, caller: CallerDep) -> Response:
        await delete_room(caller.deps, caller.user, body.ref(kind))
        return ok()


for _family in FAMILIES:
    _register(_family)
