"""Reading messages beyond history: one message, search, catch-up since a moment, deletions,
and the pinned, starred and mentioning lists."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from chinwag.actions.deps import Deps
from chinwag.actions.messages import access_message
from chinwag.actions.threads import Changes, Listing, Order, readable_room
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Deletion, Message, User
from chinwag.storage.messages import MessageFilter

SyncType = Literal["UPDATED", "DELETED"]
ListKind = Literal["pinned", "starred", "mentioned"]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    next: datetime | None = None
    previous: datetime | None = None


@dataclass(frozen=True)
class CursorPage:
    """One page of changes by `_updatedAt` (or deletion time), and where the next ones start."""

    updated: list[Message]
    deleted: list[Deletion]
    next: datetime | None
    previous: datetime | None


async def get_message(deps: Deps, actor: User, message_id: str) -> Message:
    """chat.getMessage: one message the caller may read."""
    async with deps.reader() as uow:
        found = await access_message(deps, uow, actor, message_id)
    return found.message


async def search_messages(
    deps: Deps, actor: User, room_id: str, text: str, offset: int, count: int
) -> list[Message]:
    """chat.search: a room's messages holding every word (the last as a prefix), newest first."""
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        return await uow.messages.search([room.id], text, offset, count)


async def search_my_rooms(
    deps: Deps, actor: User, text: str, offset: int, count: int
) -> list[Message]:
    """messageSearch without a room: the same search over every room the caller is in."""
    async with deps.reader() as uow:
        room_ids = await uow.rooms.list_room_ids_of(actor.id)
        return await uow.messages.search(room_ids, text, offset, count)


async def list_room_messages(
    deps: Deps,
    actor: User,
    room_id: str,
    kind: ListKind,
    offset: int,
    count: int | None,
    order: Order = (),
) -> Listing:
    """chat.getPinnedMessages / getStarredMessages (the caller's) / getMentionedMessages."""
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        flt = MessageFilter(
            viewer=actor.id,
            room_id=room.id,
            pinned=True if kind == "pinned" else None,
            starred_by=actor.id if kind == "starred" else None,
            mentioning=actor.id if kind == "mentioned" else None,
        )
        found, total = await uow.messages.list_messages(
            flt, offset, count, with_total=True, order_by=order or (("ts", -1),)
        )
    return Listing(found, total)


async def sync_messages(deps: Deps, actor: User, room_id: str, since: datetime) -> Changes:
    """chat.syncMessages with lastUpdate: everything changed and deleted since, newest first."""
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        flt = MessageFilter(viewer=actor.id, room_id=room.id, updated_after=since)
        updated, _ = await uow.messages.list_messages(flt, 0, None)
        removed = await uow.messages.list_deletions(room.id, since, None, 0, None, True)
    return Changes(updated, removed)


async def sync_messages_page(
    deps: Deps, actor: User, room_id: str, kind: SyncType, cursor: Cursor, count: int
) -> CursorPage:
    """chat.syncMessages with type/next/previous: changes page by page, by change time."""
    if cursor.next is not None and cursor.previous is not None:
        raise ChinwagError(
            "error-cursor-conflict", 'You cannot provide both "next" and "previous" parameters'
        )
    backwards = cursor.previous is not None
    after = None if backwards else (cursor.next or EPOCH)
    before = cursor.previous
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        # One row more than asked tells whether another page follows.
        if kind == "UPDATED":
            flt = MessageFilter(
                viewer=actor.id, room_id=room.id, updated_after=after, updated_before=before
            )
            rows, _ = await uow.messages.list_messages(
                flt, 0, count + 1, order_by=(("updated_at", -1 if backwards else 1),)
            )
            stamps = [m.updated_at for m in rows]
            return _page(rows, [], stamps, count, backwards)
        gone = await uow.messages.list_deletions(room.id, after, before, 0, count + 1, backwards)
        return _page([], gone, [d.deleted_at for d in gone], count, backwards)


def _page(
    updated: list[Message], deleted: list[Deletion], stamps: list[datetime], count: int, back: bool
) -> CursorPage:
    more = len(stamps) > count
    stamps = stamps[:count]
    if not stamps:
        return CursorPage([], [], None, None)
    first, last = stamps[0], stamps[-1]
    if back:  # newest first: `next` leads back toward the present, `previous` further back
        return CursorPage(updated[:count], deleted[:count], first, last if more else None)
    return CursorPage(updated[:count], deleted[:count], last if more else None, first)


async def list_deleted_messages(
    deps: Deps, actor: User, room_id: str, since: datetime, offset: int, count: int | None
) -> tuple[list[Deletion], int]:
    """chat.getDeletedMessages: ids of the room's messages deleted after `since`."""
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        gone = await uow.messages.list_deletions(room.id, since, None, offset, count)
        total = await uow.messages.count_deletions(room.id, since)
    return gone, total
