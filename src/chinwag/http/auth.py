"""Who is calling: the `X-User-Id` / `X-Auth-Token` headers (or Rocket.Chat's cookies)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from chinwag.actions.auth import authenticate
from chinwag.actions.deps import Deps
from chinwag.actions.two_factor import TwoFactorInput
from chinwag.domain.audit import Origin
from chinwag.domain.errors import Unauthorized
from chinwag.domain.models import User
from chinwag.domain.two_factor import fingerprint


def _deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


async def get_deps(request: Request) -> Deps:
    return _deps(request)


DepsDep = Annotated[Deps, Depends(get_deps)]


@dataclass(frozen=True)
class Caller:
    deps: Deps
    user: User
    token: str


def client_ip(request: Request) -> str | None:
    """The caller's address (the proxy's, unless the server trusts its forwarded headers)."""
    return request.client.host if request.client else None


def origin_of(request: Request) -> Origin:
    """The address and user agent an audit entry or a login record keeps."""
    return Origin(ip=client_ip(request), user_agent=request.headers.get("user-agent"))


def presented_credentials(request: Request) -> tuple[str, str] | None:
    headers = request.headers
    user_id = headers.get("x-user-id") or request.cookies.get("rc_uid")
    token = headers.get("x-auth-token") or request.cookies.get("rc_token")
    if user_id and token:
        return user_id, token
    return None


# The callers take the app's Deps from the request rather than through DepsDep: FastAPI
# works out each sub-dependency's cache key and kind anew on every request.
async def get_caller(request: Request) -> Caller:
    credentials = presented_credentials(request)
    if credentials is None:
        raise Unauthorized()
    deps = _deps(request)
    user = await authenticate(deps, *credentials)
    return Caller(deps=deps, user=user, token=credentials[1])


async def get_optional_caller(request: Request) -> Caller | None:
    if presented_credentials(request) is None:
        return None
    return await get_caller(request)


CallerDep = Annotated[Caller, Depends(get_caller)]
OptionalCallerDep = Annotated[Caller | None, Depends(get_optional_caller)]


def client_fingerprint(request: Request) -> str:
    host = request.client.host if request.client else None
    return fingerprint(request.headers.get("user-agent"), host)


async def get_two_factor(request: Request, caller: CallerDep) -> TwoFactorInput:
    """A guarded call's second factor: the `x-2fa-code` / `x-2fa-method` headers, the token
    it came with, and which client sent it."""
    return TwoFactorInput(
        code=request.headers.get("x-2fa-code") or None,
        method=request.headers.get("x-2fa-method") or None,
        token=caller.token,
        client=client_fingerprint(request),
    )


TwoFactorDep = Annotated[TwoFactorInput, Depends(get_two_factor)]
