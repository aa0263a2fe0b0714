"""One contract for every bus backend, and what the Redis bus adds: other processes hear."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from chinwag.events.bus import Bus
from chinwag.events.types import Event, MessageSent, UserTyping
from chinwag.pubsub.memory import MemoryBus
from chinwag.pubsub.redis import RedisBus
from tests.redis_support import RedisServer, free_port


@pytest.fixture(params=["memory", "redis"])
async def bus(request: pytest.FixtureRequest, redis_url: str, prefix: str) -> AsyncIterator[Bus]:
    made: Bus = (
        MemoryBus() if request.param == "memory" else RedisBus(Redis.from_url(redis_url), prefix)
    )
    await made.start()
    yield made
    await made.close()


async def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Poll: the bus under test gives no other signal that a remote event arrived."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def _heard(received: list[Event], count: int) -> None:
    await _until(lambda: len(received) >= count)


async def test_listeners_hear_published_events_in_order(bus: Bus) -> None:
    heard: list[Event] = []

    async def listener(event: Event) -> None:
        heard.append(event)

    bus.listen(listener)
    events = [MessageSent("r1", "m1", seq=1), UserTyping("r1", "ann", ("user-typing",))]
    await bus.publish(events)
    assert heard == events  # heard locally by the time publish returns


async def test_capture_records_what_was_published(bus: Bus) -> None:
    assert isinstance(bus, MemoryBus)
    with bus.capture() as published:
        await bus.publish([MessageSent("r1", "m1")])
    assert published == [MessageSent("r1", "m1")]


async def test_another_process_hears_once_and_the_publisher_once(
    redis_url: str, prefix: str
) -> None:
    one, two = (
        RedisBus(Redis.from_url(redis_url), prefix),
        RedisBus(Redis.from_url(redis_url), prefix),
    )
    heard_one: list[Event] = []
    heard_two: list[Event] = []

    async def on_one(event: Event) -> None:
        heard_one.append(event)

    async def on_two(event: Event) -> None:
        heard_two.append(event)

    one.listen(on_one)
    two.listen(on_two)
    await one.start()
    await two.start()
    try:
        sent = MessageSent("r1", "m1", seq=4)
        await one.publish([sent])
        await _heard(heard_two, 1)
        assert heard_two == [sent]
        assert heard_two[0].seq == 4  # type: ignore[attr-defined]
        await asyncio.sleep(0.1)
        assert heard_one == [sent]  # its own event is not heard a second time from Redis
    finally:
        await one.close()
        await two.close()


async def test_other_prefixes_are_other_workspaces(redis_url: str, prefix: str) -> None:
    one, other = (
        RedisBus(Redis.from_url(redis_url), prefix),
        RedisBus(Redis.from_url(redis_url), prefix + "other:"),
    )
    heard: list[Event] = []

    async def listener(event: Event) -> None:
        heard.append(event)

    other.listen(listener)
    await one.start()
    await other.start()
    try:
        await one.publish([MessageSent("r1", "m1")])
        await asyncio.sleep(0.2)
        assert heard == []
    finally:
        await one.close()
        await other.close()


async def test_a_redis_restart_defers_publishes_and_reports_the_gap(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    server.start()
    one = RedisBus(Redis.from_url(server.url), "t:", retry_delay=0.05)
    two = RedisBus(Redis.from_url(server.url), "t:", retry_delay=0.05)
    heard: list[Event] = []
    gaps: list[datetime] = []

    async def listener(event: Event) -> None:
        heard.append(event)

    async def on_gap(lost_at: datetime) -> None:
        gaps.append(lost_at)

    two.listen(listener)
    two.on_gap(on_gap)
    await one.start()
    await two.start()
    try:
        server.stop()
        await one.publish([MessageSent("r1", "while-down")])  # no error: it waits
        server.start()
        await _until(lambda: bool(gaps), within=10)
        await one.publish([MessageSent("r1", "after")])
        await _heard(heard, 2)
        assert [e.message_id for e in heard] == ["while-down", "after"]  # type: ignore[attr-defined]
        assert len(gaps) == 1
    finally:
        await one.close()
        await two.close()
        server.stop()


async def test_an_unreachable_redis_stops_the_start_with_a_clear_error() -> None:
    bus = RedisBus(Redis.from_url(f"redis://127.0.0.1:{free_port()}/0"), "t:", start_timeout=0.5)
    with pytest.raises(RuntimeError, match=r"could not subscribe to Redis within 0\.5 s"):
        await bus.start()
