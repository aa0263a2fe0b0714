"""Who is in a room: inviting, removing, joining, leaving, and the room roles (owner,
moderator, leader). Each change leaves the system message Rocket.Chat clients show."""

from chinwag.actions.access import can, can_in_room, require_room_permission
from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.actions.messages import post_system_message
from chinwag.actions.rooms import RoomRef, locate_room
from chinwag.actions.users import UserSelector, find_user
from chinwag.domain.errors import ChinwagError, Forbidden, room_not_found
from chinwag.domain.models import Room, RoomType, Subscription, User
from chinwag.events.types import (
    RoleChanged,
    SubscriptionChanged,
    UserLeftRoom,
    UserRemovedFromRoom,
)
from chinwag.storage.uow import UnitOfWork

ROOM_ROLES = ("owner", "moderator", "leader")
_ARTICLE = {"owner": "an owner", "moderator": "a moderator", "leader": "a leader"}


def _not_allowed() -> Forbidden:
    return Forbidden("Not allowed", "error-not-allowed")


def _not_in_room(who: str = "User is") -> ChinwagError:
    return ChinwagError("error-user-not-in-room", f"{who} not in this room")


def _last_owner() -> ChinwagError:
    return ChinwagError(
        "error-you-are-last-owner",
        "You are the last owner. Please set new owner before leaving the room.",
    )


async def _fresh(uow: UnitOfWork, room_id: str) -> Room:
    room = await uow.rooms.find_room(room_id)
    if room is None:
        raise room_not_found()
    return room


async def _require_owner_remains(uow: UnitOfWork, subscription: Subscription) -> None:
    if "owner" not in subscription.roles:
        return
    owners = await uow.rooms.list_room_role_holders("owner", subscription.room_id)
    if len(owners) <= 1:
        raise _last_owner()


async def _require_can_add(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, subscription: Subscription | None
) -> None:
    """Members with add-user-to-joined-room add to their rooms; add-user-to-any-c-room /
    add-user-to-any-p-room add to any room of that type."""
    if room.type == RoomType.DIRECT:
        raise ChinwagError("error-cant-invite-for-direct-room", "Can't invite user to direct rooms")
    if subscription is not None and await can_in_room(
        deps, uow, actor, "add-user-to-joined-room", room.id
    ):
        return
    if not can(deps, actor, f"add-user-to-any-{room.type.value}-room"):
        raise _not_allowed()


async def invite_users(
    deps: Deps, actor: User, ref: RoomRef, targets: tuple[UserSelector, ...]
) -> Room:
    """channels.invite / groups.invite: add users to a room; `au` for each one added."""
    if not targets:
        raise ChinwagError("error-empty-invite-list", "Cannot invite if no users are provided")
    async with deps.uow() as uow:
        room, subscription = await locate_room(deps, uow, actor, ref, writable=True)
        await _require_can_add(deps, uow, actor, room, subscription)
        users = [await find_user(uow, target) for target in targets]
        for user in users:
            if not user.username:
                continue
            room = await _fresh(uow, room.id)  # each new member starts with nothing unread
            if await add_member(deps, uow, room, user.id, user.username):
                await post_system_message(deps, uow, actor, room, "au", user.username)
        return await _fresh(uow, room.id)


async def kick_user(deps: Deps, actor: User, ref: RoomRef, target: UserSelector) -> Room:
    """channels.kick / groups.kick: remove a member (remove-user); `ru`."""
    async with deps.uow() as uow:
        room, _ = await locate_room(deps, uow, actor, ref, writable=True)
        if room.type == RoomType.DIRECT:
            raise _not_allowed()
        await require_room_permission(
            deps, uow, actor, "remove-user", room.id, "Not allowed", "error-not-allowed"
        )
        user = await find_user(uow, target)
        subscription = await uow.rooms.find_subscription(room.id, user.id)
        if subscription is None:
            raise _not_in_room()
        await _require_owner_remains(uow, subscription)
        await uow.rooms.delete_subscription(subscription, deps.clock.now())
        await post_system_message(deps, uow, actor, room, "ru", user.username or "")
        uow.emit(UserRemovedFromRoom(room_id=room.id, user_id=user.id, by=actor.id))
        return await _fresh(uow, room.id)


async def join_room(deps: Deps, actor: User, ref: RoomRef, join_code: str | None) -> Room:
    """channels.join: join a public channel, with its join code if it has one; `uj`."""
    async with deps.uow() as uow:
        room, subscription = await locate_room(deps, uow, actor, ref, writable=True)
        if subscription is not None:
            return room
        if room.type != RoomType.CHANNEL:
            raise room_not_found()
        if (
            room.join_code
            and join_code != room.join_code
            and not can(deps, actor, "join-without-join-code")
        ):
            raise ChinwagError("error-code-invalid", "Invalid Room Password")
        await add_member(deps, uow, room, actor.id, actor.username or "")
        await post_system_message(deps, uow, actor, room, "uj", actor.username or "")
        return await _fresh(uow, room.id)


async def leave_room(deps: Deps, actor: User, ref: RoomRef) -> Room:
    """channels.leave / groups.leave / rooms.leave; the last owner must hand over first; `ul`."""
    async with deps.uow() as uow:
        room, subscription = await locate_room(deps, uow, actor, ref, writable=True)
        if room.type == RoomType.DIRECT:
            raise ChinwagError("error-not-allowed", "Not allowed")
        permission = "leave-c" if room.type == RoomType.CHANNEL else "leave-p"
        if not can(deps, actor, permission):
            raise _not_allowed()
        if subscription is None:
            raise _not_in_room("You are")
        await _require_owner_remains(uow, subscription)
        await uow.rooms.delete_subscription(subscription, deps.clock.now())
        await post_system_message(deps, uow, actor, room, "ul", actor.username or "")
        uow.emit(UserLeftRoom(room_id=room.id, user_id=actor.id))
        return await _fresh(uow, room.id)


async def set_room_role(
    deps: Deps, actor: User, ref: RoomRef, target: UserSelector, role: str, *, add: bool
) -> None:
    """add/removeOwner, add/removeModerator, add/removeLeader (set-<role> in the room);
    the last owner cannot be removed. Leaves `subscription-role-added` / `-removed`."""
    assert role in ROOM_ROLES
    async with deps.uow() as uow:
        room, _ = await locate_room(deps, uow, actor, ref, writable=True)
        await require_room_permission(
            deps, uow, actor, f"set-{role}", room.id, "Not allowed", "error-not-allowed"
        )
        user = await find_user(uow, target)
        subscription = await uow.rooms.find_subscription(room.id, user.id)
        if subscription is None or not user.username:
            raise _not_in_room()
        if add and role in subscription.roles:
            raise ChinwagError(f"error-user-already-{role}", f"User is already {_ARTICLE[role]}")
        if not add and role not in subscription.roles:
            raise ChinwagError(f"error-user-not-{role}", f"User is not {_ARTICLE[role]}")
        if not add and role == "owner":
            owners = await uow.rooms.list_room_role_holders("owner", room.id)
            if len(owners) <= 1:
                raise ChinwagError(
                    "error-remove-last-owner",
                    "This is the last owner. Please set a new owner before removing this one.",
                )
        roles = (
            (*subscription.roles, role)
            if add
            else tuple(r for r in subscription.roles if r != role)
        )
        await uow.rooms.set_subscription_roles(room.id, user.id, roles, deps.clock.now())
        kind = "subscription-role-added" if add else "subscription-role-removed"
        sent = await post_system_message(deps, uow, actor, room, kind, user.username)
        if sent is not None:
            await uow.messages.update_message(sent.id, {"role": role})
        action = "added" if add else "removed"
        uow.emit(RoleChanged(role_id=role, action=action, user_id=user.id, scope=room.id))
        uow.emit(SubscriptionChanged(room_id=room.id, user_id=user.id))
