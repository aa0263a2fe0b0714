"""Reading a room's messages: history pages, with the caller's access checked first."""

from dataclasses import dataclass
from datetime import datetime

from chinwag.actions.deps import Deps
from chinwag.actions.messages import access_message
from chinwag.actions.rooms import access_room, access_room_by_id
from chinwag.domain.models import Message, Room, User
from chinwag.storage.messages import MessageFilter


@dataclass(frozen=True)
class HistoryPage:
    messages: list[Message]
    total: int


async def room_history(
    deps: Deps,
    actor: User,
    room: Room,
    latest: datetime | None,
    oldest: datetime | None,
    inclusive: bool,
    offset: int,
    count: int | None,
    with_thread_replies: bool = True,
) -> HistoryPage:
    """Newest first, as channels.history and loadHistory return them."""
    async with deps.reader() as uow:
        await access_room(deps, uow, actor, room)
        flt = MessageFilter(
            viewer=actor.id,
            room_id=room.id,
            latest=latest,
            oldest=oldest,
            inclusive=inclusive,
            with_thread_replies=with_thread_replies,
        )
        found, total = await uow.messages.list_messages(flt, offset, count)
    return HistoryPage(found, total)


async def room_history_after(
    deps: Deps, actor: User, room_id: str, after: datetime | None, count: int
) -> list[Message]:
    """loadNextMessages: oldest first, after `after` (from the room's start without it)."""
    async with deps.reader() as uow:
        room = await access_room_by_id(deps, uow, actor, room_id)
        flt = MessageFilter(viewer=actor.id, room_id=room.id, oldest=after, inclusive=False)
        found, _ = await uow.messages.list_messages(flt, 0, count, newest_first=False)
    return found


@dataclass(frozen=True)
class Surroundings:
    messages: list[Message]  # newest first, the message itself among them
    more_before: bool
    more_after: bool


async def messages_around(deps: Deps, actor: User, message_id: str, limit: int) -> Surroundings:
    """loadSurroundingMessages: a message with up to half of `limit` on each side."""
    side = max(limit // 2, 1)  # Rocket.Chat's ceil((limit - 1) / 2)
    async with deps.reader() as uow:
        found = await access_message(deps, uow, actor, message_id)
        middle = found.message
        room_id, at = middle.room_id, middle.created_at
        if middle.seq is not None:  # in the timeline: its neighbours by position
            position = (at, middle.seq)
            earlier = MessageFilter(viewer=actor.id, room_id=room_id, before_position=position)
            later = MessageFilter(viewer=actor.id, room_id=room_id, after_position=position)
        else:
            earlier = MessageFilter(viewer=actor.id, room_id=room_id, latest=at)
            later = MessageFilter(viewer=actor.id, room_id=room_id, oldest=at)
        before, _ = await uow.messages.list_messages(earlier, 0, side)
        after, _ = await uow.messages.list_messages(later, 0, side, newest_first=False)
    return Surroundings(
        [*reversed(after), middle, *before], len(before) == side, len(after) == side
    )
