"""Subscribing to Rocket.Chat's streams: the read rule of each, and the topic it listens on."""

from typing import Any

from chinwag.actions.rooms import access_room_by_id
from chinwag.ddp.connection import Connection
from chinwag.ddp.protocol import MethodError, Subscribe
from chinwag.ddp.streams import Listener, StreamHub
from chinwag.domain.errors import ChinwagError

NOT_ALLOWED = MethodError("not-allowed", "Not allowed")


async def subscribe(hub: StreamHub, connection: Connection, sub: Subscribe) -> None:
    """Answer `ready` and start listening, or `nosub` with the reason."""
    try:
        topic, event_name = await _topic_for(hub, connection, sub)
    except MethodError as error:
        connection.session.nosub(sub.id, error)
        return
    except ChinwagError:  # a room that is missing or private answers the same way
        connection.session.nosub(sub.id, NOT_ALLOWED)
        return
    hub.add(topic, Listener(connection, sub.id, sub.name, event_name))
    connection.session.ready(sub.id)


async def _topic_for(hub: StreamHub, connection: Connection, sub: Subscribe) -> tuple[str, str]:
    event_name = _event_name(sub.params)
    user = connection.user
    if sub.name == "stream-notify-all":
        return "all", event_name
    if user is None:
        raise NOT_ALLOWED
    if sub.name == "stream-notify-logged":
        return "logged", event_name
    if sub.name == "stream-notify-user":
        if not event_name.startswith(f"{user.id}/"):
            raise NOT_ALLOWED
        return f"user:{user.id}", event_name
    if sub.name in ("stream-room-messages", "stream-notify-room"):
        rid = event_name.split("/", 1)[0]
        if not rid or rid == "__my_messages__":
            raise MethodError("not-allowed", "__my_messages__ is not supported yet")
        async with hub.deps.reader() as uow:
            await access_room_by_id(hub.deps, uow, user, rid)
        return f"room:{rid}", event_name
    raise MethodError("not-allowed", f"Unknown stream {sub.name}")


def _event_name(params: list[Any]) -> str:
    if not params or not isinstance(params[0], str) or not params[0]:
        raise MethodError("error-invalid-params", "A stream subscription needs an event name")
    return params[0]
