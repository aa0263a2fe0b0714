"""Where successful logins came from: kept Chinwag_Login_History_Days, then pruned (copies in
evidence bundles stay)."""

from datetime import timedelta

from chinwag.actions.deps import Deps
from chinwag.domain.audit import Origin
from chinwag.domain.ids import random_id

MAX_USER_AGENT = 500


async def record_login(deps: Deps, user_id: str, origin: Origin | None, method: str) -> None:
    """Keep a successful login's address and user agent, unless the history is off (0 days)."""
    if deps.settings.int("Chinwag_Login_History_Days") <= 0:
        return
    agent = origin.user_agent if origin else None
    async with deps.uow() as uow:
        await uow.moderation.insert_login(
            {
                "id": random_id(),
                "user_id": user_id,
                "ts": deps.clock.now(),
                "ip": origin.ip if origin else None,
                "user_agent": agent[:MAX_USER_AGENT] if agent else None,
                "method": method,
            }
        )


async def prune_login_history(deps: Deps) -> int:
    """Forget logins older than the retention period; returns how many went."""
    days = deps.settings.int("Chinwag_Login_History_Days")
    before = deps.clock.now() - timedelta(days=max(days, 0))
    async with deps.uow() as uow:
        return await uow.moderation.prune_logins(before)
