"""users.*: sign-up and administration (create, read, update, activate, delete)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from chinwag.actions.access import can
from chinwag.actions.accounts import NewUser
from chinwag.actions.profile import ProfileChanges, update_user
from chinwag.actions.registration import Registration, register_user
from chinwag.actions.users import (
    UserSelector,
    create_user,
    deactivate_idle,
    delete_own_account,
    delete_user,
    get_user,
    list_users,
    sees_full_profile,
    set_active_status,
    suggest_username,
    user_filter_from_query,
)
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import User
from chinwag.http.auth import (
    Caller,
    CallerDep,
    DepsDep,
    OptionalCallerDep,
    TwoFactorDep,
    client_ip,
    origin_of,
)
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing
from chinwag.http.v1 import V1
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["users"])


def user_query(
    userId: str | None = Query(None),
    username: str | None = Query(None),
    user: str | None = Query(None),
) -> UserSelector:
    """Rocket.Chat's user params in a query string: `userId`, else `username` (or `user`)."""
    return UserSelector(user_id=userId or None, username=username or user or None)


UserQueryDep = Annotated[UserSelector, Depends(user_query)]


class UserParams(BaseModel):
    """Rocket.Chat's user params in a body: `userId`, else `username` (or `user`)."""

    userId: str | None = None
    username: str | None = None
    user: str | None = None

    def selector(self) -> UserSelector:
        return UserSelector(
            user_id=self.userId or None, username=self.username or self.user or None
        )


class RegisterBody(BaseModel):
    username: str = Field(min_length=1)
    email: str = Field(min_length=3)
    pass_: str = Field(alias="pass", min_length=1)
    name: str = ""
    secretURL: str | None = None
    reason: str | None = None


@router.post("/users.register", summary="Sign up (subject to the registration settings)")
async def users_register(
    body: RegisterBody, request: Request, deps: DepsDep, caller: OptionalCallerDep
) -> Response:
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
            client_ip=client_ip(request),
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
async def users_create(body: CreateBody, caller: CallerDep, request: Request) -> Response:
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
        origin_of(request),
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
        return ok(user=_with_restriction(caller, user, serialize.user_full(user)))
    return ok(user=serialize.user_public(user))


def _with_restriction(caller: Caller, user: User, body: dict[str, Any]) -> dict[str, Any]:
    """Moderators see `restricted: true` on a shadow-restricted user; the user never does."""
    if (
        user.restricted
        and user.id != caller.user.id
        and can(caller.deps, caller.user, "view-moderation-console")
    ):
        body["restricted"] = True
    return body


@router.get("/users.list", summary="Users, paginated (permission view-d-room)")
async def users_list(caller: CallerDep, page: PageDep) -> Response:
    flt = user_filter_from_query(page.query)
    users, total = await list_users(
        caller.deps, caller.user, flt, page.offset, page.count, page.sort
    )
    full_info = can(caller.deps, caller.user, "view-full-other-user-info")
    if full_info:
        shaped = [_with_restriction(caller, u, serialize.user_full(u)) for u in users]
    else:
        shaped = [serialize.user_public(u) for u in users]
    return ok(**listing("users", shaped, page, total))


class UpdateData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(None, max_length=320)
    name: str | None = Field(None, max_length=200)
    password: str | None = Field(None, max_length=1000)
    username: str | None = Field(None, max_length=120)
    active: bool | None = None
    roles: list[Annotated[str, Field(max_length=64)]] | None = None
    verified: bool | None = None
    customFields: dict[str, Any] | None = None
    requirePasswordChange: bool | None = None
    nickname: str | None = None
    bio: str | None = None
    statusText: str | None = None
    # Accepted for compatibility; they only mean something when an account is created.
    joinDefaultChannels: bool | None = None
    sendWelcomeEmail: bool | None = None


class UpdateBody(BaseModel):
    userId: str = Field(min_length=1)
    data: UpdateData
    confirmRelinquish: bool = False


@router.post("/users.update", summary="Edit a user (self, or others with edit-other-user-info)")
async def users_update(
    body: UpdateBody,
    caller: CallerDep,
    two_factor: TwoFactorDep,
    request: Request,
) -> Response:
    d = body.data
    user = await update_user(
        caller.deps,
        caller.user,
        body.userId,
        ProfileChanges(
            email=d.email,
            name=d.name,
            username=d.username,
            password=d.password,
            nickname=d.nickname,
            bio=d.bio,
            status_text=d.statusText,
            active=d.active,
            roles=tuple(d.roles) if d.roles is not None else None,
            verified=d.verified,
            require_password_change=d.requirePasswordChange,
            custom_fields=d.customFields,
        ),
        token=caller.token,
        two_factor=two_factor,
        confirm_relinquish=body.confirmRelinquish,
        origin=origin_of(request),
    )
    return ok(user=serialize.user_full(user))


class SetActiveStatusBody(BaseModel):
    userId: str = Field(min_length=1)
    activeStatus: bool
    confirmRelinquish: bool = False


@router.post(
    "/users.setActiveStatus",
    summary="Activate (approve) or deactivate a user (edit-other-user-active-status)",
)
async def users_set_active_status(
    body: SetActiveStatusBody, caller: CallerDep, request: Request
) -> Response:
    user = await set_active_status(
        caller.deps,
        caller.user,
        body.userId,
        body.activeStatus,
        body.confirmRelinquish,
        origin_of(request),
    )
    return ok(user={"_id": user.id, "active": user.active})


class DeactivateIdleBody(BaseModel):
    daysIdle: int = Field(ge=0, le=36500)
    role: str = Field("user", min_length=1, max_length=64)


@router.post("/users.deactivateIdle", summary="Deactivate users idle for a number of days")
async def users_deactivate_idle(body: DeactivateIdleBody, caller: CallerDep) -> Response:
    count = await deactivate_idle(caller.deps, caller.user, body.daysIdle, body.role)
    return ok(count=count)


class DeleteBody(UserParams):
    confirmRelinquish: bool = False


@router.post("/users.delete", summary="Delete a user (permission delete-user)")
async def users_delete(body: DeleteBody, caller: CallerDep, request: Request) -> Response:
    selector = body.selector()
    await delete_user(
        caller.deps, caller.user, selector, body.confirmRelinquish, origin_of(request)
    )
    return ok()


class DeleteOwnAccountBody(BaseModel):
    password: str = Field(min_length=1, max_length=1000)
    confirmRelinquish: bool = False


@router.post(
    "/users.deleteOwnAccount",
    summary="Delete one's own account (Accounts_AllowDeleteOwnAccount)",
)
async def users_delete_own_account(body: DeleteOwnAccountBody, caller: CallerDep) -> Response:
    await delete_own_account(caller.deps, caller.user, body.password, body.confirmRelinquish)
    return ok()


@router.get("/users.getUsernameSuggestion", summary="A free username for the caller")
async def users_get_username_suggestion(caller: CallerDep) -> Response:
    return ok(result=await suggest_username(caller.deps, caller.user))
