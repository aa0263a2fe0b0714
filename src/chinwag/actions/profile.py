"""Editing accounts: administrators' users.update and a user's own profile and status."""

from dataclasses import dataclass, fields, replace

from chinwag.actions.access import can
from chinwag.actions.accounts import (
    hash_password,
    require_free_email,
    require_free_username,
    validate_email,
    validate_username,
)
from chinwag.actions.alerts import sync_alert_members
from chinwag.actions.audit import record_audit
from chinwag.actions.auth import end_all_sessions, end_other_sessions
from chinwag.actions.deps import Deps
from chinwag.actions.passwords import password_matches, require_allowed_password
from chinwag.actions.two_factor import GUARDED, SENSITIVE, TwoFactorInput, check_code
from chinwag.actions.users import (
    UserSelector,
    apply_active,
    find_user,
    require_admin_remains,
    require_can_change_active,
)
from chinwag.domain.accounts import check_name
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError, Forbidden, InvalidParams, not_allowed
from chinwag.domain.models import Status, User
from chinwag.events.types import RoleChanged, UserStatusChanged, UserUpdated
from chinwag.storage.uow import UnitOfWork

MAX_BIO = 260
MAX_NICKNAME = 120
MAX_STATUS_TEXT = 120
MAX_CUSTOM_FIELDS = 50
MAX_CUSTOM_VALUE = 1000


@dataclass(frozen=True)
class ProfileChanges:
    """What a users.update or users.updateOwnBasicInfo asks to change; None leaves a field be."""

    email: str | None = None
    name: str | None = None
    username: str | None = None
    password: str | None = None
    nickname: str | None = None
    bio: str | None = None
    status_text: str | None = None
    active: bool | None = None
    roles: tuple[str, ...] | None = None
    verified: bool | None = None
    require_password_change: bool | None = None
    custom_fields: dict[str, object] | None = None

    def normalised(self) -> "ProfileChanges":
        """Trimmed text (passwords are kept as typed); an empty email, name, username or
        password means "no change", as in Rocket.Chat."""
        out = self if self.password else replace(self, password=None)
        for f in ("email", "name", "username", "nickname", "bio", "status_text"):
            value = getattr(self, f)
            if isinstance(value, str):
                value = value.strip()
                if not value and f in ("email", "name", "username"):
                    value = None
                out = replace(out, **{f: value})
        return out

    def differing(self, user: User) -> "ProfileChanges":
        """Only what would actually change `user` (a password always counts)."""
        current = {
            "email": user.email,
            "name": user.name,
            "username": user.username,
            "nickname": user.nickname or "",
            "bio": user.bio or "",
            "status_text": user.status_text,
            "active": user.active,
            "verified": user.email_verified,
            "require_password_change": user.require_password_change,
        }
        out = self
        for f, now in current.items():
            if getattr(self, f) is not None and getattr(self, f) == now:
                out = replace(out, **{f: None})
        if self.email is not None and user.email and self.email.lower() == user.email.lower():
            out = replace(out, email=None)
        if self.roles is not None and set(self.roles) == set(user.roles):
            out = replace(out, roles=None)
        if out.email is not None:
            out = replace(out, verified=self.verified)  # a new address takes the flag as sent
        return out

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


# Authorisation -----------------------------------------------------------------------------


def _refuse(what: str) -> ChinwagError:
    return ChinwagError(
        "error-action-not-allowed", f"Edit {what} is not allowed", details={"action": "Update_user"}
    )


def _check_edit_settings(deps: Deps, actor: User, target: User, ch: ProfileChanges) -> None:
    """Rocket.Chat's validateUserEditing: the Accounts_Allow*Change switches. Administrators
    editing someone else are exempt; nobody is when editing themself."""
    myself = actor.id == target.id
    may_info = can(deps, actor, "edit-other-user-info")
    may_password = can(deps, actor, "edit-other-user-password")
    settings = deps.settings
    if not settings.bool("Accounts_AllowUserProfileChange") and not (may_info or may_password):
        raise _refuse("user profile")
    other_info = may_info and not myself
    other_password = may_password and not myself
    gates = (
        (ch.username, "Accounts_AllowUsernameChange", "username", other_info),
        (ch.status_text, "Accounts_AllowUserStatusMessageChange", "user status", other_info),
        (ch.name, "Accounts_AllowRealNameChange", "user real name", other_info),
        (ch.email, "Accounts_AllowEmailChange", "user email", other_info),
        (ch.password, "Accounts_AllowPasswordChange", "user password", other_password),
    )
    for value, setting, what, exempt in gates:
        if value is not None and not settings.bool(setting) and not exempt:
            raise _refuse(what)


def _authorise_update(deps: Deps, actor: User, target: User, ch: ProfileChanges) -> None:
    """Who may change what with users.update."""
    myself = actor.id == target.id
    if not myself and not can(deps, actor, "edit-other-user-info"):
        raise Forbidden("Editing user is not allowed", "error-action-not-allowed")
    if ch.password is not None and not myself and not can(deps, actor, "edit-other-user-password"):
        raise Forbidden(
            "Editing another user's password is not allowed", "error-action-not-allowed"
        )
    if (ch.verified is not None or ch.require_password_change is not None) and not can(
        deps, actor, "edit-other-user-info"
    ):
        raise Forbidden()
    if ch.active is not None:
        require_can_change_active(deps, actor)
    if ch.roles is not None:
        if not can(deps, actor, "assign-roles"):
            raise Forbidden("Assign roles is not allowed", "error-action-not-allowed")
        if "admin" in set(ch.roles) ^ set(target.roles) and not can(
            deps, actor, "assign-admin-role"
        ):
            raise Forbidden("Assigning admin is not allowed", "error-action-not-allowed")
    _check_edit_settings(deps, actor, target, ch)


# Validation --------------------------------------------------------------------------------


def _check_custom_fields(custom: dict[str, object]) -> None:
    if len(custom) > MAX_CUSTOM_FIELDS:
        raise InvalidParams(f"At most {MAX_CUSTOM_FIELDS} custom fields are allowed")
    for key, value in custom.items():
        if not key or len(key) > 100:
            raise InvalidParams("Custom field names must have 1 to 100 characters")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise InvalidParams(f"Custom field {key} must be a string, number or boolean")
        if isinstance(value, str) and len(value) > MAX_CUSTOM_VALUE:
            raise InvalidParams(f"Custom field {key} exceeds {MAX_CUSTOM_VALUE} characters")


def _validate(deps: Deps, ch: ProfileChanges) -> None:
    """Format rules that need no database: checked before anything is hashed or opened."""
    if ch.password is not None and not ch.password.strip():
        raise InvalidParams("The password must not be blank")
    if ch.password is not None:
        require_allowed_password(deps, ch.password)
    if ch.roles is not None and not ch.roles:
        raise InvalidParams("A user needs at least one role")
    if ch.username is not None:
        validate_username(deps, ch.username)
    if ch.email is not None:
        validate_email(deps, ch.email)
    if ch.name is not None:
        check_name(ch.name)
    if ch.bio is not None and len(ch.bio) > MAX_BIO:
        raise ChinwagError("error-bio-size-exceeded", f"Bio size exceeds {MAX_BIO} characters")
    if ch.nickname is not None and len(ch.nickname) > MAX_NICKNAME:
        raise ChinwagError(
            "error-nickname-size-exceeded", f"Nickname size exceeds {MAX_NICKNAME} characters"
        )
    if ch.custom_fields is not None:
        _check_custom_fields(ch.custom_fields)


# Writing -----------------------------------------------------------------------------------


def _column_values(
    ch: ProfileChanges, target: User, password_hash: str | None
) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in ("name", "username", "email", "require_password_change"):
        if getattr(ch, f) is not None:
            values[f] = getattr(ch, f)
    for f in ("nickname", "bio"):
        if getattr(ch, f) is not None:
            values[f] = getattr(ch, f) or None  # an empty value clears the field
    if ch.status_text is not None:
        values["status_text"] = ch.status_text[:MAX_STATUS_TEXT]
    if ch.email is not None:
        values["email_verified"] = False  # a new address is unconfirmed until verified
    if ch.verified is not None:
        values["email_verified"] = ch.verified
    if ch.custom_fields is not None:
        values["custom_fields"] = {**target.custom_fields, **ch.custom_fields}
    if password_hash is not None:
        values["password_hash"] = password_hash
    return values


async def _set_roles(deps: Deps, uow: UnitOfWork, target: User, roles: tuple[str, ...]) -> None:
    for role in roles:
        if await uow.config.find_role(role) is None:
            raise ChinwagError("error-invalid-role", f"Role {role} does not exist")
    if "admin" in target.roles and "admin" not in roles:
        await require_admin_remains(uow, [target])
    await uow.users.set_roles(target.id, roles)
    for role in sorted(set(roles) - set(target.roles)):
        uow.emit(RoleChanged(role_id=role, action="added", user_id=target.id))
    for role in sorted(set(target.roles) - set(roles)):
        uow.emit(RoleChanged(role_id=role, action="removed", user_id=target.id))
    if "admin" in set(roles) ^ set(target.roles):
        await sync_alert_members(deps, uow)


@dataclass(frozen=True)
class _Write:
    changes: ProfileChanges
    password_hash: str | None
    keep_token: str | None  # the editor's own session survives their own password change
    confirm_relinquish: bool = False


async def _write(deps: Deps, uow: UnitOfWork, target: User, w: _Write) -> None:
    """Apply validated changes to `target` inside the caller's transaction."""
    ch = w.changes
    if ch.username is not None:
        await require_free_username(uow, ch.username, but=target.id)
    if ch.email is not None:
        await require_free_email(uow, ch.email, but=target.id)
    values = _column_values(ch, target, w.password_hash)
    if values:
        values["updated_at"] = deps.clock.now()
        await uow.users.update_user(target.id, values)
    if ch.username is not None:
        await uow.rooms.rename_user_in_subscriptions(target.id, ch.username, deps.clock.now())
    if ch.roles is not None:
        await _set_roles(deps, uow, target, ch.roles)
    if ch.active is not None:
        await apply_active(deps, uow, target, ch.active, w.confirm_relinquish)
    if w.password_hash is not None:
        if w.keep_token:
            await end_other_sessions(deps, uow, target.id, w.keep_token)
        else:
            await end_all_sessions(deps, uow, target.id)
    if ch.status_text is not None:
        uow.emit(_status_event(target, target.status, values["status_text"]))
    changed = tuple(f for f in ch.given() if f not in ("active", "roles"))
    if changed:
        uow.emit(UserUpdated(user_id=target.id, fields=changed))


def _status_event(user: User, status: Status, text: object) -> UserStatusChanged:
    return UserStatusChanged(
        user_id=user.id, username=user.username or "", status=status.value, status_text=str(text)
    )


# Actions -----------------------------------------------------------------------------------


async def update_user(
    deps: Deps,
    actor: User,
    user_id: str,
    changes: ProfileChanges,
    *,
    token: str,
    two_factor: TwoFactorInput | None = None,
    confirm_relinquish: bool = False,
    origin: Origin | None = None,
) -> User:
    """users.update: administrators edit anyone; users edit themselves within the settings.
    A guarded call (a second factor, or the password as fallback); changing one's own email
    or password always needs one."""
    async with deps.reader() as uow:
        target = await find_user(uow, UserSelector(user_id=user_id))
    ch = changes.normalised().differing(target)
    _authorise_update(deps, actor, target, ch)
    _validate(deps, ch)
    myself = actor.id == target.id
    given = two_factor or TwoFactorInput(token=token)
    sensitive = myself and (ch.email is not None or ch.password is not None)
    await check_code(deps, actor, given, SENSITIVE if sensitive else GUARDED)
    password_hash = await hash_password(deps, ch.password) if ch.password else None
    write = _Write(ch, password_hash, token if myself else None, confirm_relinquish)
    async with deps.uow() as uow:
        target = await find_user(uow, UserSelector(user_id=user_id))
        await _write(deps, uow, target, write)
        if not myself:
            before, after = _audited_changes(target, ch)
            await record_audit(
                deps, uow, actor, "users.update", origin, ("user", target.id), before, after
            )
        return await find_user(uow, UserSelector(user_id=user_id))


def _audited_changes(
    target: User, ch: ProfileChanges
) -> tuple[dict[str, object], dict[str, object]]:
    """What an administrator changed of someone's account; the password only as the mask."""
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for name, value in vars(ch).items():
        if value is None:
            continue
        after[name] = list(value) if isinstance(value, tuple) else value
        old = target.roles if name == "roles" else getattr(target, name, None)
        before[name] = list(old) if isinstance(old, tuple) else old
    return before, after


@dataclass(frozen=True)
class OwnProfile:
    """The `data` of users.updateOwnBasicInfo."""

    email: str | None = None
    name: str | None = None
    username: str | None = None
    nickname: str | None = None
    bio: str | None = None
    status_text: str | None = None
    status_type: str | None = None
    current_password: str | None = None
    new_password: str | None = None


def parse_status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise ChinwagError(
            "error-invalid-status", "Valid status types include online, away, offline, and busy."
        ) from None


def _own_change_factor(
    data: OwnProfile, headers: TwoFactorInput | None, token: str
) -> TwoFactorInput:
    """Rocket.Chat hands `currentPassword` on as the code of the password method; a code in
    the x-2fa-* headers counts first, so an account with an authenticator app, whose
    password is no second factor, can answer `totp-invalid` with the app's code."""
    if headers is not None and headers.code:
        return headers
    if data.current_password:
        return TwoFactorInput(code=data.current_password, method="password", token=token)
    return headers or TwoFactorInput(token=token)


async def _require_new_password_differs(deps: Deps, user: User, new_password: str) -> None:
    if await password_matches(deps, user.id, new_password):
        raise ChinwagError(
            "error-password-same-as-current", "Entered password same as current password"
        )


async def update_own_basic_info(
    deps: Deps,
    actor: User,
    data: OwnProfile,
    custom_fields: dict[str, object] | None,
    *,
    token: str,
    two_factor: TwoFactorInput | None = None,
) -> User:
    """users.updateOwnBasicInfo: a user edits their own profile. A new email or password needs
    a second factor (`currentPassword` as the password one, or the x-2fa-* headers); a new
    password ends the user's other sessions."""
    if not deps.settings.bool("Accounts_AllowUserProfileChange"):
        raise not_allowed()
    status = parse_status(data.status_type) if data.status_type else None
    changes = ProfileChanges(
        email=data.email,
        name=data.name,
        username=data.username,
        password=data.new_password,
        nickname=data.nickname,
        bio=data.bio,
        status_text=data.status_text,
        custom_fields=custom_fields or None,
    )
    ch = changes.normalised().differing(actor)
    _check_edit_settings(deps, actor, actor, ch)
    _validate(deps, ch)
    if ch.email is not None or ch.password is not None:
        await check_code(deps, actor, _own_change_factor(data, two_factor, token), SENSITIVE)
    if ch.password is not None:
        await _require_new_password_differs(deps, actor, ch.password)
    password_hash = await hash_password(deps, ch.password) if ch.password else None
    async with deps.uow() as uow:
        me = await find_user(uow, UserSelector(user_id=actor.id))
        # Status text travels with the status, so watchers get one presence change, not two.
        await _write(deps, uow, me, _Write(replace(ch, status_text=None), password_hash, token))
        if status is not None or ch.status_text is not None:
            await write_status(deps, uow, me, status, ch.status_text)
        return await find_user(uow, UserSelector(user_id=actor.id))


async def write_status(
    deps: Deps, uow: UnitOfWork, user: User, status: Status | None, text: str | None
) -> None:
    """Persist a chosen status (as both `status` and `statusDefault`) and/or status text."""
    values: dict[str, object] = {"updated_at": deps.clock.now()}
    if status is not None:
        values["status"] = values["status_default"] = status.value
    if text is not None:
        values["status_text"] = text.strip()[:MAX_STATUS_TEXT]
    await uow.users.update_user(user.id, values)
    new_text = values.get("status_text", user.status_text)
    uow.emit(_status_event(user, status or user.status, new_text))
