"""Reading and managing user accounts (administration and self-service)."""

from dataclasses import dataclass
from typing import Any

from chinwag.actions.access import can, require_permission
from chinwag.actions.accounts import NewUser, hash_password, insert_user
from chinwag.actions.deps import Deps
from chinwag.domain.errors import ChinwagError, invalid_user
from chinwag.domain.models import User
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import SORTABLE, UserFilter


@dataclass(frozen=True)
class UserSelector:
    """Rocket.Chat's user params: `userId`, else `username`, else `email`/`user`."""

    user_id: str | None = None
    username: str | None = None
    email: str | None = None

    def given(self) -> bool:
        return bool(self.user_id or self.username or self.email)


def user_param_missing() -> ChinwagError:
    return ChinwagError(
        "error-user-param-not-provided",
        'The required "userId" or "username" param was not provided',
    )


async def find_user(uow: UnitOfWork, selector: UserSelector) -> User:
    if not selector.given():
        raise user_param_missing()
    user: User | None = None
    if selector.user_id:
        user = await uow.users.find_by_id(selector.user_id)
    elif selector.username:
        user = await uow.users.find_by_username(selector.username.lstrip("@"))
    elif selector.email:
        user = await uow.users.find_by_email(selector.email)
    if user is None:
        raise invalid_user()
    return user


async def get_user(deps: Deps, selector: UserSelector) -> User:
    async with deps.reader() as uow:
        return await find_user(uow, selector)


def sees_full_profile(deps: Deps, actor: User, target: User) -> bool:
    return actor.id == target.id or can(deps, actor, "view-full-other-user-info")


async def create_user(deps: Deps, actor: User, new: NewUser, password: str) -> User:
    """users.create: an administrator makes an account."""
    require_permission(deps, actor, "create-user")
    if new.roles and "admin" in new.roles:
        require_permission(deps, actor, "assign-admin-role")
    if new.roles and set(new.roles) - {"user"}:
        require_permission(deps, actor, "assign-roles")
    password_hash = await hash_password(deps, password)
    async with deps.uow() as uow:
        for role in new.roles or ():
            if await uow.config.find_role(role) is None:
                raise ChinwagError("error-invalid-role", f"Role {role} does not exist")
        return await insert_user(deps, uow, new, password_hash)


def user_filter_from_query(query: dict[str, Any]) -> UserFilter:
    """The subset of Rocket.Chat's deprecated Mongo-style `query` that users.list honours."""
    flt = UserFilter()
    for key, value in query.items():
        if key == "active" and isinstance(value, bool):
            flt.active = value
        elif key == "type":
            flt.types = _in_values(value)
        elif key == "roles":
            roles = _in_values(value)
            flt.role = roles[0] if roles else None
        elif key in ("username", "name", "emails.address") and isinstance(value, dict):
            text = value.get("$regex")
            if isinstance(text, str):
                flt.text = text.strip("^$")
        elif key in ("$or", "$and") and isinstance(value, list):
            for clause in value:
                if isinstance(clause, dict):
                    nested = user_filter_from_query(clause)
                    flt.text = flt.text or nested.text
        else:
            raise ChinwagError("error-invalid-query", f"Unsupported query field: {key}")
    return flt


def _in_values(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("$in"), list):
        return [v for v in value["$in"] if isinstance(v, str)]
    raise ChinwagError("error-invalid-query", "Invalid query parameter provided")


async def list_users(
    deps: Deps,
    actor: User,
    flt: UserFilter,
    offset: int,
    count: int | None,
    sort: dict[str, int],
) -> tuple[list[User], int]:
    require_permission(deps, actor, "view-d-room")
    order = [(k, d) for k, d in sort.items()] or [("username", 1)]
    for key, _ in order:
        if key not in SORTABLE:
            raise ChinwagError("error-invalid-sort", f"Cannot sort users by {key}")
    async with deps.reader() as uow:
        return await uow.users.list_users(flt, offset, count, order)
