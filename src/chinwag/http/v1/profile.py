"""users.*: one's own profile, preferences, status and presence, and avatar links."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from chinwag.actions.preferences import set_preferences
from chinwag.actions.presence import list_presence, set_status, status_of
from chinwag.actions.profile import OwnProfile, update_own_basic_info
from chinwag.actions.users import get_user
from chinwag.domain.errors import InvalidParams
from chinwag.http.auth import CallerDep, DepsDep, TwoFactorDep
from chinwag.http.envelope import JSON, ok
from chinwag.http.v1 import V1
from chinwag.http.v1.users import UserParams, UserQueryDep
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["users"])


class OwnBasicInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(None, max_length=320)
    name: str | None = Field(None, max_length=200)
    username: str | None = Field(None, max_length=120)
    nickname: str | None = None
    bio: str | None = None
    statusText: str | None = None
    statusType: str | None = None
    currentPassword: str | None = Field(None, max_length=1000)
    newPassword: str | None = Field(None, max_length=1000)


class OwnBasicInfoBody(BaseModel):
    data: OwnBasicInfo
    customFields: dict[str, Any] | None = None


@router.post("/users.updateOwnBasicInfo", summary="Edit one's own profile")
async def users_update_own_basic_info(
    body: OwnBasicInfoBody, caller: CallerDep, two_factor: TwoFactorDep
) -> Response:
    d = body.data
    user = await update_own_basic_info(
        caller.deps,
        caller.user,
        OwnProfile(
            email=d.email,
            name=d.name,
            username=d.username,
            nickname=d.nickname,
            bio=d.bio,
            status_text=d.statusText,
            status_type=d.statusType,
            current_password=d.currentPassword,
            new_password=d.newPassword,
        ),
        body.customFields,
        token=caller.token,
        two_factor=two_factor,
    )
    return ok(user=serialize.me(caller.deps, user))


class SetPreferencesBody(BaseModel):
    userId: str | None = None
    data: dict[str, Any]


@router.post("/users.setPreferences", summary="Save preferences (one's own, or anyone's)")
async def users_set_preferences(body: SetPreferencesBody, caller: CallerDep) -> Response:
    user = await set_preferences(caller.deps, caller.user, body.userId or None, body.data)
    prefs = serialize.own_preferences(caller.deps, user)
    return ok(user={"_id": user.id, "settings": {"preferences": prefs}})


@router.get("/users.getPreferences", summary="The caller's preferences")
async def users_get_preferences(caller: CallerDep) -> Response:
    return ok(preferences=serialize.own_preferences(caller.deps, caller.user))


class SetStatusBody(UserParams):
    status: str | None = None
    message: str | None = Field(None, max_length=1000)


@router.post("/users.setStatus", summary="Set a status and/or status message")
async def users_set_status(body: SetStatusBody, caller: CallerDep) -> Response:
    await set_status(caller.deps, caller.user, body.selector(), body.status, body.message)
    return ok()


@router.get("/users.getStatus", summary="A user's status")
async def users_get_status(caller: CallerDep, selector: UserQueryDep) -> Response:
    user, myself = await status_of(caller.deps, caller.user, selector)
    if myself:
        return ok(
            _id=user.id,
            connectionStatus=user.status_connection.value,
            status=user.status.value,
        )
    return ok(_id=user.id, status=user.status.value)


@router.get("/users.getPresence", summary="A user's presence")
async def users_get_presence(caller: CallerDep, selector: UserQueryDep) -> Response:
    user, myself = await status_of(caller.deps, caller.user, selector)
    if not myself:
        return ok(presence=user.status.value)
    body: dict[str, object] = {
        "presence": user.status.value,
        "connectionStatus": user.status_connection.value,
    }
    if user.last_login is not None:
        body["lastLogin"] = serialize.iso(user.last_login)
    return ok(**body)


def _parse_from(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidParams("The 'from' param must be an ISO 8601 date") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _ids(ids: str | None, ids_list: list[str] | None) -> list[str] | None:
    """`ids=a,b` or `ids[]=a&ids[]=b`."""
    found = [i for i in (ids or "").split(",") if i] + [i for i in ids_list or [] if i]
    return found or None


@router.get("/users.presence", summary="Who is online, or who changed since a time")
async def users_presence(
    caller: CallerDep,
    from_: str | None = Query(None, alias="from"),
    ids: str | None = Query(None),
    ids_list: list[str] | None = Query(None, alias="ids[]"),
) -> Response:
    result = await list_presence(caller.deps, caller.user, _parse_from(from_), _ids(ids, ids_list))
    return ok(users=[serialize.presence(u) for u in result.users], full=result.full)


@router.get("/users.getAvatar", summary="Redirect to a user's avatar (no login needed)")
async def users_get_avatar(deps: DepsDep, selector: UserQueryDep) -> Response:
    user = await get_user(deps, selector)
    url = serialize.avatar_url(deps, user)
    return JSON(url, status_code=307, headers={"Location": url})
