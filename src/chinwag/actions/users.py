"""Reading and administering user accounts: lookup, creation, listing, activation, deletion."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chinwag.actions.access import can, require_permission
from chinwag.actions.accounts import NewUser, hash_password, insert_user, validate_username
from chinwag.actions.audit import record_audit
from chinwag.actions.auth import end_all_sessions
from chinwag.actions.deps import Deps
from chinwag.actions.passwords import password_matches, require_allowed_password
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError, Forbidden, invalid_user, not_allowed
from chinwag.domain.models import Subscription, User, UserType
from chinwag.domain.passwords import sha256_hex
from chinwag.events.types import RoleChanged, UserDeleted, UserLoggedOut, UserUpdated
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import SORTABLE, UserFilter

ROCKET_CAT_ID = "rocket.cat"


@dataclass(frozen=True)
class UserSelector:
    """Rocket.Chat's user params: `userId`, else `username`, else `email`/`user`."""

    user_id: str | None = None
    username: str | None = None
    email: str | None = None

    def given(self) -> bool:
        return bool(self.user_id or self.username or self.email)

    def names(self, user: User) -> bool:
        """Rocket.Chat's isUserFromParams: no params, or params naming `user`."""
        if not self.given():
            return True
        if self.user_id:
            return self.user_id == user.id
        if self.username:
            return (user.username or "").lower() == self.username.lstrip("@").lower()
        return bool(user.email) and (user.email or "").lower() == (self.email or "").lower()


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


async def create_user(
    deps: Deps, actor: User, new: NewUser, password: str, origin: Origin | None = None
) -> User:
    """users.create: an administrator makes an account."""
    require_permission(deps, actor, "create-user")
    if new.roles and "admin" in new.roles:
        require_permission(deps, actor, "assign-admin-role")
    if new.roles and set(new.roles) - {"user"}:
        require_permission(deps, actor, "assign-roles")
    require_allowed_password(deps, password)
    password_hash = await hash_password(deps, password)
    async with deps.uow() as uow:
        for role in new.roles or ():
            if await uow.config.find_role(role) is None:
                raise ChinwagError("error-invalid-role", f"Role {role} does not exist")
        user = await insert_user(deps, uow, new, password_hash)
        after = {"username": user.username, "email": user.email, "roles": list(user.roles)}
        await record_audit(deps, uow, actor, "users.create", origin, ("user", user.id), None, after)
        return user


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


# Activation, deactivation and deletion -----------------------------------------------------


def _last_admin() -> ChinwagError:
    return ChinwagError(
        "error-action-not-allowed",
        "Leaving the app without an active admin is not allowed",
        details={"action": "Remove_last_admin"},
    )


def active_admins(ids: Sequence[str] = ()) -> UserFilter:
    """Active human admins, optionally among `ids`."""
    return UserFilter(role="admin", active=True, types=("user",), ids=ids, with_username=False)


async def require_admin_remains(uow: UnitOfWork, leaving: Sequence[User]) -> None:
    """Refuse a change that would leave the workspace without an active admin."""
    going = [u.id for u in leaving if u.active and "admin" in u.roles and u.type == UserType.USER]
    if not going:
        return
    if await uow.users.count_users(active_admins()) <= len(going):
        raise _last_admin()


async def relinquish_rooms(deps: Deps, uow: UnitOfWork, user: User, confirm: bool) -> None:
    """Hand the rooms this user alone owns to their longest-standing active member.
    Without `confirm` the caller learns which rooms would change hands (user-last-owner)."""
    handover: list[Subscription] = []
    for room_id in await uow.rooms.list_sole_owned_room_ids(user.id):
        successor = await uow.rooms.find_successor(room_id, user.id)
        if successor is not None:
            handover.append(successor)
    if not handover:
        return
    if not confirm:
        rooms = await uow.rooms.rooms_by_ids([s.room_id for s in handover])
        names = sorted(r.name or r.fname or r.id for r in rooms)
        raise ChinwagError("user-last-owner", "", details={"rooms": names})
    now = deps.clock.now()
    for s in handover:
        await uow.rooms.set_subscription_roles(s.room_id, s.user.id, (*s.roles, "owner"), now)
        uow.emit(RoleChanged(role_id="owner", action="added", user_id=s.user.id, scope=s.room_id))


def require_can_change_active(deps: Deps, actor: User) -> None:
    if not (
        can(deps, actor, "edit-other-user-active-status")
        or can(deps, actor, "manage-moderation-actions")
    ):
        raise Forbidden()


async def apply_active(
    deps: Deps, uow: UnitOfWork, user: User, active: bool, confirm_relinquish: bool
) -> None:
    """Activate or deactivate inside the caller's transaction; deactivation ends every session."""
    if not active and user.active:
        await require_admin_remains(uow, [user])
        if user.username:
            await relinquish_rooms(deps, uow, user, confirm_relinquish)
    values: dict[str, object] = {"active": active, "updated_at": deps.clock.now()}
    if active:
        values["reason"] = None  # the approval request has been answered
    await uow.users.update_user(user.id, values)
    if not active:
        await end_all_sessions(deps, uow, user.id)
    uow.emit(UserUpdated(user_id=user.id, fields=("active",)))


async def set_active_status(
    deps: Deps,
    actor: User,
    user_id: str,
    active: bool,
    confirm_relinquish: bool = False,
    origin: Origin | None = None,
) -> User:
    """users.setActiveStatus: approve a waiting account, or lock one out."""
    require_can_change_active(deps, actor)
    async with deps.uow() as uow:
        user = await find_user(uow, UserSelector(user_id=user_id))
        await apply_active(deps, uow, user, active, confirm_relinquish)
        await record_audit(
            deps,
            uow,
            actor,
            "users.setActiveStatus",
            origin,
            ("user", user.id),
            {"active": user.active},
            {"active": active},
        )
        updated = await find_user(uow, UserSelector(user_id=user_id))
    return updated


async def deactivate_idle(deps: Deps, actor: User, days_idle: int, role: str) -> int:
    """users.deactivateIdle: deactivate holders of `role` not seen for `days_idle` days."""
    require_permission(deps, actor, "edit-other-user-active-status")
    before = deps.clock.now() - timedelta(days=days_idle)
    async with deps.uow() as uow:
        ids = [i for i in await uow.users.list_idle_user_ids(before, role) if i != actor.id]
        if not ids:
            return 0
        admins_going = await uow.users.count_users(active_admins(ids))
        if admins_going and await uow.users.count_users(active_admins()) <= admins_going:
            raise _last_admin()
        await uow.users.deactivate_users(ids, deps.clock.now())
        await uow.tokens.delete_tokens_of_users(ids)
        after = {"deactivated": ids, "daysIdle": days_idle, "role": role}
        await record_audit(deps, uow, actor, "users.deactivateIdle", None, None, None, after)
        for user_id in ids:
            uow.emit(UserLoggedOut(user_id=user_id))
            uow.emit(UserUpdated(user_id=user_id, fields=("active",)))
    return len(ids)


async def _remove_user(deps: Deps, uow: UnitOfWork, user: User, confirm: bool) -> None:
    if user.id == ROCKET_CAT_ID:
        raise ChinwagError(
            "error-action-not-allowed", "Deleting the rocket.cat user is not allowed"
        )
    if user.type == UserType.APP:
        raise ChinwagError("error-cannot-delete-app-user", "Deleting app user is not allowed")
    await require_admin_remains(uow, [user])
    await relinquish_rooms(deps, uow, user, confirm)
    await uow.rooms.delete_user_subscriptions(user.id, deps.clock.now())
    await uow.users.delete_user(user.id)  # roles, tokens and invites go with it (cascade)
    uow.emit(UserLoggedOut(user_id=user.id))
    uow.emit(UserDeleted(user_id=user.id))


async def delete_user(
    deps: Deps,
    actor: User,
    selector: UserSelector,
    confirm_relinquish: bool = False,
    origin: Origin | None = None,
) -> None:
    """users.delete: remove an account and its memberships (permission delete-user)."""
    require_permission(deps, actor, "delete-user")
    async with deps.uow() as uow:
        user = await find_user(uow, selector)
        await _remove_user(deps, uow, user, confirm_relinquish)
        before = {"username": user.username, "email": user.email, "roles": list(user.roles)}
        await record_audit(deps, uow, actor, "users.delete", origin, ("user", user.id), before)


async def _own_password_ok(deps: Deps, user: User, password: str) -> bool:
    if user.has_password:
        return await password_matches(deps, user.id, password)
    # Accounts without a password confirm with the SHA-256 of their username, as in Rocket.Chat.
    return bool(user.username) and sha256_hex(user.username or "") == password.strip()


async def delete_own_account(
    deps: Deps, actor: User, password: str, confirm_relinquish: bool = False
) -> None:
    """users.deleteOwnAccount, when Accounts_AllowDeleteOwnAccount permits it."""
    if not deps.settings.bool("Accounts_AllowDeleteOwnAccount"):
        raise not_allowed()
    if not await _own_password_ok(deps, actor, password):
        raise ChinwagError("error-invalid-password", "Invalid password")
    async with deps.uow() as uow:
        user = await find_user(uow, UserSelector(user_id=actor.id))
        await _remove_user(deps, uow, user, confirm_relinquish)


# Username suggestion -----------------------------------------------------------------------


def _slug(text: str) -> str:
    """ASCII, lower case, dots for spaces: "Zoë Ann" → "zoe.ann"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    dotted = re.sub(r"\s+", ".", ascii_text.strip().lower())
    return re.sub(r"[^0-9a-z_.-]", "", dotted).strip(".")


def username_candidates(user: User) -> list[str]:
    """What Rocket.Chat tries, in order: the name, initial+surname, name+initial, the email."""
    out: list[str] = []
    parts = user.name.split()
    out.append(_slug(user.name))
    if len(parts) > 1:
        first, last = parts[0], parts[-1]
        out += [_slug(first[0] + last), _slug(first + last[0])]
    if user.email:
        local, _, domain = user.email.partition("@")
        out += [_slug(local), _slug(f"{local}.{domain.split('.')[0]}")]
    return list(dict.fromkeys(c for c in out if c and c != "all"))


def _valid(deps: Deps, candidate: str) -> bool:
    try:
        validate_username(deps, candidate)
    except ChinwagError:
        return False
    return True


async def suggest_username(deps: Deps, actor: User) -> str:
    """users.getUsernameSuggestion: a free username derived from the caller's name and email."""
    candidates = [c for c in username_candidates(actor) if _valid(deps, c)] or ["user"]
    async with deps.reader() as uow:
        taken = await uow.users.usernames_taken(candidates)
        for candidate in candidates:
            if candidate.lower() not in taken:
                return candidate
        base = candidates[0]
        # Numbered variants, checked a batch at a time so the common case is one query.
        for start in range(1, 10_000, 50):
            batch = [f"{base}-{n}" for n in range(start, start + 50)]
            taken = await uow.users.usernames_taken(batch)
            free = [b for b in batch if b.lower() not in taken]
            if free:
                return free[0]
    raise ChinwagError("error-could-not-suggest-username", "No free username found")
