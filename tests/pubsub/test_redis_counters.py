import asyncio

from redis.asyncio import Redis

from chinwag.pubsub.redis_counters import RedisCounters


async def test_hits_count_to_the_limit_then_refuse(redis: Redis, prefix: str) -> None:
    counters = RedisCounters(redis, prefix)
    verdicts = [await counters.hit("k", limit=2, window_ms=60_000) for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert [v.remaining for v in verdicts] == [1, 0, 0]
    assert 0 < verdicts[-1].reset_ms <= 60_000
    assert await counters.count("k") == 3


async def test_processes_share_one_count(redis: Redis, prefix: str) -> None:
    one, two = RedisCounters(redis, prefix), RedisCounters(redis, prefix)
    await one.hit("login-fail-user:u1", limit=2, window_ms=60_000)
    await two.hit("login-fail-user:u1", limit=2, window_ms=60_000)
    assert (await one.hit("login-fail-user:u1", limit=2, window_ms=60_000)).allowed is False
    await two.clear("login-fail-user:u1")
    assert await one.count("login-fail-user:u1") == 0


async def test_a_window_closes(redis: Redis, prefix: str) -> None:
    counters = RedisCounters(redis, prefix)
    await counters.hit("k", limit=1, window_ms=100)
    assert (await counters.hit("k", limit=1, window_ms=100)).allowed is False
    await asyncio.sleep(0.2)
    assert await counters.count("k") == 0
    assert (await counters.hit("k", limit=1, window_ms=100)).allowed is True
