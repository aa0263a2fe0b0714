import asyncio

from redis.asyncio import Redis

from chinwag.domain.models import Status
from chinwag.pubsub.redis_presence import RedisPresence


async def test_online_until_every_process_lets_go(redis: Redis, prefix: str) -> None:
    one, two = RedisPresence(redis, prefix, 30), RedisPresence(redis, prefix, 30)
    assert await one.report("u1", Status.ONLINE) == Status.ONLINE
    assert await two.report("u1", Status.AWAY) == Status.ONLINE
    assert await one.report("u1", Status.OFFLINE) == Status.AWAY
    assert await two.report("u1", Status.OFFLINE) == Status.OFFLINE


async def test_a_silent_process_is_reaped_and_its_users_recomputed(
    redis: Redis, prefix: str
) -> None:
    dead, alive = RedisPresence(redis, prefix, 0.3), RedisPresence(redis, prefix, 0.3)
    changes: list[tuple[str, Status]] = []

    async def on_change(user_id: str, state: Status) -> None:
        changes.append((user_id, state))

    alive.on_change = on_change
    await dead.beat()
    await alive.beat()
    await dead.report("u1", Status.ONLINE)
    await dead.report("u2", Status.ONLINE)
    await alive.report("u2", Status.AWAY)
    await asyncio.sleep(0.4)  # `dead` stops beating
    await alive.beat()
    assert sorted(changes) == [("u1", Status.OFFLINE), ("u2", Status.AWAY)]
    await alive.beat()
    assert len(changes) == 2  # reaped once
