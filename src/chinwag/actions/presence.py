"""Users' chosen status and status text, and who is present."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from chinwag.actions.access import can
from chinwag.actions.deps import Deps
from chinwag.actions.profile import parse_status, write_status
from chinwag.actions.users import UserSelector, find_user
from chinwag.domain.errors import ChinwagError, Forbidden, InvalidParams
from chinwag.domain.models import User

# A `from` older than this cannot be caught up incrementally; the client gets the full list.
CATCH_UP_WINDOW = timedelta(minutes=10)


async def set_status(
    deps: Deps,
    actor: User,
    selector: UserSelector,
    status: str | None,
    message: str | None,
) -> None:
    """users.setStatus: one's own status and/or text; someone else's with edit-other-user-info."""
    if status is None and message is None:
        raise InvalidParams("The 'status' or 'message' param is required")
    if not deps.settings.bool("Accounts_AllowUserStatusMessageChange"):
        raise ChinwagError("error-not-allowed", "Change status is not allowed")
    chosen = parse_status(status) if status else None
    if not selector.names(actor) and not can(deps, actor, "edit-other-user-info"):
        raise Forbidden()
    async with deps.uow() as uow:
        user = await find_user(uow, selector) if not selector.names(actor) else actor
        await write_status(deps, uow, user, chosen, message)


async def set_default_status(deps: Deps, actor: User, status: str) -> None:
    """UserPresence:setDefaultStatus: the caller's chosen status, whatever their sockets do."""
    chosen = parse_status(status)
    async with deps.uow() as uow:
        await write_status(deps, uow, actor, chosen, None)


async def status_of(deps: Deps, actor: User, selector: UserSelector) -> tuple[User, bool]:
    """The user a users.getStatus / users.getPresence asks about, and whether it is the caller."""
    if selector.names(actor):
        async with deps.reader() as uow:
            return await find_user(uow, UserSelector(user_id=actor.id)), True
    async with deps.reader() as uow:
        return await find_user(uow, selector), False


@dataclass(frozen=True)
class Presence:
    users: list[User]
    full: bool  # True: everyone present; False: only changes or the users asked about


async def list_presence(
    deps: Deps, actor: User, since: datetime | None, ids: list[str] | None
) -> Presence:
    """users.presence: who is not offline; or, for a recent `from`, who changed since."""
    async with deps.reader() as uow:
        if ids:
            return Presence(await uow.users.list_present(ids), full=False)
        if since is not None and deps.clock.now() - since < CATCH_UP_WINDOW:
            return Presence(await uow.users.list_updated_since(since, but=actor.id), full=False)
        return Presence(await uow.users.list_present(), full=True)
