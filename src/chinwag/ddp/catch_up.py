"""After a gap on the bus, this process's sockets get the messages they missed, from the
database by sequence number: Redis is a doorbell, the database is the truth."""

from datetime import datetime, timedelta

import structlog

from chinwag.ddp.streams import StreamHub
from chinwag.domain.models import RoomType
from chinwag.events.types import Event, MessageSent

log = structlog.get_logger(__name__)

# The link may have broken a little before the process noticed.
MARGIN = timedelta(seconds=5)
MAX_REPLAY = 500  # per room; a client that missed more reloads its history anyway


class CatchUp:
    def __init__(self, hub: StreamHub) -> None:
        self.hub = hub
        self.seen: dict[str, int] = {}  # room id -> latest timeline position heard here

    async def on_event(self, event: Event) -> None:
        if not isinstance(event, MessageSent) or event.seq is None:
            return
        if event.seq > self.seen.get(event.room_id, 0):
            self.seen[event.room_id] = event.seq

    async def run(self, lost_at: datetime) -> None:
        """Replay to local sockets what was posted in their rooms since the link broke."""
        since = lost_at - MARGIN
        replayed = 0
        for room_id in self.hub.room_ids():
            async with self.hub.deps.reader() as uow:
                room = await uow.rooms.find_room(room_id)
                missed = await uow.messages.list_missed(
                    room_id, self.seen.get(room_id), since, MAX_REPLAY
                )
            if room is None:
                continue
            for message in missed:
                await self.hub.on_event(
                    MessageSent(
                        room_id=room_id,
                        message_id=message.id,
                        thread_id=message.thread_id,
                        direct=room.type == RoomType.DIRECT,
                        seq=message.seq,
                    )
                )
                await self.on_event(MessageSent(room_id, message.id, seq=message.seq))
                replayed += 1
        log.info("caught up after a bus gap", rooms=len(self.hub.room_ids()), replayed=replayed)
