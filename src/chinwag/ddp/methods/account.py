"""login, logout, and status methods."""

import time
from typing import Any

from chinwag.actions.auth import Session, log_in, logout
from chinwag.actions.presence import set_default_status
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.ddp.protocol import MethodError
from chinwag.domain.audit import Origin
from chinwag.domain.errors import LoginFailed
from chinwag.domain.models import Status
from chinwag.domain.passwords import hash_login_token


@method("login")
async def login(ctx: MethodContext, params: list[Any]) -> dict[str, Any]:
    request = param(params, 0, dict)
    try:
        connection = ctx.connection
        origin = Origin(ip=connection.client_ip, user_agent=connection.user_agent)
        session, kind = await log_in(ctx.deps, request, connection.client_ip, origin, "ddp")
    except LoginFailed as exc:
        if exc.code.startswith(("error-", "totp-")):  # Rocket.Chat's own refusals keep theirs
            raise MethodError(exc.code, exc.reason, exc.details or None) from exc
        raise MethodError(
            403, "User not found" if exc.code == "Unauthorized" else exc.reason
        ) from exc
    return await logged_in(ctx, session, kind)


async def logged_in(ctx: MethodContext, session: Session, kind: str) -> dict[str, Any]:
    """Log the socket in as the session's user; Meteor's login answer."""
    await ctx.sign_in(session.user, session.token)
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
    await ctx.sign_out()


@method("UserPresence:online")
async def presence_online(ctx: MethodContext, params: list[Any]) -> bool:
    ctx.user  # noqa: B018  (signed-in callers only)
    ctx.connection.idle_away = False
    ctx.connection.last_active = time.monotonic()  # a client saying its person is active
    await ctx.set_presence(Status.ONLINE)
    return True


@method("UserPresence:away")
async def presence_away(ctx: MethodContext, params: list[Any]) -> bool:
    ctx.user  # noqa: B018
    ctx.connection.idle_away = False  # the client's own word: only it brings the socket back
    await ctx.set_presence(Status.AWAY)
    return True


@method("UserPresence:setDefaultStatus")
async def presence_default(ctx: MethodContext, params: list[Any]) -> bool:
    """The status the user chose (online, away, busy, offline), as users.setStatus sets it."""
    await set_default_status(ctx.deps, ctx.user, param(params, 0, str))
    return True
