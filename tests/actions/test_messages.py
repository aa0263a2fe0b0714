"""The events message actions emit, after commit."""

import asyncio
from datetime import datetime

import pytest

from chinwag.actions.deps import Clock, Deps
from chinwag.actions.history import messages_around
from chinwag.actions.messages import NewMessage, send_message
from chinwag.events.types import MessageSent, MessageUpdated
from chinwag.pubsub.memory import MemoryBus
from tests.conftest import Persona
from tests.conftest_helpers import join_room, make_room, user_named


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


class StoppedClock(Clock):
    """Every message in the same millisecond."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def test_the_neighbours_of_a_message_keep_their_order_within_one_millisecond(
    deps: Deps, alice: Persona
) -> None:
    team = await make_room(deps, "team", alice)
    author = await user_named(deps, "alice")
    deps.clock = StoppedClock(Clock().now())
    sent = [
        await send_message(deps, author, NewMessage(room_id=team.id, text=f"m{i}"))
        for i in range(7)
    ]
    around = await messages_around(deps, author, sent[3].id, 5)
    assert [m.text for m in around.messages] == ["m5", "m4", "m3", "m2", "m1"]
    assert around.more_before and around.more_after


async def test_a_post_reads_its_message_back_where_the_database_cannot_return_rows(
    deps: Deps, alice: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite before 3.35 has no INSERT ... RETURNING: the message is read back instead."""
    team = await make_room(deps, "team", alice)
    author = await user_named(deps, "alice")
    returning = await send_message(deps, author, NewMessage(room_id=team.id, text="one"))
    async with deps.reader() as uow:
        monkeypatch.setattr(uow.conn.dialect, "insert_returning", False)
    read_back = await send_message(deps, author, NewMessage(room_id=team.id, text="two"))
    assert read_back.text == "two" and read_back.seq == (returning.seq or 0) + 1
    async with deps.reader() as uow:
        assert await uow.messages.find_message(read_back.id) == read_back
        assert await uow.messages.find_message(returning.id) == returning


async def test_posts_at_once_take_one_position_each_and_their_authors_read_to_their_own(
    deps: Deps, alice: Persona, bob: Persona
) -> None:
    """Concurrent posts into one room: positions 1..n with no gap or repeat, the room's
    counters and last message agree, and each author has read to their own latest post."""
    team = await make_room(deps, "team", alice)
    await join_room(deps, team, bob)
    authors = [await user_named(deps, "alice"), await user_named(deps, "bob")]
    sent = await asyncio.gather(
        *(
            send_message(deps, authors[i % 2], NewMessage(room_id=team.id, text=f"m{i}"))
            for i in range(24)
        )
    )
    assert sorted(m.seq or 0 for m in sent) == list(range(1, 25))
    async with deps.reader() as uow:
        room = await uow.rooms.find_room(team.id)
        read = [(await uow.rooms.find_subscription(team.id, a.id)) for a in authors]
        stored = [await uow.messages.find_message(m.id) for m in sent]
    assert stored == sent
    assert room is not None and room.seq == 24 and room.msgs == 24
    assert room.last_message_id == max(sent, key=lambda m: m.seq or 0).id
    for author, subscription in zip(authors, read, strict=True):
        assert subscription is not None
        assert subscription.read_seq == max(m.seq or 0 for m in sent if m.author.id == author.id)
