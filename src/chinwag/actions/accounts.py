"""Creating accounts: validation, the first-admin rule, default rooms; every sign-up path."""

from dataclasses import dataclass, field

from chinwag.actions.deps import Deps
from chinwag.domain.accounts import check_email, check_name, check_username, split_list
from chinwag.domain.errors import ChinwagError
from chinwag.domain.ids import random_id
from chinwag.domain.models import Room, Status, User, UserType
from chinwag.domain.passwords import hash_digest, sha256_hex
from chinwag.events.types import UserCreated, UserJoinedRoom
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import UserFilter


@dataclass(frozen=True)
class NewUser:
    username: str
    name: str
    email: str | None = None
    roles: tuple[str, ...] | None = None  # None: Accounts_Registration_Users_Default_Roles
    active: bool = True
    verified: bool = False
    require_password_change: bool = False
    join_default_channels: bool = True
    type: UserType = UserType.USER
    custom_fields: dict[str, object] = field(default_factory=dict)
    reason: str | None = None
    invite_token: str | None = None
    invited_by: str | None = None
    user_id: str | None = None
    signup_network: str | None = None  # self sign-up only: where it came from, coarsely


async def hash_password(deps: Deps, plain: str) -> str:
    """bcrypt of the SHA-256 hex, off the event loop. Call before opening a transaction."""
    return await deps.run_cpu(hash_digest, sha256_hex(plain), deps.config.bcrypt_rounds)


def validate_username(deps: Deps, username: str) -> None:
    blocked = split_list(deps.settings.str("Accounts_BlockedUsernameList"))
    pattern = deps.settings.str("UTF8_User_Names_Validation")
    check_username(username, pattern, blocked)


def validate_email(deps: Deps, email: str) -> None:
    check_email(
        email,
        split_list(deps.settings.str("Accounts_AllowedDomainsList")),
        split_list(deps.settings.str("Accounts_BlockedDomainsList")),
        deps.settings.bool("Accounts_UseDefaultBlockedDomainsList"),
    )


async def require_free_username(uow: UnitOfWork, username: str, but: str | None = None) -> None:
    taken = await uow.users.find_by_username(username)
    if taken is not None and taken.id != but:
        raise ChinwagError("error-field-unavailable", f"{username} is already in use :(")


async def require_free_email(uow: UnitOfWork, email: str, but: str | None = None) -> None:
    taken = await uow.users.find_by_email(email)
    if taken is not None and taken.id != but:
        raise ChinwagError("error-field-unavailable", f"{email} is already in use :(")


async def first_admin_needed(uow: UnitOfWork) -> bool:
    admins = UserFilter(role="admin", types=("user",), with_username=False)
    return await uow.users.count_users(admins) == 0


async def insert_user(deps: Deps, uow: UnitOfWork, new: NewUser, password_hash: str | None) -> User:
    """Validate and store a new account inside the caller's transaction."""
    validate_username(deps, new.username)
    check_name(new.name)
    await require_free_username(uow, new.username)
    if new.email:
        validate_email(deps, new.email)
        await require_free_email(uow, new.email)
    roles = (
        list(new.roles)
        if new.roles is not None
        else split_list(deps.settings.str("Accounts_Registration_Users_Default_Roles"))
    )
    active = new.active
    if new.type == UserType.USER and await first_admin_needed(uow):
        roles.append("admin")
        active = True  # the first admin is never left waiting for an approval nobody can give
        if deps.settings.str("Show_Setup_Wizard") == "pending":
            await uow.config.upsert_setting("Show_Setup_Wizard", "in_progress", deps.clock.now())
            deps.settings.set("Show_Setup_Wizard", "in_progress", deps.clock.now())
    now = deps.clock.now()
    user_id = new.user_id or random_id()
    await uow.users.insert_user(
        {
            "id": user_id,
            "username": new.username,
            "name": new.name or new.username,
            "email": new.email,
            "email_verified": new.verified,
            "type": new.type.value,
            "active": active,
            "status": Status.OFFLINE.value,
            "created_at": now,
            "updated_at": now,
            "password_hash": password_hash,
            "require_password_change": new.require_password_change,
            "custom_fields": new.custom_fields,
            "reason": new.reason,
            "invite_token": new.invite_token,
            "invited_by": new.invited_by,
            "signup_network": new.signup_network,
            # Rocket.Chat opts new people into codes by mail (used once their address is
            # verified and mail can be sent).
            "email2fa_enabled": new.type == UserType.USER
            and deps.settings.bool("Accounts_TwoFactorAuthentication_By_Email_Auto_Opt_In"),
        },
        roles,
    )
    uow.emit(UserCreated(user_id=user_id))
    if new.join_default_channels:
        for room in await uow.rooms.list_default_rooms():
            await add_member(deps, uow, room, user_id, new.username)
    user = await uow.users.find_by_id(user_id)
    assert user is not None
    return user


async def add_member(
    deps: Deps,
    uow: UnitOfWork,
    room: Room,
    user_id: str,
    username: str,
    roles: tuple[str, ...] = (),
    display: tuple[str, str | None] | None = None,
) -> bool:
    """Subscribe a user to a room; False if they already were.

    `display` is the (name, fname) the member sees the room as: a DM shows the other side.
    """
    if await uow.rooms.find_subscription(room.id, user_id):
        return False
    now = deps.clock.now()
    await uow.rooms.insert_subscription(
        {
            "id": random_id(),
            "room_id": room.id,
            "user_id": user_id,
            "username": username,
            "room_type": room.type.value,
            "name": display[0] if display else room.name or "",
            "fname": display[1] if display else room.fname,
            "joined_at": now,
            "updated_at": now,
            "last_seen": now,
            "open": True,
            "roles": list(roles),
            "read_seq": room.seq,
        }
    )
    uow.emit(UserJoinedRoom(room_id=room.id, user_id=user_id))
    return True
