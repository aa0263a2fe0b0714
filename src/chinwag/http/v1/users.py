"""users.*: sign-up, administration and self-service."""

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.access import can
from chinwag.actions.accounts import NewUser
from chinwag.actions.registration import Registration, register_user
from chinwag.actions.users import (
    UserSelector,
    create_user,
    get_user,
    list_users,
    sees_full_profile,
    user_filter_from_query,
)
from chinwag.domain.errors import ChinwagError
from chinwag.http import serialize
from chinwag.http.auth import CallerDep, DepsDep, OptionalCallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing

router = APIRouter(tags=["users"])


class RegisterBody(BaseModel):
    username: str = Field(min_length=1)
    email: str = Field(min_length=3)
    pass_: str = Field(alias="pass", min_length=1)
    name: str = ""
    secretURL: str | None = None
    reason: str | None = None


@router.post("/users.register", summary="Sign up (subject to the registration settings)")
async def users_register(body: RegisterBody, deps: DepsDep, caller: OptionalCallerDep) -> Response:
    if caller is not None:
        raise ChinwagError("error-not-allowed", "Logged in users can not register again.")
    user = await register_user(
        deps,
        Registration(
            username=body.username.strip(),
            email=body.email.strip(),
            password=body.pass_,
            name=body.name.strip(),
            secret_url=body.secretURL,
            reason=body.reason,
        ),
    )
    return ok(user=serialize.user_full(user))


class CreateBody(BaseModel):
    email: str = Field(min_length=3)
    name: str = Field(min_length=1)
    password: str = Field(min_length=1)
    username: str = Field(min_length=1)
    active: bool = True
    roles: list[str] | None = None
    joinDefaultChannels: bool = True
    requirePasswordChange: bool = False
    sendWelcomeEmail: bool = False
    verified: bool = False
    customFields: dict[str, Any] = Field(default_factory=dict)


@router.post("/users.create", summary="Create a user (permission create-user)")
async def users_create(body: CreateBody, caller: CallerDep) -> Response:
    user = await create_user(
        caller.deps,
        caller.user,
        NewUser(
            username=body.username.strip(),
            name=body.name.strip(),
            email=body.email.strip(),
            roles=tuple(body.roles) if body.roles is not None else None,
            active=body.active,
            verified=body.verified,
            require_password_change=body.requirePasswordChange,
            join_default_channels=body.joinDefaultChannels,
            custom_fields=body.customFields,
        ),
        body.password,
    )
    return ok(user=serialize.user_full(user))


@router.get("/users.info", summary="One user by userId, username or email")
async def users_info(
    caller: CallerDep,
    userId: str | None = Query(None),
    username: str | None = Query(None),
    email: str | None = Query(None),
) -> Response:
    user = await get_user(caller.deps, UserSelector(userId, username, email))
    if sees_full_profile(caller.deps, caller.user, user):
        return ok(user=serialize.user_full(user))
    return ok(user=serialize.user_public(user))


@router.get("/users.list", summary="Users, paginated (permission view-d-room)")
async def users_list(caller: CallerDep, page: PageDep) -> Response:
    flt = user_filter_from_query(page.query)
    users, total = await list_users(
        caller.deps, caller.user, flt, page.offset, page.count, page.sort
    )
    full_info = can(caller.deps, caller.user, "view-full-other-user-info")
    full = serialize.user_full if full_info else serialize.user_public
    return ok(**listing("users", [full(u) for u in users], page, total))
