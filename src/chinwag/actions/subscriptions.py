"""A member's own view of their rooms: read and unread positions, the sidebar (open or
hidden), favourites, and catching up on what changed."""

from dataclasses import dataclass
from datetime import datetime

from chinwag.actions.deps import Deps
from chinwag.actions.rooms import RoomRef, locate_room
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import Room, RoomState, Subscription, User
from chinwag.events.types import SubscriptionChanged
from chinwag.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Removal:
    """A membership (or room) the user no longer has, and when it ended."""

    subscription_id: str
    room_id: str
    at: datetime


@dataclass(frozen=True)
class SubscriptionSync:
    update: list[tuple[Subscription, RoomState]]
    remove: list[Removal]


def _invalid_subscription(reason: str = "Invalid subscription") -> ChinwagError:
    return ChinwagError("error-invalid-subscription", reason)


async def get_subscription(
    deps: Deps, actor: User, room_id: str
) -> tuple[Subscription, Room] | None:
    """subscriptions.getOne: the caller's own subscription, or None (never anyone else's)."""
    async with deps.reader() as uow:
        subscription = await uow.rooms.find_subscription(room_id, actor.id)
        room = await uow.rooms.find_room(room_id) if subscription else None
    if subscription is None or room is None:
        return None
    return subscription, room


async def list_subscriptions(deps: Deps, actor: User, since: datetime | None) -> SubscriptionSync:
    """subscriptions.get: every subscription, or those changed after `since` plus the
    memberships that ended after it."""
    async with deps.reader() as uow:
        update = await uow.rooms.list_changed_subscriptions(actor.id, since)
        ended = await uow.rooms.list_ended_memberships(actor.id, since) if since else []
    return SubscriptionSync(update, [Removal(i, r, at) for i, r, at in ended])


async def _own_subscription(
    uow: UnitOfWork, actor: User, room_id: str
) -> tuple[Room, Subscription]:
    subscription = await uow.rooms.find_subscription(room_id, actor.id)
    room = await uow.rooms.find_room(room_id) if subscription else None
    if subscription is None or room is None:
        raise _invalid_subscription()
    return room, subscription


async def mark_read(deps: Deps, actor: User, room_id: str, read_threads: bool = False) -> None:
    """subscriptions.read: everything in the room is read; unread, mentions and alert reset."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        room, _ = await _own_subscription(uow, actor, room_id)
        values: dict[str, object] = {
            "read_seq": room.seq,
            "last_seen": now,
            "user_mentions": 0,
            "group_mentions": 0,
            "updated_at": now,
        }
        if read_threads:
            values["thread_unread"] = []
        await uow.rooms.update_subscription(room.id, actor.id, values)
        uow.emit(SubscriptionChanged(room_id=room.id, user_id=actor.id))


async def mark_unread(
    deps: Deps, actor: User, room_id: str | None, first_unread_id: str | None
) -> None:
    """subscriptions.unread: the room's last message, or everything from a given message
    on, counts as unread again (someone else's message: one's own never is)."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        if first_unread_id:
            message = await uow.messages.find_message(first_unread_id)
            if message is None or message.author.id == actor.id:
                raise ChinwagError("error-action-not-allowed", "Not allowed")
            room, subscription = await _own_subscription(uow, actor, message.room_id)
            if message.seq is None or message.seq - 1 >= subscription.read_seq:
                return  # a thread reply, or already unread
            read_seq = message.seq - 1
        elif room_id:
            room, subscription = await _own_subscription(uow, actor, room_id)
            if room.seq == 0:
                raise ChinwagError(
                    "error-no-message-for-unread", "There are no messages to mark unread"
                )
            read_seq = min(subscription.read_seq, room.seq - 1)
        else:
            raise ChinwagError("error-invalid-params", 'The "roomId" param is required')
        values = {"read_seq": read_seq, "open": True, "updated_at": now}
        await uow.rooms.update_subscription(room.id, actor.id, values)
        uow.emit(SubscriptionChanged(room_id=room.id, user_id=actor.id))


def _not_member(room: Room) -> ChinwagError:
    return ChinwagError(
        "error-user-not-in-room", f'The user/callee is not in the room "{room.name or room.id}".'
    )


async def set_open(
    deps: Deps, actor: User, ref: RoomRef, open_: bool, refuse_same: bool = True
) -> None:
    """channels.open / close and kin: show or hide the room in the caller's sidebar.
    With `refuse_same`, asking for the state it already has fails, as Rocket.Chat does."""
    async with deps.uow() as uow:
        room, subscription = await locate_room(deps, uow, actor, ref)
        if subscription is None:
            raise _not_member(room)
        if subscription.open == open_:
            if not refuse_same:
                return
            state = "open" if open_ else "closed"
            raise ChinwagError(
                f"error-room-already-{state}",
                f"The room, {room.name or room.id}, is already {state} to the sender",
            )
        values = {"open": open_, "updated_at": deps.clock.now()}
        await uow.rooms.update_subscription(room.id, actor.id, values)
        uow.emit(SubscriptionChanged(room_id=room.id, user_id=actor.id))


async def set_favourite(deps: Deps, actor: User, ref: RoomRef, favourite: bool) -> None:
    """rooms.favorite: star or unstar a room one belongs to."""
    async with deps.uow() as uow:
        room, subscription = await locate_room(deps, uow, actor, ref, writable=True)
        if subscription is None:
            raise _invalid_subscription("You must be part of a room to favorite it")
        values = {"favourite": favourite, "updated_at": deps.clock.now()}
        await uow.rooms.update_subscription(room.id, actor.id, values)
        uow.emit(SubscriptionChanged(room_id=room.id, user_id=actor.id))
