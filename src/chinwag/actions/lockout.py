"""Blocking logins after repeated failures, by user and by address, as Rocket.Chat's
Block_Multiple_Failed_Logins_* settings describe; optionally telling a channel."""

import structlog

from chinwag.actions.alerts import tell_channel
from chinwag.actions.bootstrap import ROCKET_CAT_ID
from chinwag.actions.deps import Deps
from chinwag.domain.errors import LoginFailed
from chinwag.domain.models import User

log = structlog.get_logger(__name__)

_PREFIX = "Block_Multiple_Failed_Logins_"


def _on(deps: Deps, name: str) -> bool:
    return deps.settings.bool(_PREFIX + "Enabled") and deps.settings.bool(_PREFIX + name)


def _watched_ip(deps: Deps, client_ip: str | None) -> str | None:
    """The address to count failures against, unless it is on the allow list."""
    if not client_ip or not _on(deps, "By_Ip"):
        return None
    allowed = {a.strip() for a in deps.settings.str(_PREFIX + "Ip_Whitelist").split(",")}
    return None if client_ip in allowed else client_ip


def _ip_rule(deps: Deps) -> tuple[int, int]:
    return (
        deps.settings.int(_PREFIX + "Attempts_Until_Block_By_Ip"),
        deps.settings.int(_PREFIX + "Time_To_Unblock_By_Ip_In_Minutes") * 60_000,
    )


def _user_rule(deps: Deps) -> tuple[int, int]:
    return (
        deps.settings.int(_PREFIX + "Attempts_Until_Block_by_User"),
        deps.settings.int(_PREFIX + "Time_To_Unblock_By_User_In_Minutes") * 60_000,
    )


async def require_ip_not_blocked(deps: Deps, client_ip: str | None) -> None:
    ip = _watched_ip(deps, client_ip)
    if ip is not None and await deps.limits.count(f"login-fail-ip:{ip}") >= _ip_rule(deps)[0]:
        raise LoginFailed("error-login-blocked-for-ip", "Login has been temporarily blocked For IP")


async def require_user_not_blocked(deps: Deps, user: User) -> None:
    if not _on(deps, "By_User"):
        return
    if await deps.limits.count(f"login-fail-user:{user.id}") >= _user_rule(deps)[0]:
        raise LoginFailed(
            "error-login-blocked-for-user", "Login has been temporarily blocked For User"
        )


async def count_failure(deps: Deps, user: User | None, client_ip: str | None) -> None:
    """A wrong password (or unknown user): count it; the attempt that reaches a limit blocks."""
    ip = _watched_ip(deps, client_ip)
    if ip is not None:
        limit, window = _ip_rule(deps)
        verdict = await deps.limits.hit(f"login-fail-ip:{ip}", limit, window)
        if verdict.allowed and verdict.remaining == 0:
            await _tell(deps, f"Login blocked for IP {ip} after {limit} failed attempts")
    if user is not None and _on(deps, "By_User"):
        limit, window = _user_rule(deps)
        verdict = await deps.limits.hit(f"login-fail-user:{user.id}", limit, window)
        if verdict.allowed and verdict.remaining == 0:
            name = user.username or user.id
            await _tell(deps, f"Login blocked for user {name} after {limit} failed attempts")


async def forget_failures(deps: Deps, user: User, client_ip: str | None) -> None:
    """A successful login clears the count for the user and for the address it came from."""
    await deps.limits.clear(f"login-fail-user:{user.id}")
    if client_ip:
        await deps.limits.clear(f"login-fail-ip:{client_ip}")


async def _tell(deps: Deps, text: str) -> None:
    """Log a new block; with ..._Notify_Failed, rocket.cat says it in the chosen channel."""
    log.warning("login blocked", detail=text)
    channel = deps.settings.str(_PREFIX + "Notify_Failed_Channel").strip().lstrip("#")
    if not deps.settings.bool(_PREFIX + "Notify_Failed") or not channel:
        return
    if not await tell_channel(deps, ROCKET_CAT_ID, channel, text):
        log.warning("login block notice has no channel", channel=channel)
