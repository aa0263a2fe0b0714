"""Authorisation: global and room-scoped permission checks."""

from chinwag.actions.deps import Deps
from chinwag.domain.errors import Forbidden
from chinwag.domain.models import User
from chinwag.storage.uow import UnitOfWork


def can(deps: Deps, user: User, permission: str, room_roles: tuple[str, ...] = ()) -> bool:
    return deps.grants.allows(permission, user.roles + room_roles)


def require_permission(deps: Deps, user: User, permission: str) -> None:
    if not can(deps, user, permission):
        raise Forbidden()


async def room_roles(uow: UnitOfWork, user: User, room_id: str) -> tuple[str, ...]:
    """The user's roles inside one room (owner, moderator, leader), none if not a member."""
    subscription = await uow.rooms.find_subscription(room_id, user.id)
    return subscription.roles if subscription else ()


async def can_in_room(
    deps: Deps, uow: UnitOfWork, user: User, permission: str, room_id: str
) -> bool:
    if can(deps, user, permission):
        return True
    return can(deps, user, permission, await room_roles(uow, user, room_id))


async def require_room_permission(
    deps: Deps,
    uow: UnitOfWork,
    user: User,
    permission: str,
    room_id: str,
    reason: str | None = None,
    code: str | None = None,
) -> None:
    """403 unless the user holds the permission globally or through their room roles;
    `reason` / `code` carry Rocket.Chat's own wording where it has one."""
    if not await can_in_room(deps, uow, user, permission, room_id):
        raise Forbidden(reason, code) if reason and code else Forbidden()


def is_admin(user: User) -> bool:
    return "admin" in user.roles
