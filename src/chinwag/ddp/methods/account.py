"""login, logout, and status methods."""

from typing import Any

from chinwag.actions.auth import (
    LoginFailed,
    Session,
    log_in,
    logout,
)
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.domain.models import Status
from chinwag.domain.passwords import hash_login_token


@method("login")
async def login(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    request = param(params, 0, dict)
    try:
        session, kind = await log_in(ctx.deps, request)
    except LoginFailed as exc:
        raise MethodError(
            403, "User not found" if exc.code == "Unauthorized" else exc.reason
        ) from exc
    return await _logged_in(ctx, session, kind)


async def _logged_in(ctx: MethodContext, session: Session, kind: str) -> dict[str, Any]:
    await ctx.set_presence(None)  # a socket logging in again as someone else
    ctx.connection.user = session.user
    ctx.connection.token = session.token
    await ctx.set_presence(Status.ONLINE)
    async with ctx.deps.reader() as uow:
        expires = await uow.tokens.find_token_expiry(
            session.user.id, hash_login_token(session.token)
        )
    return {
        "id": session.user.id,
        "token": session.token,
        "tokenExpires": date(expires) if expires else None,
        "type": kind,
    }


@method("logout")
async def logout_method(ctx: MethodContext, params: list[Any]) -> None:
    if ctx.connection.user is not None and ctx.connection.token:
        await logout(ctx.deps, ctx.connection.user, ctx.connection.token)
    await ctx.set_presence(None)
    ctx.connection.user = None
    ctx.connection.token = None


@method("UserPresence:online")
async def presence_online(ctx: MethodContext, params: list[Any]) -> bool:
    ctx.user  # noqa: B018  (signed-in callers only)
    await ctx.set_presence(Status.ONLINE)
    return True


@method("UserPresence:away")
async def presence_away(ctx: MethodContext, params: list[Any]) -> bool:
    ctx.user  # noqa: B018
    await ctx.set_presence(Status.AWAY)
    return True
