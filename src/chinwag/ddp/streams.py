"""Rocket.Chat's streams: who listens to what, and committed events turned into stream frames.

Each event becomes one serialized frame per (stream, eventName), and the same string goes
to every connection listening for it.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable, KeysView
from dataclasses import dataclass
from typing import Any

from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection, text_frame
from chinwag.ddp.ejson import dumps
from chinwag.events.types import (
    Event,
    RoomDeleted,
    UserJoinedRoom,
    UserLeftRoom,
    UserRemovedFromRoom,
)

# How a stream frame for `event` is built: (topic, stream, eventName, args) tuples. A renderer
# gets the hub to skip work nobody in this process would hear.
Frames = list[tuple[str, str, str, list[Any]]]
Renderer = Callable[["StreamHub", Event], Awaitable[Frames]]

# The pseudo-stream of a logged-in user's own document in Meteor's `users` collection:
# a frame for it carries the user id as eventName and the changed fields as args[0].
OWN_USER = "users"
OWN_USER_SUB = "\x00users"  # the sub id it is filed under; no client can unsubscribe it
MY_MESSAGES = "__my_messages__"  # stream-room-messages of every room the user belongs to
PRESENCE = "stream-user-presence"


@dataclass(frozen=True, slots=True)
class Listener:
    connection: Connection
    sub_id: str
    stream: str
    event_name: str


def _frame(stream: str, event_name: str, args: list[Any]) -> str:
    if stream == OWN_USER:
        body = {"msg": "changed", "collection": "users", "id": event_name, "fields": args[0]}
    elif stream == PRESENCE:  # Rocket.Chat files presence under the user's id
        fields = {"uid": event_name, "args": args, "eventName": event_name}
        body = {"msg": "changed", "collection": stream, "id": event_name, "fields": fields}
    else:
        fields = {"eventName": event_name, "args": args}
        body = {"msg": "changed", "collection": stream, "id": "id", "fields": fields}
    return dumps(body)


def _framed(stream: str, event_name: str, args: list[Any]) -> tuple[str, bytes]:
    text = _frame(stream, event_name, args)
    return text, text_frame(text)


class StreamHub:
    """This process's map of topics to the connections subscribed to them."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._by_topic: dict[str, dict[tuple[str, str], Listener]] = defaultdict(dict)
        self._topics_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._subs_of: dict[str, set[str]] = defaultdict(set)  # connection id -> sub ids
        self._mine: dict[str, dict[tuple[str, str], Listener]] = defaultdict(dict)  # by user
        self._mine_user: dict[tuple[str, str], str] = {}
        self._wanted: dict[tuple[str, str], int] = {}  # (topic, eventName) -> listeners
        self._users_for: dict[str, dict[str, int]] = {}  # kind -> user id -> listeners
        self._renderers: dict[type[Event], Renderer] = {}
        self.connections: dict[str, Connection] = {}

    def renders(self, event_type: type[Event], renderer: Renderer) -> None:
        self._renderers[event_type] = renderer

    def add(self, topic: str, listener: Listener) -> None:
        key = (listener.connection.id, listener.sub_id)
        listeners = self._by_topic[topic]
        if key not in listeners:
            self._count_wanted(topic, listener.event_name, +1)
        listeners[key] = listener
        self._topics_of[key].add(topic)
        self._subs_of[listener.connection.id].add(listener.sub_id)

    def _count_wanted(self, topic: str, event_name: str, step: int) -> None:
        """Keep count of who listens for what, so renderers can skip unheard work cheaply."""
        wanted = (topic, event_name)
        count = self._wanted.get(wanted, 0) + step
        if count > 0:
            self._wanted[wanted] = count
        else:
            self._wanted.pop(wanted, None)
        if topic.startswith("user:") and "/" in event_name:
            uid, kind = event_name.split("/", 1)
            users = self._users_for.setdefault(kind, {})
            count = users.get(uid, 0) + step
            if count > 0:
                users[uid] = count
            else:
                users.pop(uid, None)

    def open(self, connection: Connection, sub_id: str) -> None:
        """File a subscription that may listen on no topic yet."""
        self._topics_of[(connection.id, sub_id)]
        self._subs_of[connection.id].add(sub_id)

    def detach(self, connection: Connection, sub_id: str, topic: str) -> None:
        """One subscription stops listening on one topic, and stays."""
        key = (connection.id, sub_id)
        if key in self._topics_of:
            self._topics_of[key].discard(topic)
            self._detach(topic, key)

    def add_my_messages(self, listener: Listener, user_id: str, room_ids: list[str]) -> None:
        """`__my_messages__`: the rooms the user is in now, and any they join while it lasts."""
        key = (listener.connection.id, listener.sub_id)
        self._mine[user_id][key] = listener
        self._mine_user[key] = user_id
        self.open(listener.connection, listener.sub_id)
        for room_id in room_ids:
            self.add(f"room:{room_id}", listener)

    def remove(self, connection: Connection, sub_id: str) -> None:
        key = (connection.id, sub_id)
        for topic in self._topics_of.pop(key, ()):
            self._detach(topic, key)
        subs = self._subs_of.get(connection.id)
        if subs is not None:
            subs.discard(sub_id)
            if not subs:
                del self._subs_of[connection.id]
        user_id = self._mine_user.pop(key, None)
        if user_id is not None:
            mine = self._mine[user_id]
            mine.pop(key, None)
            if not mine:
                del self._mine[user_id]

    def _detach(self, topic: str, key: tuple[str, str]) -> None:
        listeners = self._by_topic.get(topic)
        if listeners is not None:
            gone = listeners.pop(key, None)
            if gone is not None:
                self._count_wanted(topic, gone.event_name, -1)
            if not listeners:
                del self._by_topic[topic]

    def has(self, connection: Connection, sub_id: str) -> bool:
        return (connection.id, sub_id) in self._topics_of

    def drop_connection(self, connection: Connection) -> None:
        for sub_id in list(self._subs_of.get(connection.id, ())):
            self.remove(connection, sub_id)
        self.connections.pop(connection.id, None)

    def stop_all(self, connection: Connection) -> None:
        """Logging out ends every subscription the socket had (`nosub` for each)."""
        for sub_id in list(self._subs_of.get(connection.id, ())):
            if sub_id != OWN_USER_SUB:
                connection.session.nosub(sub_id)
            self.remove(connection, sub_id)

    def drop_user_from_topic(self, topic: str, user_id: str) -> None:
        """A member left or was removed: their sockets stop hearing the room at once. A room
        subscription ends (`nosub`); a `__my_messages__` one just stops covering the room."""
        for key, listener in list(self._by_topic.get(topic, {}).items()):
            user = listener.connection.user
            if user is None or user.id != user_id:
                continue
            if listener.event_name == MY_MESSAGES:
                self.detach(listener.connection, listener.sub_id, topic)
                continue
            listener.connection.session.nosub(listener.sub_id)
            listener.connection.flush()
            self.remove(listener.connection, key[1])

    def listeners(self, topic: str) -> list[Listener]:
        return list(self._by_topic.get(topic, {}).values())

    def connections_of(self, user_id: str) -> list[Connection]:
        """This process's sockets logged in as the user."""
        return [c for c in self.connections.values() if c.user is not None and c.user.id == user_id]

    def send_to(
        self, connection: Connection, topic: str, stream: str, event_name: str, args: list[Any]
    ) -> None:
        """One socket's share of a publish: a frame if it listens for it on the topic."""
        for listener in self._by_topic.get(topic, {}).values():
            if (
                listener.connection is connection
                and listener.stream == stream
                and listener.event_name in (event_name, "__all__")
            ):
                connection.send_frame(_frame(stream, event_name, args))
                return

    def listening(self, topic: str) -> bool:
        return topic in self._by_topic

    def wants(self, topic: str, event_name: str) -> bool:
        """Whether a socket here listens for this event on this topic."""
        return (topic, event_name) in self._wanted or (topic, "__all__") in self._wanted

    def users_listening_for(self, kind: str) -> KeysView[str]:
        """Ids of the users with a socket here subscribed to `<uid>/<kind>` (e.g.
        "notification"), kept up to date as subscriptions come and go."""
        return self._users_for.get(kind, {}).keys()

    async def on_event(self, event: Event) -> None:
        self._revoke(event)
        renderer = self._renderers.get(type(event))
        if renderer is None:
            return
        for topic, stream, event_name, args in await renderer(self, event):
            self.publish(topic, stream, event_name, args)

    def _revoke(self, event: Event) -> None:
        """Whoever lost a room stops hearing it before anything else is sent; whoever joined
        one starts hearing it on their `__my_messages__` subscriptions."""
        if isinstance(event, UserLeftRoom | UserRemovedFromRoom):
            self.drop_user_from_topic(f"room:{event.room_id}", event.user_id)
        elif isinstance(event, RoomDeleted):
            for user_id in event.user_ids:
                self.drop_user_from_topic(f"room:{event.room_id}", user_id)
        elif isinstance(event, UserJoinedRoom):
            for listener in list(self._mine.get(event.user_id, {}).values()):
                self.add(f"room:{event.room_id}", listener)

    def publish(
        self,
        topic: str,
        stream: str,
        event_name: str,
        args: list[Any],
        only_user: str | None = None,
    ) -> None:
        """Send a frame to every socket listening for it on `topic` (or only `only_user`'s)."""
        listeners = self._by_topic.get(topic)
        if not listeners:
            return
        frame = mine = None  # each (text, WebSocket frame) made once, for every socket
        for listener in list(listeners.values()):
            if only_user is not None and (
                listener.connection.user is None or listener.connection.user.id != only_user
            ):
                continue
            if listener.stream != stream:
                continue
            if listener.event_name == event_name or listener.event_name == "__all__":
                frame = frame or _framed(stream, event_name, args)
                listener.connection.send_frame(*frame)
            elif listener.event_name == MY_MESSAGES:
                mine = mine or _framed(stream, MY_MESSAGES, args)
                listener.connection.send_frame(*mine)
