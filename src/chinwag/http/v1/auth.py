"""/api/info, login, logout, me."""

from typing import Any

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from chinwag import ROCKETCHAT_API_VERSION, __version__
from chinwag.actions.access import can
from chinwag.actions.auth import Session, log_in, logout
from chinwag.domain.errors import InvalidParams, LoginFailed
from chinwag.http.auth import CallerDep, DepsDep, OptionalCallerDep, client_ip, origin_of
from chinwag.http.envelope import JSON, ok
from chinwag.http.v1 import V1
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["auth"])
info_router = APIRouter(tags=["server"])


@info_router.get("/api/info", summary="Server version")
@info_router.get("/api/v1/info", summary="Server version", include_in_schema=False)
async def api_info(caller: OptionalCallerDep) -> Response:
    body: dict[str, Any] = {
        "version": ROCKETCHAT_API_VERSION,
        "minimumClientVersions": {"desktop": "3.9.0", "mobile": "4.0.0"},
        "chinwag": {"version": __version__},
    }
    if caller and can(caller.deps, caller.user, "view-statistics"):
        body["info"] = {
            "version": ROCKETCHAT_API_VERSION,
            "build": {},
            "commit": {},
            "chinwag": __version__,
        }
    return ok(**body)


def _login_failure(exc: LoginFailed) -> Response:
    body: dict[str, object] = {
        "status": "error",
        "success": False,
        "error": exc.code,
        "message": exc.reason,
    }
    if exc.details:
        body["details"] = exc.details  # totp-required: the method and the available ones
    return JSON(body, status_code=401)


LOGIN_FIELDS = frozenset({"user", "username", "email", "password", "code"})


def _with_second_factor(body: dict[str, Any], request: Request) -> dict[str, Any]:
    """Rocket.Chat's REST login: a password login's `code` (or the x-2fa-code header) turns
    it into Meteor's `{totp: {login, code}}`. Other bodies go to the login method as they are."""
    if body.get("password") is None or set(body) - LOGIN_FIELDS:
        return body
    code = body.get("code") or request.headers.get("x-2fa-code")
    login = {k: v for k, v in body.items() if k != "code"}
    return {"totp": {"login": login, "code": code}} if code else login


def _login_success(deps: DepsDep, session: Session) -> Response:
    return ok(
        status="success",
        data={
            "userId": session.user.id,
            "authToken": session.token,
            "me": serialize.me(deps, session.user),
        },
    )


@router.post("/login", summary="Log in with a password, a password digest, or a resume token")
async def login(request: Request, deps: DepsDep, body: dict[str, Any] = Body(...)) -> Response:
    try:
        session, _ = await log_in(
            deps, _with_second_factor(body, request), client_ip(request), origin_of(request)
        )
    except LoginFailed as exc:
        return _login_failure(exc)
    return _login_success(deps, session)


@router.post("/logout", summary="End the session of the presented token")
@router.get("/logout", include_in_schema=False)
async def api_logout(caller: CallerDep) -> Response:
    await logout(caller.deps, caller.user, caller.token)
    return ok(status="success", data={"message": "You've been logged out!"})


@router.get("/me", summary="The signed-in user's profile")
async def api_me(caller: CallerDep) -> Response:
    body = serialize.me(caller.deps, caller.user)
    return ok(**body)


def require_string(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise InvalidParams(f"The '{key}' param is required")
    return value
