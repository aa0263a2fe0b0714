"""The stream hub's bookkeeping, in process: one frame per event shared by every listener,
`__my_messages__` following membership, and nothing left behind by a closed socket."""

from datetime import UTC, datetime

from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection
from chinwag.ddp.protocol import DdpSession
from chinwag.ddp.streams import MY_MESSAGES, Listener, StreamHub
from chinwag.domain.models import User, UserType
from chinwag.events.types import UserJoinedRoom, UserRemovedFromRoom


def socket(name: str) -> Connection:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    user = User(
        id=f"id-{name}",
        username=name,
        name=name.title(),
        type=UserType.USER,
        active=True,
        roles=("user",),
        created_at=at,
        updated_at=at,
    )
    return Connection(id=f"c-{name}", session=DdpSession(session_id=name), user=user)


def frames(connection: Connection) -> list[str]:
    out = []
    while not connection.queue.empty():
        frame = connection.queue.get_nowait()
        assert frame is not None
        out.append(frame)
    return out


def room_listener(connection: Connection, sub_id: str, rid: str) -> Listener:
    return Listener(connection, sub_id, "stream-room-messages", rid)


async def test_one_frame_object_goes_to_every_listener(deps: Deps) -> None:
    hub, ann, ben = StreamHub(deps), socket("ann"), socket("ben")
    hub.add("room:R", room_listener(ann, "1", "R"))
    hub.add("room:R", room_listener(ben, "1", "R"))
    hub.publish("room:R", "stream-room-messages", "R", [{"_id": "m"}])
    (a,), (b,) = frames(ann), frames(ben)
    assert a is b and '"eventName":"R"' in a
    hub.publish("room:R", "stream-notify-room", "R/typing", ["ann", True])
    assert frames(ann) == []  # nobody listens on that stream


async def test_my_messages_follows_joins_and_removals(deps: Deps) -> None:
    hub, ann = StreamHub(deps), socket("ann")
    mine = Listener(ann, "9", "stream-room-messages", MY_MESSAGES)
    hub.add_my_messages(mine, "id-ann", ["A"])
    hub.publish("room:A", "stream-room-messages", "A", [{"_id": "m1"}])
    assert '"eventName":"__my_messages__"' in frames(ann)[0]
    await hub.on_event(UserJoinedRoom(room_id="B", user_id="id-ann"))
    hub.publish("room:B", "stream-room-messages", "B", [{"_id": "m2"}])
    assert len(frames(ann)) == 1
    await hub.on_event(UserRemovedFromRoom(room_id="B", user_id="id-ann", by="x"))
    hub.publish("room:B", "stream-room-messages", "B", [{"_id": "m3"}])
    assert frames(ann) == [] and ann.session.outgoing() == []  # no nosub: it still covers A
    assert hub.has(ann, "9")


async def test_a_closed_socket_leaves_nothing_behind(deps: Deps) -> None:
    hub, ann = StreamHub(deps), socket("ann")
    hub.connections[ann.id] = ann
    hub.add("room:R", room_listener(ann, "1", "R"))
    hub.add_my_messages(Listener(ann, "2", "stream-room-messages", MY_MESSAGES), "id-ann", [])
    hub.open(ann, "3")
    hub.add("presence:x", Listener(ann, "3", "stream-user-presence", "x"))
    hub.drop_connection(ann)
    assert hub.listeners("room:R") == [] and hub.listeners("presence:x") == []
    assert not hub._subs_of and not hub._topics_of and not hub._mine and not hub._mine_user
    assert not hub._by_topic and not hub.connections


async def test_logging_out_ends_every_subscription(deps: Deps) -> None:
    hub, ann = StreamHub(deps), socket("ann")
    hub.add("room:R", room_listener(ann, "1", "R"))
    hub.add("user:id-ann", Listener(ann, "2", "stream-notify-user", "id-ann/message"))
    hub.stop_all(ann)
    assert {m["id"] for m in ann.session.outgoing()} == {"1", "2"}
    assert hub.listeners("room:R") == []


async def test_the_hub_knows_who_listens_for_what(deps: Deps) -> None:
    hub, ann, ben = StreamHub(deps), socket("ann"), socket("ben")
    notices = "id-ann/notification"
    hub.add("user:id-ann", Listener(ann, "1", "stream-notify-user", notices))
    hub.add("user:id-ann", Listener(ann, "1", "stream-notify-user", notices))  # filed again
    hub.add("user:id-ben", Listener(ben, "1", "stream-notify-user", "id-ben/rooms-changed"))
    assert set(hub.users_listening_for("notification")) == {"id-ann"}
    assert hub.wants("user:id-ann", notices) and not hub.wants("user:id-ben", notices)
    hub.remove(ann, "1")
    assert not hub.users_listening_for("notification") and not hub.wants("user:id-ann", notices)
    hub.drop_connection(ben)
    assert not hub.users_listening_for("rooms-changed") and not hub._wanted
