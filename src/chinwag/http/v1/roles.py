"""roles.*: list, sync, define, delete, and give roles to users."""

from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.roles import (
    RoleFields,
    RoleGrant,
    add_user_to_role,
    create_role,
    delete_role,
    list_roles,
    list_roles_updated_since,
    list_users_in_role,
    remove_user_from_role,
    update_role,
)
from chinwag.domain.errors import InvalidParams
from chinwag.http.auth import CallerDep, origin_of
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep
from chinwag.http.v1 import V1
from chinwag.serialize import config as shape

router = APIRouter(prefix=V1, tags=["roles"])

Scope = Literal["Users", "Subscriptions"]


@router.get("/roles.list", summary="Every role")
async def roles_list(caller: CallerDep) -> Response:
    roles = await list_roles(caller.deps)
    return ok(roles=[shape.role(r) for r in roles])


@router.get("/roles.sync", summary="Roles changed since a date")
async def roles_sync(caller: CallerDep, updatedSince: str | None = Query(None)) -> Response:
    since = shape.parse_since(updatedSince)
    # Without a date Rocket.Chat answers with nothing to sync, not with everything.
    roles = await list_roles_updated_since(caller.deps, since) if since else []
    return ok(roles={"update": [shape.role_synced(r) for r in roles], "remove": []})


class RoleCreateBody(BaseModel):
    name: str = Field(min_length=1)
    description: str | None = None
    scope: Scope | None = None
    mandatory2fa: bool | None = None


@router.post("/roles.create", summary="Create a custom role (access-permissions)")
async def roles_create(body: RoleCreateBody, caller: CallerDep) -> Response:
    fields = RoleFields(body.name, body.description, body.scope, body.mandatory2fa)
    role = await create_role(caller.deps, caller.user, fields)
    return ok(role=shape.role(role))


class RoleUpdateBody(RoleCreateBody):
    roleId: str = Field(min_length=1)


@router.post("/roles.update", summary="Rename or describe a role (access-permissions)")
async def roles_update(body: RoleUpdateBody, caller: CallerDep) -> Response:
    fields = RoleFields(body.name, body.description, body.scope, body.mandatory2fa)
    role = await update_role(caller.deps, caller.user, body.roleId, fields)
    return ok(role=shape.role(role))


class RoleDeleteBody(BaseModel):
    roleId: str = Field(min_length=1)


@router.post("/roles.delete", summary="Delete an unused custom role (access-permissions)")
async def roles_delete(body: RoleDeleteBody, caller: CallerDep) -> Response:
    await delete_role(caller.deps, caller.user, body.roleId)
    return ok()


class RoleGrantBody(BaseModel):
    roleId: str | None = None
    roleName: str | None = None  # what clients before Rocket.Chat 6 send
    userId: str | None = None
    username: str | None = None
    roomId: str | None = None
    scope: str | None = None  # removeUserFromRole's older name for roomId

    def grant(self) -> RoleGrant:
        role = self.roleId or self.roleName
        if not role:
            raise InvalidParams("The 'roleId' param is required", "error-invalid-role-properties")
        return RoleGrant(role, self.userId, self.username, self.roomId or self.scope)


@router.post("/roles.addUserToRole", summary="Give a user a role (access-permissions)")
async def roles_add_user_to_role(
    body: RoleGrantBody, caller: CallerDep, request: Request
) -> Response:
    role = await add_user_to_role(caller.deps, caller.user, body.grant(), origin_of(request))
    return ok(role=shape.role(role))


@router.post("/roles.removeUserFromRole", summary="Take a role from a user (access-permissions)")
async def roles_remove_user_from_role(
    body: RoleGrantBody, caller: CallerDep, request: Request
) -> Response:
    role = await remove_user_from_role(caller.deps, caller.user, body.grant(), origin_of(request))
    return ok(role=shape.role(role))


@router.get("/roles.getUsersInRole", summary="Users holding a role (access-permissions)")
async def roles_get_users_in_role(
    caller: CallerDep,
    page: PageDep,
    role: str | None = Query(None),
    roomId: str | None = Query(None),
) -> Response:
    users, total = await list_users_in_role(
        caller.deps, caller.user, role, roomId, page.offset, page.count
    )
    return ok(users=[shape.user_in_role(u) for u in users], total=total)
