"""Reading a room's messages: history pages, with the caller's access checked first."""

from dataclasses import dataclass
from datetime import datetime

from chinwag.actions.deps import Deps
from chinwag.actions.rooms import access_room
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
            room_id=room.id,
            latest=latest,
            oldest=oldest,
            inclusive=inclusive,
            with_thread_replies=with_thread_replies,
        )
        found, total = await uow.messages.list_messages(flt, offset, count)
    return HistoryPage(found, total)
