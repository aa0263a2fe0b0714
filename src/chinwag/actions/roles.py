"""Roles and permissions: list and sync them, define roles, give and take them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from chinwag.actions.access import can, require_permission
from chinwag.actions.alerts import sync_alert_members
from chinwag.actions.audit import record_audit
from chinwag.actions.deps import Deps
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError, InvalidParams, invalid_user
from chinwag.domain.ids import random_id
from chinwag.domain.models import Permission, Role, Subscription, User
from chinwag.events.types import PermissionsChanged, RoleChanged, UserUpdated
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import UserFilter

MANAGE = "access-permissions"
SCOPES = ("Users", "Subscriptions")
ROOM_SCOPE = "Subscriptions"
NAME_MAX = 64  # the width of roles.name


@dataclass(frozen=True)
class RoleFields:
    """What roles.create and roles.update set; None leaves a field as it is."""

    name: str | None = None
    description: str | None = None
    scope: str | None = None
    mandatory_2fa: bool | None = None


@dataclass(frozen=True)
class RoleGrant:
    """Who gains or loses which role, and in which room when the role is room-scoped."""

    role: str  # the role's id, or its name as older clients send it
    user_id: str | None = None
    username: str | None = None
    room_id: str | None = None


@dataclass(frozen=True)
class PermissionChange:
    permission_id: str
    roles: tuple[str, ...]


# Reading


async def list_roles(deps: Deps) -> list[Role]:
    async with deps.reader() as uow:
        return await uow.config.list_roles()


async def list_roles_updated_since(deps: Deps, since: datetime) -> list[Role]:
    async with deps.reader() as uow:
        return await uow.config.list_roles_updated_since(since)


async def list_permissions(deps: Deps, since: datetime | None = None) -> list[Permission]:
    async with deps.reader() as uow:
        permissions = await uow.config.list_permissions()
    return [p for p in permissions if since is None or p.updated_at > since]


async def list_users_in_role(
    deps: Deps,
    actor: User,
    role_ref: str | None,
    room_id: str | None,
    offset: int,
    count: int | None,
) -> tuple[list[User], int]:
    """roles.getUsersInRole: holders of a role, globally or in one room, by username."""
    require_permission(deps, actor, MANAGE)
    if not role_ref:
        raise ChinwagError("error-param-not-provided", 'Query param "role" is required')
    if room_id and not can(deps, actor, "view-other-user-channels"):
        raise ChinwagError("error-not-allowed", "Not allowed")
    async with deps.reader() as uow:
        role = await _get_role(uow, role_ref)
        if role.scope != ROOM_SCOPE:
            return await uow.users.list_users(UserFilter(role=role.id), offset, count)
        holders = await uow.rooms.list_room_role_holders(role.id, room_id or None)
        if not holders:
            return [], 0
        return await uow.users.list_users(UserFilter(ids=holders), offset, count)


# Permissions


async def update_permissions(
    deps: Deps, actor: User, changes: Sequence[PermissionChange], origin: Origin | None = None
) -> list[Permission]:
    """permissions.update: set the roles granted each permission. Emits PermissionsChanged."""
    require_permission(deps, actor, MANAGE)
    wanted = {c.permission_id: tuple(dict.fromkeys(c.roles)) for c in changes}
    async with deps.uow() as uow:
        await _check_permission_changes(uow, [c.permission_id for c in changes], wanted)
        now = deps.clock.now()
        for permission_id, roles in wanted.items():
            await uow.config.upsert_permission(permission_id, roles, now)
            before = list(deps.grants.by_permission.get(permission_id, ()))
            await record_audit(
                deps,
                uow,
                actor,
                "permissions.update",
                origin,
                ("permission", permission_id),
                {"roles": before},
                {"roles": list(roles)},
            )
        permissions = await uow.config.list_permissions()
    await _grants_changed(deps, wanted)
    return permissions


async def _check_permission_changes(
    uow: UnitOfWork, ids: Sequence[str], wanted: Mapping[str, tuple[str, ...]]
) -> None:
    known = {p.id for p in await uow.config.list_permissions()}
    unknown = sorted(set(ids) - known)
    if unknown or len(set(ids)) != len(ids):
        raise ChinwagError(
            "error-invalid-permission", "Invalid permission", {"permissions": unknown}
        )
    roles = {r.id for r in await uow.config.list_roles()}
    bad_roles = sorted({r for granted in wanted.values() for r in granted} - roles)
    if bad_roles:
        raise ChinwagError("error-invalid-role", "Invalid role", {"roles": bad_roles})


async def _grants_changed(deps: Deps, changed: Mapping[str, tuple[str, ...]]) -> None:
    """Apply committed grants to this process, then tell everyone else."""
    if not changed:
        return
    # Merge rather than reload, so a concurrent change to other permissions is not undone.
    deps.grants.by_permission = {**deps.grants.by_permission, **changed}
    await deps.publish([PermissionsChanged(permission_ids=tuple(changed))])


# Defining roles


def _role_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidParams("The role name is required", "error-role-name-required")
    if len(name) > NAME_MAX:
        raise InvalidParams(
            f"A role name has at most {NAME_MAX} characters", "error-invalid-role-properties"
        )
    return name


def _scope(scope: str | None, default: str) -> str:
    if scope is None:
        return default
    if scope not in SCOPES:
        raise InvalidParams("The scope must be Users or Subscriptions", "error-invalid-scope")
    return scope


async def _get_role(uow: UnitOfWork, role_ref: str) -> Role:
    role = await uow.config.find_role(role_ref)
    if role is None:
        raise ChinwagError("error-invalid-roleId", "This role does not exist")
    return role


async def _require_free_name(uow: UnitOfWork, name: str, but: str | None = None) -> None:
    other = await uow.config.find_role(name)
    if other is not None and other.id != but:
        raise ChinwagError("error-duplicate-role-names-not-allowed", "Role name already exists")


async def _holders(uow: UnitOfWork, role: Role) -> int:
    """Users holding the role anywhere: globally and in rooms."""
    global_holders = await uow.config.count_role_holders(role.id)
    return global_holders + await uow.rooms.count_room_role_holders(role.id)


async def create_role(deps: Deps, actor: User, fields: RoleFields) -> Role:
    """roles.create: a custom role (unprotected). Emits RoleChanged."""
    require_permission(deps, actor, MANAGE)
    now = deps.clock.now()
    role = Role(
        id=random_id(),
        name=_role_name(fields.name),
        description=fields.description or "",
        scope=_scope(fields.scope, "Users"),
        protected=False,
        mandatory_2fa=bool(fields.mandatory_2fa),
        updated_at=now,
    )
    async with deps.uow() as uow:
        await _require_free_name(uow, role.name)
        await uow.config.insert_role(role, now)
        uow.emit(RoleChanged(role_id=role.id, action="changed"))
        after = {"name": role.name, "scope": role.scope, "description": role.description}
        await record_audit(deps, uow, actor, "roles.create", None, ("role", role.id), None, after)
    return role


async def update_role(deps: Deps, actor: User, role_ref: str, fields: RoleFields) -> Role:
    """roles.update: rename or describe a role; shipped roles keep their name and scope."""
    require_permission(deps, actor, MANAGE)
    async with deps.uow() as uow:
        role = await _get_role(uow, role_ref)
        name = role.name if fields.name is None else _role_name(fields.name)
        scope = _scope(fields.scope, role.scope)
        if role.protected and (name != role.name or scope != role.scope):
            raise ChinwagError(
                "error-invalid-roleId", "Cannot change the name or scope of a protected role"
            )
        if name != role.name:
            await _require_free_name(uow, name, but=role.id)
        # Holders would keep a role their new scope no longer reads.
        if scope != role.scope and await _holders(uow, role):
            raise ChinwagError("error-role-in-use", "Cannot change the scope of a role in use")
        updated = replace(
            role,
            name=name,
            scope=scope,
            description=role.description if fields.description is None else fields.description,
            mandatory_2fa=(
                role.mandatory_2fa if fields.mandatory_2fa is None else fields.mandatory_2fa
            ),
            updated_at=deps.clock.now(),
        )
        await uow.config.update_role(
            role.id,
            {
                "name": updated.name,
                "scope": updated.scope,
                "description": updated.description,
                "mandatory_2fa": updated.mandatory_2fa,
                "updated_at": updated.updated_at,
            },
        )
        uow.emit(RoleChanged(role_id=role.id, action="changed"))
        await record_audit(
            deps,
            uow,
            actor,
            "roles.update",
            None,
            ("role", role.id),
            {"name": role.name, "scope": role.scope, "description": role.description},
            {"name": updated.name, "scope": updated.scope, "description": updated.description},
        )
    return updated


async def delete_role(deps: Deps, actor: User, role_ref: str) -> None:
    """roles.delete: remove an unused custom role and its grants. Emits RoleChanged."""
    require_permission(deps, actor, MANAGE)
    async with deps.uow() as uow:
        role = await _get_role(uow, role_ref)
        if role.protected:
            raise ChinwagError("error-role-protected", "Cannot delete a protected role")
        if await _holders(uow, role):
            raise ChinwagError("error-role-in-use", "Cannot delete role because it's in use")
        await uow.config.delete_role(role.id)
        # A grant to a role that is gone would make the permission list fail its own checks.
        changed: dict[str, tuple[str, ...]] = {}
        now = deps.clock.now()
        for permission in await uow.config.list_permissions():
            if role.id in permission.roles:
                changed[permission.id] = tuple(r for r in permission.roles if r != role.id)
                await uow.config.upsert_permission(permission.id, changed[permission.id], now)
        uow.emit(RoleChanged(role_id=role.id, action="deleted"))
        before = {"name": role.name, "scope": role.scope, "grants": sorted(changed)}
        await record_audit(deps, uow, actor, "roles.delete", None, ("role", role.id), before)
    await _grants_changed(deps, changed)


# Giving and taking roles


async def _find_user(uow: UnitOfWork, grant: RoleGrant) -> User:
    if grant.user_id:
        user = await uow.users.find_by_id(grant.user_id)
    elif grant.username:
        user = await uow.users.find_by_username(grant.username.lstrip("@"))
    else:
        raise ChinwagError(
            "error-user-param-not-provided",
            'The required "userId" or "username" param was not provided',
        )
    if user is None:
        raise invalid_user()
    return user


async def _subscription(uow: UnitOfWork, user: User, room_id: str | None) -> Subscription:
    """The user's subscription to the room: where a room-scoped role is kept."""
    if not room_id:
        raise InvalidParams("The 'roomId' param is required for a room role")
    subscription = await uow.rooms.find_subscription(room_id, user.id)
    if subscription is None:
        raise ChinwagError("error-invalid-user", "User is not part of given room")
    return subscription


def _already() -> ChinwagError:
    return ChinwagError("error-user-already-in-role", "User already in role")


def _not_in_role() -> ChinwagError:
    return ChinwagError("error-user-not-in-role", "User is not in this role")


async def _prepare_grant(
    deps: Deps, uow: UnitOfWork, actor: User, grant: RoleGrant, missing: ChinwagError
) -> tuple[Role, User]:
    role = await uow.config.find_role(grant.role) if grant.role else None
    if role is None:
        raise missing
    if role.id == "admin":
        require_permission(deps, actor, "assign-admin-role")
    return role, await _find_user(uow, grant)


async def add_user_to_role(
    deps: Deps, actor: User, grant: RoleGrant, origin: Origin | None = None
) -> Role:
    """roles.addUserToRole: a global role, or a room role on the user's subscription."""
    require_permission(deps, actor, MANAGE)
    not_found = ChinwagError("error-role-not-found", "Role not found")
    async with deps.uow() as uow:
        role, user = await _prepare_grant(deps, uow, actor, grant, not_found)
        if role.scope == ROOM_SCOPE:
            await _set_room_role(deps, uow, role, user, grant.room_id, add=True)
        else:
            if grant.room_id:
                await _subscription(uow, user, grant.room_id)  # as Rocket.Chat checks
            if not await uow.config.add_user_role(user.id, role.id):
                raise _already()
            uow.emit(UserUpdated(user_id=user.id, fields=("roles",)))
            if role.id == "admin":
                await sync_alert_members(deps, uow)
        uow.emit(_role_event(role, user, grant, "added"))
        after = {"role": role.id, "roomId": grant.room_id}
        await record_audit(
            deps, uow, actor, "roles.addUserToRole", origin, ("user", user.id), None, after
        )
    return role


async def remove_user_from_role(
    deps: Deps, actor: User, grant: RoleGrant, origin: Origin | None = None
) -> Role:
    """roles.removeUserFromRole: never takes the last admin's admin role."""
    require_permission(deps, actor, MANAGE)
    not_found = ChinwagError("error-invalid-roleId", "This role does not exist")
    async with deps.uow() as uow:
        role, user = await _prepare_grant(deps, uow, actor, grant, not_found)
        if role.scope == ROOM_SCOPE:
            await _set_room_role(deps, uow, role, user, grant.room_id, add=False)
        else:
            if role.id not in user.roles:
                raise _not_in_role()
            if role.id == "admin" and await uow.config.count_role_holders("admin") <= 1:
                raise ChinwagError(
                    "error-action-not-allowed", "Leaving the app without admins is not allowed"
                )
            await uow.config.remove_user_role(user.id, role.id)
            uow.emit(UserUpdated(user_id=user.id, fields=("roles",)))
            if role.id == "admin":
                await sync_alert_members(deps, uow)
        uow.emit(_role_event(role, user, grant, "removed"))
        before = {"role": role.id, "roomId": grant.room_id}
        await record_audit(
            deps, uow, actor, "roles.removeUserFromRole", origin, ("user", user.id), before
        )
    return role


async def _set_room_role(
    deps: Deps, uow: UnitOfWork, role: Role, user: User, room_id: str | None, *, add: bool
) -> None:
    subscription = await _subscription(uow, user, room_id)
    roles = subscription.roles
    if add and role.id in roles:
        raise _already()
    if not add and role.id not in roles:
        raise _not_in_role()
    new = (*roles, role.id) if add else tuple(r for r in roles if r != role.id)
    await uow.rooms.set_subscription_roles(subscription.room_id, user.id, new, deps.clock.now())


def _role_event(role: Role, user: User, grant: RoleGrant, action: str) -> RoleChanged:
    scope = grant.room_id if role.scope == ROOM_SCOPE else None
    return RoleChanged(role_id=role.id, action=action, user_id=user.id, scope=scope)
