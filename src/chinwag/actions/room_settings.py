"""Changing a room: name, topic and other texts, type, read-only, join code, default,
archiving and deletion. Each change leaves the system message Rocket.Chat clients show."""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from chinwag.actions.access import can, can_in_room, require_room_permission
from chinwag.actions.deps import Deps
from chinwag.actions.messages import post_system_message
from chinwag.actions.rooms import (
    RoomRef,
    check_room_name,
    locate_room,
    require_free_room_name,
)
from chinwag.domain.errors import ChinwagError, Forbidden, room_not_found
from chinwag.domain.models import Room, RoomType, User
from chinwag.events.types import RoomDeleted, RoomHistoryCleaned, RoomUpdated
from chinwag.storage.messages import Cleaning
from chinwag.storage.uow import UnitOfWork


@dataclass(frozen=True)
class RoomChanges:
    """Settings to change; None leaves one as it is (Rocket.Chat's saveRoomSettings keys)."""

    name: str | None = None
    topic: str | None = None
    announcement: str | None = None
    description: str | None = None
    custom_fields: dict[str, object] | None = None
    type: RoomType | None = None
    read_only: bool | None = None
    react_when_read_only: bool | None = None
    sys_mes: bool | None = None
    is_default: bool | None = None
    join_code: str | None = None

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


# Which changes a direct message accepts (it has no name, type or join code).
DIRECT_ALLOWED = {"topic", "announcement", "description", "custom_fields", "sys_mes"}


def _not_allowed(reason: str) -> Forbidden:
    return Forbidden(reason, "error-action-not-allowed")


async def _authorise(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, changes: RoomChanges
) -> None:
    await require_room_permission(
        deps,
        uow,
        actor,
        "edit-room",
        room.id,
        "Editing room is not allowed",
        "error-action-not-allowed",
    )
    given = changes.given()
    if room.type == RoomType.DIRECT and not set(given) <= DIRECT_ALLOWED:
        raise ChinwagError("error-action-not-allowed", "Not allowed for direct messages")
    if changes.is_default is not None and not can(deps, actor, "view-room-administration"):
        raise _not_allowed("Viewing room administration is not allowed")
    if changes.type is not None and changes.type != room.type:
        wanted = "create-c" if changes.type == RoomType.CHANNEL else "create-p"
        if not await can_in_room(deps, uow, actor, wanted, room.id):
            raise _not_allowed("Changing the room type is not allowed")
    for value, permission in (
        (changes.read_only, "set-readonly"),
        (changes.react_when_read_only, "set-react-when-readonly"),
    ):
        if value is not None:
            if room.broadcast:
                raise ChinwagError(
                    "error-action-not-allowed",
                    "Editing readOnly is not allowed for broadcast rooms",
                )
            await require_room_permission(
                deps, uow, actor, permission, room.id, "Not allowed", "error-action-not-allowed"
            )


def _text(value: str | None) -> str:
    return value or ""


def is_unchanged(room: Room, changes: RoomChanges) -> bool:
    """Every setting asked for already has that value (channels.setTopic and kin refuse)."""
    current: dict[str, Any] = {
        "name": room.name,
        "topic": _text(room.topic),
        "announcement": _text(room.announcement),
        "description": _text(room.description),
        "custom_fields": room.custom_fields,
        "type": room.type,
        "read_only": room.read_only,
        "react_when_read_only": room.react_when_read_only,
        "sys_mes": room.sys_mes,
        "is_default": room.is_default,
        "join_code": room.join_code or "",
    }
    return all(current[k] == getattr(changes, k) for k in changes.given())


async def change_room(
    deps: Deps,
    actor: User,
    ref: RoomRef,
    changes: RoomChanges,
    unchanged_error: ChinwagError | None = None,
) -> Room:
    """Save room settings (edit-room, and each setting's own permission); raise
    `unchanged_error` if given and nothing would change. Emits RoomUpdated."""
    async with deps.uow() as uow:
        room, _ = await locate_room(deps, uow, actor, ref, writable=True)
        await _authorise(deps, uow, actor, room, changes)
        if unchanged_error is not None and is_unchanged(room, changes):
            raise unchanged_error
        changed = await _apply(deps, uow, actor, room, changes)
        if changed:
            uow.emit(RoomUpdated(room_id=room.id, fields=tuple(changed)))
        fresh = await uow.rooms.find_room(room.id)
    assert fresh is not None
    return fresh


async def _apply(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, changes: RoomChanges
) -> list[str]:
    """Write the changes in Rocket.Chat's order; the names of the settings that changed."""
    changed: list[str] = []
    if changes.name is not None and await _rename(deps, uow, actor, room, changes.name):
        changed.append("name")
    for key, kind in (
        ("topic", "room_changed_topic"),
        ("announcement", "room_changed_announcement"),
        ("description", "room_changed_description"),
    ):
        value = getattr(changes, key)
        if value is not None and value != _text(getattr(room, key)):
            await _save(deps, uow, room, {key: value})
            await post_system_message(deps, uow, actor, room, kind, value)
            changed.append(key)
    if changes.custom_fields is not None and changes.custom_fields != room.custom_fields:
        await _save(deps, uow, room, {"custom_fields": changes.custom_fields})
        changed.append("custom_fields")
    if changes.type is not None and changes.type != room.type:
        await _save(deps, uow, room, {"type": changes.type.value})
        await uow.rooms.update_room_subscriptions(room.id, {"room_type": changes.type.value})
        privacy = "public" if changes.type == RoomType.CHANNEL else "private"
        await post_system_message(deps, uow, actor, room, "room_changed_privacy", privacy)
        changed.append("type")
    changed += await _apply_flags(deps, uow, actor, room, changes)
    return changed


async def _apply_flags(
    deps: Deps, uow: UnitOfWork, actor: User, room: Room, changes: RoomChanges
) -> list[str]:
    changed: list[str] = []
    username = actor.username or ""
    if changes.read_only is not None and changes.read_only != room.read_only:
        await _save(deps, uow, room, {"read_only": changes.read_only})
        kind = "room-set-read-only" if changes.read_only else "room-removed-read-only"
        await post_system_message(deps, uow, actor, room, kind, username)
        changed.append("read_only")
    flag = changes.react_when_read_only
    if flag is not None and flag != room.react_when_read_only:
        await _save(deps, uow, room, {"react_when_read_only": flag})
        kind = "room-allowed-reacting" if flag else "room-disallowed-reacting"
        await post_system_message(deps, uow, actor, room, kind, username)
        changed.append("react_when_read_only")
    for key, column, current in (
        ("sys_mes", "sys_mes", room.sys_mes),
        ("is_default", "is_default", room.is_default),
    ):
        value = getattr(changes, key)
        if value is not None and value != current:
            await _save(deps, uow, room, {column: value})
            changed.append(key)
    if changes.join_code is not None:
        await _save(deps, uow, room, {"join_code": changes.join_code or None})
        changed.append("join_code")
    return changed


async def _save(deps: Deps, uow: UnitOfWork, room: Room, values: dict[str, Any]) -> None:
    await uow.rooms.update_room(room.id, {**values, "updated_at": deps.clock.now()})


async def _rename(deps: Deps, uow: UnitOfWork, actor: User, room: Room, wanted: str) -> bool:
    """A new name for the room and every member's view of it; `r`. Discussions keep their
    generated name and change only the display name."""
    if room.parent_id:
        fname = wanted.strip()
        if not fname or fname == room.fname:
            return False
        await _save(deps, uow, room, {"fname": fname})
        await uow.rooms.update_room_subscriptions(room.id, {"fname": fname})
    else:
        name = check_room_name(deps, wanted)
        if name == room.name:
            return False
        await require_free_room_name(uow, name, but=room.id)
        await _save(deps, uow, room, {"name": name, "fname": name})
        await uow.rooms.update_room_subscriptions(room.id, {"name": name, "fname": name})
        fname = name
    await post_system_message(deps, uow, actor, room, "r", fname)
    return True


async def set_archived(deps: Deps, actor: User, ref: RoomRef, archived: bool) -> Room:
    """channels.archive / unarchive (archive-room / unarchive-room): an archived room is
    read-only for everyone and leaves its members' sidebars; `room-archived` / `-unarchived`."""
    async with deps.uow() as uow:
        room, _ = await locate_room(deps, uow, actor, ref, writable=archived)
        if room.type == RoomType.DIRECT:
            raise ChinwagError("error-direct-message-room", "Direct Messages can not be archived")
        if not archived and not room.archived:
            noun = "private group" if room.type == RoomType.PRIVATE else "channel"
            raise ChinwagError(
                "error-room-not-archived", f"The {noun}, {room.name}, is not archived"
            )
        permission = "archive-room" if archived else "unarchive-room"
        await require_room_permission(
            deps, uow, actor, permission, room.id, "Not authorized", "error-not-authorized"
        )
        now = deps.clock.now()
        await uow.rooms.update_room(room.id, {"archived": archived, "updated_at": now})
        await uow.rooms.update_room_subscriptions(
            room.id, {"open": not archived, "updated_at": now}
        )
        kind = "room-archived" if archived else "room-unarchived"
        await post_system_message(deps, uow, actor, room, kind, actor.username or "")
        uow.emit(RoomUpdated(room_id=room.id, fields=("archived",)))
        fresh = await uow.rooms.find_room(room.id)
    assert fresh is not None
    return fresh


async def delete_room(
    deps: Deps, actor: User, ref: RoomRef, staff_permission: str | None = None
) -> None:
    """channels.delete / groups.delete / dm.delete (delete-c / delete-p / delete-d): the room,
    its messages, memberships and discussions go. Emits RoomDeleted for each room."""
    async with deps.uow() as uow:
        room, _ = await locate_room(deps, uow, actor, ref, staff_permission=staff_permission)
        await require_room_permission(
            deps,
            uow,
            actor,
            f"delete-{room.type.value}",
            room.id,
            "Not allowed",
            "error-not-allowed",
        )
        await erase_room(deps, uow, room.id)


async def erase_room(deps: Deps, uow: UnitOfWork, room_id: str) -> None:
    """Delete a room and, first, its discussions, inside the caller's transaction."""
    for child in await uow.rooms.list_discussion_ids(room_id):
        await erase_room(deps, uow, child)
    if await uow.rooms.find_room(room_id) is None:
        raise room_not_found()
    members = await uow.rooms.delete_room(room_id, deps.clock.now())
    uow.emit(RoomDeleted(room_id=room_id, user_ids=tuple(members)))


@dataclass(frozen=True)
class HistoryCleaning:
    """rooms.cleanHistory's choice of messages: a time window and what to spare."""

    latest: datetime
    oldest: datetime
    inclusive: bool = False
    limit: int | None = None
    exclude_pinned: bool = False
    files_only: bool = False
    ignore_threads: bool = False
    ignore_discussions: bool = False
    usernames: tuple[str, ...] = ()


async def clean_history(
    deps: Deps, actor: User, ref: RoomRef, cleaning: HistoryCleaning
) -> tuple[str, int]:
    """Delete a room's messages in a time window (clean-channel-history): the room's id and
    how many went.
    Tombstones let syncing clients drop them; discussions opened by them go too unless
    spared. Emits RoomHistoryCleaned."""
    async with deps.uow() as uow:
        room, _ = await locate_room(deps, uow, actor, ref, writable=True)
        await require_room_permission(
            deps, uow, actor, "clean-channel-history", room.id, "Not allowed", "error-not-allowed"
        )
        if cleaning.files_only:
            return room.id, 0  # uploads are not stored yet, so no message carries a file
        found = await uow.messages.find_messages_to_clean(
            Cleaning(
                room_id=room.id,
                latest=cleaning.latest,
                oldest=cleaning.oldest,
                inclusive=cleaning.inclusive,
                exclude_pinned=cleaning.exclude_pinned,
                ignore_threads=cleaning.ignore_threads,
                ignore_discussions=cleaning.ignore_discussions,
                usernames=cleaning.usernames,
                limit=cleaning.limit,
            )
        )
        ids = [message_id for message_id, _ in found]
        if ids:
            await uow.messages.delete_messages(room.id, ids, deps.clock.now())
            uow.emit(RoomHistoryCleaned(room_id=room.id, message_ids=tuple(ids)))
        for discussion_id in dict.fromkeys(d for _, d in found if d):
            if await uow.rooms.find_room(discussion_id) is not None:
                await erase_room(deps, uow, discussion_id)
    return room.id, len(ids)
