"""Presence from connections: online while a socket is open, away when the client says so,
offline when the last one closes. The user's chosen status (busy, away) wins over `online`."""

from chinwag.actions.deps import Deps
from chinwag.domain.models import Status
from chinwag.events.types import UserStatusChanged, UserUpdated


def effective_status(chosen: Status, connection: Status) -> Status:
    """What others see: nothing when disconnected; the chosen status unless it is `online`."""
    if connection == Status.OFFLINE:
        return Status.OFFLINE
    if chosen == Status.ONLINE:
        return connection
    return chosen


async def set_connection_status(deps: Deps, user_id: str, connection: Status) -> None:
    """Record how the user's sockets stand; emits UserStatusChanged when what others see moves."""
    async with deps.uow() as uow:
        user = await uow.users.find_by_id(user_id)
        if user is None:
            return
        status = effective_status(user.status_default, connection)
        if user.status_connection == connection and user.status == status:
            return
        values = {"status_connection": connection.value, "status": status.value}
        await uow.users.update_user(user_id, values)
        if status == user.status:
            uow.emit(UserUpdated(user_id=user.id, fields=("status_connection",)))
        else:
            uow.emit(
                UserStatusChanged(
                    user_id=user.id,
                    username=user.username or "",
                    status=status.value,
                    status_text=user.status_text,
                )
            )
