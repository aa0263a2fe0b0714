"""Rocket.Chat's DDP rate limits: method calls and subscriptions counted per address, user,
connection, user and method, connection and method (DDP_Rate_Limit_* settings), refused
with Meteor's `too-many-requests` error. Callers with api-bypass-rate-limit are not counted."""

from chinwag.actions.access import can
from chinwag.actions.deps import Deps
from chinwag.actions.limits import seconds, too_many
from chinwag.ddp.connection import Connection
from chinwag.ddp.protocol import MethodError


async def check_ddp_limits(
    deps: Deps, connection: Connection, name: str, socket: bool = True
) -> MethodError | None:
    """Count one call of `name`; the error to answer with if a limit is passed. Over the
    HTTP bridge (`socket=False`) there is no lasting connection to count against."""
    user = connection.user
    if user is not None and can(deps, user, "api-bypass-rate-limit"):
        return None
    settings = deps.settings
    scopes = {
        "IP": connection.client_ip or "-",
        "User": user.id if user else None,
        "Connection": connection.id if socket else None,
        "User_By_Method": f"{user.id}:{name}" if user else None,
        "Connection_By_Method": f"{connection.id}:{name}" if socket else None,
    }
    refused: MethodError | None = None
    for scope, key in scopes.items():
        prefix = f"DDP_Rate_Limit_{scope}"
        if key is None or not settings.bool(f"{prefix}_Enabled"):
            continue
        verdict = await deps.limits.hit(
            f"ddp:{scope}:{key}",
            settings.int(f"{prefix}_Requests_Allowed"),
            settings.int(f"{prefix}_Interval_Time"),
        )
        if not verdict.allowed and refused is None:
            details = {"timeToReset": verdict.reset_ms}
            refused = MethodError(
                "too-many-requests", too_many(seconds(verdict.reset_ms), ""), details
            )
    return refused
