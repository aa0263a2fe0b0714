"""Rocket.Chat's streams: who listens to what, and committed events turned into stream frames.

Each event becomes one serialized frame per (stream, eventName), and the same string goes
to every connection listening for it.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection
from chinwag.ddp.ejson import dumps
from chinwag.events.types import Event, RoomDeleted, UserLeftRoom, UserRemovedFromRoom

# How a stream frame for `event` is built: (topic, stream, eventName, args) tuples.
Frames = list[tuple[str, str, str, list[Any]]]
Renderer = Callable[[Deps, Event], Awaitable[Frames]]


@dataclass(frozen=True)
class Listener:
    connection: Connection
    sub_id: str
    stream: str
    event_name: str


class StreamHub:
    """This process's map of topics to the connections subscribed to them."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._by_topic: dict[str, dict[tuple[str, str], Listener]] = defaultdict(dict)
        self._topics_of: dict[tuple[str, str], str] = {}
        self._renderers: dict[type[Event], Renderer] = {}
        self.connections: dict[str, Connection] = {}

    def renders(self, event_type: type[Event], renderer: Renderer) -> None:
        self._renderers[event_type] = renderer

    def add(self, topic: str, listener: Listener) -> None:
        key = (listener.connection.id, listener.sub_id)
        self._by_topic[topic][key] = listener
        self._topics_of[key] = topic

    def remove(self, connection: Connection, sub_id: str) -> None:
        key = (connection.id, sub_id)
        topic = self._topics_of.pop(key, None)
        if topic is not None:
            self._by_topic[topic].pop(key, None)
            if not self._by_topic[topic]:
                del self._by_topic[topic]

    def drop_connection(self, connection: Connection) -> None:
        for key in [k for k in self._topics_of if k[0] == connection.id]:
            self.remove(connection, key[1])
        self.connections.pop(connection.id, None)

    def drop_user_from_topic(self, topic: str, user_id: str) -> None:
        """A member left or was removed: their sockets stop hearing the room at once."""
        for key, listener in list(self._by_topic.get(topic, {}).items()):
            user = listener.connection.user
            if user is not None and user.id == user_id:
                listener.connection.session.nosub(listener.sub_id)
                listener.connection.flush()
                self.remove(listener.connection, key[1])

    def listeners(self, topic: str) -> list[Listener]:
        return list(self._by_topic.get(topic, {}).values())

    async def on_event(self, event: Event) -> None:
        self._revoke(event)
        renderer = self._renderers.get(type(event))
        if renderer is None:
            return
        for topic, stream, event_name, args in await renderer(self.deps, event):
            self.publish(topic, stream, event_name, args)

    def _revoke(self, event: Event) -> None:
        """Whoever lost a room stops hearing it before anything else is sent."""
        if isinstance(event, UserLeftRoom | UserRemovedFromRoom):
            self.drop_user_from_topic(f"room:{event.room_id}", event.user_id)
        elif isinstance(event, RoomDeleted):
            for user_id in event.user_ids:
                self.drop_user_from_topic(f"room:{event.room_id}", user_id)

    def publish(self, topic: str, stream: str, event_name: str, args: list[Any]) -> None:
        targets = [
            li
            for li in self._by_topic.get(topic, {}).values()
            if li.stream == stream and li.event_name in (event_name, "__all__")
        ]
        if not targets:
            return
        frame = dumps(
            {
                "msg": "changed",
                "collection": stream,
                "id": "id",
                "fields": {"eventName": event_name, "args": args},
            }
        )
        for listener in targets:
            listener.connection.send_frame(frame)
