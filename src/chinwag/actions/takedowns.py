"""Takedowns: rooms archived, deleted or blocked; users deactivated (with their messages
purged) or shadow-restricted. Each writes its evidence bundle and audit entry first, in the
same transaction as the change."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import structlog

from chinwag.actions.access import require_permission
from chinwag.actions.audit import record_audit
from chinwag.actions.deps import Deps
from chinwag.actions.evidence import Scope, write_bundle
from chinwag.actions.messages import NewMessage, send_message
from chinwag.actions.room_settings import erase_room
from chinwag.actions.rooms import open_direct_message
from chinwag.actions.users import ROCKET_CAT_ID, apply_active
from chinwag.domain.audit import Origin
from chinwag.domain.errors import ChinwagError, InvalidParams, invalid_user, room_not_found
from chinwag.domain.models import Room, RoomType, User
from chinwag.events.types import RoomHistoryCleaned, RoomUpdated, UserUpdated
from chinwag.storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

MANAGE = "manage-moderation-actions"
MAX_REASON = 2000


class RoomTakedown(StrEnum):
    ARCHIVE = "archive"
    DELETE = "delete"
    BLOCK = "block"


class Purge(StrEnum):
    NONE = "none"
    WINDOW = "window"
    ALL = "all"


@dataclass(frozen=True)
class Takedown:
    """What a takedown did: its evidence bundle and audit entry."""

    bundle_id: str
    audit_id: str


def require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidParams("A reason is required", "error-invalid-reason")
    if len(reason) > MAX_REASON:
        raise InvalidParams(f"The reason exceeds {MAX_REASON} characters", "error-invalid-reason")
    return reason


async def takedown_room(
    deps: Deps,
    actor: User,
    room_id: str,
    action: RoomTakedown,
    reason: str,
    notice: str | None = None,
    origin: Origin | None = None,
) -> Takedown:
    """moderation.takedownRoom: archive, delete, or block (delete, reserve the name so it
    cannot be made again, and tell the former members `notice`)."""
    require_permission(deps, actor, MANAGE)
    reason = require_reason(reason)
    async with deps.uow() as uow:
        room = await uow.rooms.find_room(room_id)
        if room is None:
            raise room_not_found()
        if room.type == RoomType.DIRECT and action != RoomTakedown.DELETE:
            raise ChinwagError("error-direct-message-room", "A direct message can only be deleted")
        scope = Scope(kind="room", target_id=room.id, reason=reason, room_id=room.id)
        bundle_id = await write_bundle(deps, uow, actor, scope)
        members = [s["user_id"] for s in await uow.moderation.membership_rows(room_id=room.id)]
        await _apply_room_takedown(deps, uow, actor, room, action, reason)
        audit_id = await record_audit(
            deps,
            uow,
            actor,
            "moderation.takedownRoom",
            origin,
            target=("room", room.id),
            before={"name": room.name, "archived": room.archived, "members": len(members)},
            after={"action": action.value, "reason": reason, "evidence": bundle_id},
        )
    if action == RoomTakedown.BLOCK and notice and notice.strip():
        await _notify(deps, [m for m in members if m != actor.id], notice.strip())
    return Takedown(bundle_id=bundle_id, audit_id=audit_id)


async def _apply_room_takedown(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, action: RoomTakedown, reason: str
) -> None:
    now = deps.clock.now()
    if action == RoomTakedown.ARCHIVE:
        await uow.rooms.update_room(room.id, {"archived": True, "updated_at": now})
        await uow.rooms.update_room_subscriptions(room.id, {"open": False, "updated_at": now})
        uow.emit(RoomUpdated(room_id=room.id, fields=("archived",)))
        return
    named = action == RoomTakedown.BLOCK and room.name
    if named and not await uow.moderation.is_room_name_reserved(room.name or ""):
        await uow.moderation.reserve_room_name(
            {
                "name_lower": (room.name or "").lower(),
                "room_id": room.id,
                "reason": reason,
                "reserved_by": actor.id,
                "reserved_at": now,
            }
        )
    await erase_room(deps, uow, room.id)


async def _notify(deps: Deps, user_ids: list[str], text: str) -> None:
    """Tell each former member, from rocket.cat in a direct message. Best effort: a member
    who cannot be reached does not undo the takedown."""
    async with deps.reader() as uow:
        cat = await uow.users.find_by_id(ROCKET_CAT_ID)
        people = [await uow.users.find_by_id(i) for i in user_ids]
    if cat is None:
        return
    for person in people:
        if person is None or not person.username or not person.active:
            continue
        try:
            dm = await open_direct_message(deps, cat, (person.username,))
            await send_message(deps, cat, NewMessage(dm.id, text))
        except ChinwagError:
            log.warning("takedown notice not delivered", user_id=person.id)


@dataclass(frozen=True)
class UserTakedown:
    user_id: str
    reason: str
    purge: Purge = Purge.NONE
    since: datetime | None = None
    until: datetime | None = None


def _window(takedown: UserTakedown) -> tuple[datetime | None, datetime | None]:
    if takedown.purge != Purge.WINDOW:
        return None, None
    if takedown.since is None and takedown.until is None:
        raise InvalidParams("A window purge needs since, until or both", "error-invalid-window")
    if takedown.since and takedown.until and takedown.since > takedown.until:
        raise InvalidParams("since must not be after until", "error-invalid-window")
    return takedown.since, takedown.until


async def _target(uow: UnitOfWork, actor: User, user_id: str) -> User:
    user = await uow.users.find_by_id(user_id)
    if user is None:
        raise invalid_user()
    if user.id in (actor.id, ROCKET_CAT_ID):
        raise ChinwagError("error-action-not-allowed", "This user cannot be taken down")
    return user


async def takedown_user(
    deps: Deps, actor: User, takedown: UserTakedown, origin: Origin | None = None
) -> Takedown:
    """moderation.takedownUser: deactivate the account (ending its sessions) and delete its
    messages in a window, all of them, or none."""
    require_permission(deps, actor, MANAGE)
    reason = require_reason(takedown.reason)
    since, until = _window(takedown)
    async with deps.uow() as uow:
        user = await _target(uow, actor, takedown.user_id)
        scope = Scope(
            kind="user",
            target_id=user.id,
            reason=reason,
            user_ids=(user.id,),
            since=since,
            until=until,
        )
        bundle_id = await write_bundle(deps, uow, actor, scope)
        purged = 0
        if takedown.purge != Purge.NONE:
            purged = await purge_messages(deps, uow, user.id, since, until)
        await apply_active(deps, uow, user, False, confirm_relinquish=True)
        audit_id = await record_audit(
            deps,
            uow,
            actor,
            "moderation.takedownUser",
            origin,
            target=("user", user.id),
            before={"active": user.active},
            after={
                "active": False,
                "purge": takedown.purge.value,
                "purged": purged,
                "reason": reason,
                "evidence": bundle_id,
            },
        )
    return Takedown(bundle_id=bundle_id, audit_id=audit_id)


async def purge_messages(
    deps: Deps, uow: UnitOfWork, user_id: str, since: datetime | None, until: datetime | None
) -> int:
    """Delete a user's messages in a window, room by room, leaving tombstones for syncing
    clients. Returns how many went."""
    by_room: dict[str, list[str]] = {}
    for room_id, message_id in await uow.moderation.message_ids_by(user_id, since, until):
        by_room.setdefault(room_id, []).append(message_id)
    now = deps.clock.now()
    for room_id, ids in by_room.items():
        await uow.messages.delete_messages(room_id, ids, now)
        uow.emit(RoomHistoryCleaned(room_id=room_id, message_ids=tuple(ids)))
    return sum(len(ids) for ids in by_room.values())


async def restrict_user(
    deps: Deps,
    actor: User,
    user_id: str,
    restricted: bool,
    reason: str | None = None,
    origin: Origin | None = None,
) -> User:
    """moderation.restrictUser: shadow-restrict a user (their posts, past and new, reach only
    themselves, over REST and DDP alike) or lift it."""
    require_permission(deps, actor, MANAGE)
    async with deps.uow() as uow:
        user = await _target(uow, actor, user_id)
        if user.restricted != restricted:
            await uow.moderation.set_restricted(user.id, restricted, deps.clock.now())
            uow.emit(UserUpdated(user_id=user.id, fields=("restricted",)))
        await record_audit(
            deps,
            uow,
            actor,
            "moderation.restrictUser",
            origin,
            target=("user", user.id),
            before={"restricted": user.restricted},
            after={"restricted": restricted, "reason": (reason or "").strip() or None},
        )
        fresh = await uow.users.find_by_id(user.id)
    assert fresh is not None
    return fresh
