"""channels.* and groups.*: who is in a room (invite, kick, join, leave), room roles, and the
caller's sidebar (open, close). Each endpoint is written once for both families."""

from fastapi import APIRouter
from starlette.responses import Response

from chinwag.actions.membership import (
    ROOM_ROLES,
    invite_users,
    join_room,
    kick_user,
    leave_room,
    set_room_role,
)
from chinwag.actions.subscriptions import set_open
from chinwag.actions.users import UserSelector
from chinwag.domain.models import RoomType
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.room_params import RoomBody, TargetBody
from chinwag.http.v1 import V1
from chinwag.http.v1.channels import FAMILIES
from chinwag.serialize.chat import room_json

router = APIRouter(prefix=V1, tags=["rooms"])


class InviteBody(TargetBody):
    userIds: list[str] | None = None
    usernames: list[str] | None = None

    def targets(self) -> tuple[UserSelector, ...]:
        found = [UserSelector(user_id=i) for i in self.userIds or () if i]
        found += [UserSelector(username=u) for u in self.usernames or () if u]
        if not found and (self.userId or self.username or self.user):
            found.append(self.target())
        return tuple(found)


class JoinBody(RoomBody):
    joinCode: str | None = None


def _register(family: str) -> None:
    kind, key = FAMILIES[family]
    is_channel = kind == RoomType.CHANNEL

    @router.post(f"/{family}.invite", summary=f"Add users to a {key}")
    async def invite(body: InviteBody, caller: CallerDep) -> Response:
        room = await invite_users(caller.deps, caller.user, body.ref(kind), body.targets())
        return ok(**{key: await room_json(caller.deps, room)})

    @router.post(f"/{family}.kick", summary=f"Remove a member from a {key} (remove-user)")
    async def kick(body: TargetBody, caller: CallerDep) -> Response:
        room = await kick_user(caller.deps, caller.user, body.ref(kind), body.target())
        return ok(**{key: await room_json(caller.deps, room)}) if is_channel else ok()

    @router.post(f"/{family}.leave", summary=f"Leave a {key}")
    async def leave(body: RoomBody, caller: CallerDep) -> Response:
        room = await leave_room(caller.deps, caller.user, body.ref(kind))
        return ok(**{key: await room_json(caller.deps, room)}) if is_channel else ok()

    if is_channel:

        @router.post("/channels.join", summary="Join a public channel (with its join code)")
        async def channels_join(body: JoinBody, caller: CallerDep) -> Response:
            room = await join_room(caller.deps, caller.user, body.ref(kind), body.joinCode)
            return ok(channel=await room_json(caller.deps, room))

    @router.post(f"/{family}.open", summary=f"Show a {key} in the caller's sidebar again")
    async def open_(body: RoomBody, caller: CallerDep) -> Response:
        await set_open(caller.deps, caller.user, body.ref(kind), True)
        return ok()

    @router.post(f"/{family}.close", summary=f"Hide a {key} from the caller's sidebar")
    async def close(body: RoomBody, caller: CallerDep) -> Response:
        await set_open(caller.deps, caller.user, body.ref(kind), False)
        return ok()

    for role in ROOM_ROLES:
        _register_role(family, role)


def _register_role(family: str, role: str) -> None:
    kind, key = FAMILIES[family]
    title = role.title()

    @router.post(f"/{family}.add{title}", summary=f"Make a member a {key} {role} (set-{role})")
    async def add(body: TargetBody, caller: CallerDep) -> Response:
        await set_room_role(caller.deps, caller.user, body.ref(kind), body.target(), role, add=True)
        return ok()

    @router.post(f"/{family}.remove{title}", summary=f"Take the {role} role from a member")
    async def remove(body: TargetBody, caller: CallerDep) -> Response:
        await set_room_role(
            caller.deps, caller.user, body.ref(kind), body.target(), role, add=False
        )
        return ok()


for _family in FAMILIES:
    _register(_family)
