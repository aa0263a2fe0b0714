"""The events message actions emit, after commit."""

from chinwag.actions.deps import Deps
from chinwag.actions.messages import NewMessage, send_message
from chinwag.events.types import MessageSent, MessageUpdated
from chinwag.pubsub.memory import MemoryBus
from tests.conftest import Persona
from tests.conftest_helpers import make_room, user_named


async def test_a_thread_reply_also_updates_the_thread_first_message(
    deps: Deps, alice: Persona
) -> None:
    """Clients showing the first message learn its new reply count from the room's stream."""
    assert isinstance(deps.bus, MemoryBus)
    team = await make_room(deps, "team", alice)
    author = await user_named(deps, "alice")
    root = await send_message(deps, author, NewMessage(room_id=team.id, text="a question"))
    with deps.bus.capture() as published:
        reply = await send_message(
            deps, author, NewMessage(room_id=team.id, text="an answer", thread_id=root.id)
        )
    assert published == [
        MessageSent(room_id=team.id, message_id=reply.id, thread_id=root.id),
        MessageUpdated(room_id=team.id, message_id=root.id),
    ]


async def test_a_message_outside_threads_updates_nothing_else(deps: Deps, alice: Persona) -> None:
    assert isinstance(deps.bus, MemoryBus)
    team = await make_room(deps, "team", alice)
    author = await user_named(deps, "alice")
    with deps.bus.capture() as published:
        sent = await send_message(deps, author, NewMessage(room_id=team.id, text="hello"))
    assert published == [MessageSent(room_id=team.id, message_id=sent.id)]
