"""permissions.listAll and permissions.update."""

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from chinwag.actions.roles import PermissionChange, list_permissions, update_permissions
from chinwag.http.auth import CallerDep, origin_of
from chinwag.http.envelope import ok
from chinwag.http.v1 import V1
from chinwag.serialize import config as shape

router = APIRouter(prefix=V1, tags=["permissions"])


@router.get("/permissions.listAll", summary="Permissions and the roles granted them")
async def permissions_list_all(
    caller: CallerDep, updatedSince: str | None = Query(None)
) -> Response:
    since = shape.parse_since(updatedSince)
    permissions = await list_permissions(caller.deps, since)
    return ok(update=[shape.permission(p) for p in permissions], remove=[])


class PermissionItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(alias="_id", min_length=1)
    roles: list[str]


class PermissionsUpdateBody(BaseModel):
    permissions: list[PermissionItem]


@router.post("/permissions.update", summary="Set permissions' roles (access-permissions)")
async def permissions_update(
    body: PermissionsUpdateBody, caller: CallerDep, request: Request
) -> Response:
    changes = [PermissionChange(p.id, tuple(p.roles)) for p in body.permissions]
    permissions = await update_permissions(caller.deps, caller.user, changes, origin_of(request))
    return ok(permissions=[shape.permission(p) for p in permissions])
