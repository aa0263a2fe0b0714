"""Threads: listing a room's threads and a thread's replies, following them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from chinwag.actions.deps import Deps
from chinwag.actions.messages import access_message
from chinwag.actions.rooms import can_read
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Deletion, Message, Room, User
from chinwag.events.types import ThreadFollowed
from chinwag.storage.messages import MessageFilter
from chinwag.storage.uow import UnitOfWork

ThreadsType = Literal["all", "following", "unread"]
Order = Sequence[tuple[str, int]]


@dataclass(frozen=True)
class Listing:
    messages: list[Message]
    total: int


@dataclass(frozen=True)
class Changes:
    """What changed since a moment: messages updated (or created), and deletions."""

    updated: list[Message]
    removed: list[Deletion]


def room_not_allowed() -> ChinwagError:
    """Rocket.Chat's answer for a room that is missing or not the caller's to read."""
    return ChinwagError("error-not-allowed", "Not Allowed")


def invalid_message() -> ChinwagError:
    return ChinwagError("error-invalid-message", "Invalid Message")


async def readable_room(deps: Deps, uow: UnitOfWork, actor: User, room_id: str) -> Room:
    """The room, if the caller may read it; a private room is as missing to anyone else."""
    room = await uow.rooms.find_room(room_id)
    if room is None:
        raise room_not_allowed()
    subscription = await uow.rooms.find_subscription(room.id, actor.id)
    if not can_read(deps, actor, room, subscription):
        raise room_not_allowed()
    return room


async def list_threads(
    deps: Deps,
    actor: User,
    room_id: str,
    kind: ThreadsType,
    text: str | None,
    offset: int,
    count: int | None,
    order: Order = (),
) -> Listing:
    """chat.getThreadsList: a room's thread starters, most recently replied first."""
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        ids: tuple[str, ...] | None = None
        if kind == "unread":
            subscription = await uow.rooms.find_subscription(room.id, actor.id)
            ids = subscription.thread_unread if subscription else ()
        flt = MessageFilter(
            viewer=actor.id,
            room_id=room.id,
            had_replies=True,
            followed_by=actor.id if kind == "following" else None,
            ids=ids,
            text_contains=text or None,
        )
        found, total = await uow.messages.list_messages(
            flt, offset, count, with_total=True, order_by=order or (("tlm", -1),)
        )
    return Listing(found, total)


async def _thread_root(deps: Deps, uow: UnitOfWork, actor: User, tmid: str) -> Message:
    found = await access_message(deps, uow, actor, tmid, not_found=invalid_message)
    return found.message


async def list_thread_messages(
    deps: Deps, actor: User, tmid: str, offset: int, count: int | None, order: Order = ()
) -> Listing:
    """chat.getThreadMessages: a thread's replies, oldest first."""
    async with deps.reader() as uow:
        root = await _thread_root(deps, uow, actor, tmid)
        flt = MessageFilter(viewer=actor.id, room_id=root.room_id, thread_id=root.id)
        found, total = await uow.messages.list_messages(
            flt, offset, count, with_total=True, order_by=order or (("ts", 1),)
        )
    return Listing(found, total)


async def sync_threads(deps: Deps, actor: User, room_id: str, since: datetime) -> Changes:
    """chat.syncThreadsList: thread starters changed since `since`, and deletions."""
    async with deps.reader() as uow:
        room = await readable_room(deps, uow, actor, room_id)
        flt = MessageFilter(viewer=actor.id, room_id=room.id, had_replies=True, updated_after=since)
        updated, _ = await uow.messages.list_messages(flt, 0, None, order_by=(("updated_at", 1),))
        removed = await uow.messages.list_deletions(room.id, since, None, 0, None)
    return Changes(updated, removed)


async def sync_thread_messages(deps: Deps, actor: User, tmid: str, since: datetime) -> Changes:
    """chat.syncThreadMessages: a thread's replies changed since `since`, and deletions.

    Deleted rows keep no thread, so `removed` holds every deletion in the room since then;
    clients drop the ids they hold and ignore the rest.
    """
    async with deps.reader() as uow:
        root = await _thread_root(deps, uow, actor, tmid)
        flt = MessageFilter(
            viewer=actor.id, room_id=root.room_id, thread_id=root.id, updated_after=since
        )
        updated, _ = await uow.messages.list_messages(flt, 0, None, order_by=(("updated_at", 1),))
        removed = await uow.messages.list_deletions(root.room_id, since, None, 0, None)
    return Changes(updated, removed)


async def follow_thread(deps: Deps, actor: User, message_id: str, follow: bool) -> None:
    """chat.followMessage / chat.unfollowMessage: (un)subscribe to a thread's replies.

    A reply stands for its thread. Emits ThreadFollowed on change.
    """
    async with deps.uow() as uow:
        found = await access_message(deps, uow, actor, message_id, not_found=invalid_message)
        message = found.message
        tmid = message.thread_id or message.id
        now = deps.clock.now()
        if follow:
            changed = await uow.threads.follow(tmid, actor.id, now)
        else:
            changed = await uow.threads.unfollow(tmid, message.room_id, actor.id, now)
        if changed:
            uow.emit(
                ThreadFollowed(
                    room_id=message.room_id, thread_id=tmid, user_id=actor.id, following=follow
                )
            )
