"""Subscribing to Rocket.Chat's streams: the read rule of each, and the topic it listens on."""

from typing import Any

from chinwag.actions.rooms import access_room_by_id
from chinwag.ddp.connection import Connection
from chinwag.ddp.protocol import MethodError, Subscribe
from chinwag.ddp.streams import MY_MESSAGES, PRESENCE, Listener, StreamHub
from chinwag.domain.errors import ChinwagError
from chinwag.domain.models import User

NOT_ALLOWED = MethodError("not-allowed", "Not allowed")
MAX_PRESENCE_IDS = 1000  # users one stream-user-presence call may add


async def subscribe(hub: StreamHub, connection: Connection, sub: Subscribe) -> None:
    """Answer `ready` and start listening, or `nosub` with the reason."""
    try:
        if sub.name == PRESENCE:
            _watch_presence(hub, connection, sub)
            return
        topic, event_name = await _topic_for(hub, connection, sub)
    except MethodError as error:
        connection.session.nosub(sub.id, error)
        return
    except ChinwagError:  # a room that is missing or private answers the same way
        connection.session.nosub(sub.id, NOT_ALLOWED)
        return
    listener = Listener(connection, sub.id, sub.name, event_name)
    if event_name == MY_MESSAGES:
        user = _signed_in(connection)
        async with hub.deps.reader() as uow:
            room_ids = await uow.rooms.list_room_ids_of(user.id)
        hub.add_my_messages(listener, user.id, room_ids)
    else:
        hub.add(topic, listener)
    connection.session.ready(sub.id)


def _signed_in(connection: Connection) -> User:
    if connection.user is None:
        raise NOT_ALLOWED
    return connection.user


async def _topic_for(hub: StreamHub, connection: Connection, sub: Subscribe) -> tuple[str, str]:
    event_name = _event_name(sub.params)
    if sub.name == "stream-notify-all":
        return "all", event_name
    user = _signed_in(connection)
    if sub.name == "stream-notify-logged":
        return "logged", event_name
    if sub.name == "stream-notify-user":
        if not event_name.startswith(f"{user.id}/"):
            raise NOT_ALLOWED
        return f"user:{user.id}", event_name
    if sub.name == "stream-room-messages" and event_name == MY_MESSAGES:
        return "", event_name
    if sub.name in ("stream-room-messages", "stream-notify-room"):
        rid = event_name.split("/", 1)[0]
        async with hub.deps.reader() as uow:
            await access_room_by_id(hub.deps, uow, user, rid)
        return f"room:{rid}", event_name
    raise MethodError("not-allowed", f"Unknown stream {sub.name}")


def _watch_presence(hub: StreamHub, connection: Connection, sub: Subscribe) -> None:
    """stream-user-presence, as Rocket.Chat runs it: `["", {added, removed}]` edits one set of
    watched users per socket; the first such subscription carries the frames, later ones only
    edit the set and end at once."""
    _signed_in(connection)
    options = sub.params[1] if len(sub.params) > 1 and isinstance(sub.params[1], dict) else {}
    added, removed = _ids(options.get("added")), _ids(options.get("removed"))
    main = connection.presence_sub
    if main is not None and not hub.has(connection, main):
        main = None  # the first one was unsubscribed
    sub_id = main or sub.id
    for uid in added[:MAX_PRESENCE_IDS]:
        hub.add(f"presence:{uid}", Listener(connection, sub_id, PRESENCE, uid))
    for uid in removed:
        hub.detach(connection, sub_id, f"presence:{uid}")
    if main is None:
        hub.open(connection, sub.id)
        connection.presence_sub = sub.id
        connection.session.ready(sub.id)
    else:
        connection.session.nosub(sub.id)


def _ids(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def _event_name(params: list[Any]) -> str:
    if not params or not isinstance(params[0], str) or not params[0]:
        raise MethodError("error-invalid-params", "A stream subscription needs an event name")
    return params[0]
