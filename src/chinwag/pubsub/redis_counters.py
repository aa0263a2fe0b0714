"""Rate-limit and failed-login counters in Redis, so limits hold across processes."""

from redis.asyncio import Redis

from chinwag.actions.limits import Verdict

# Count one hit; a key's first hit opens its window (Meteor's rule, as MemoryCounters does).
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


class RedisCounters:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}limit:"
        self._hit = redis.register_script(_HIT)

    async def hit(self, key: str, limit: int, window_ms: int) -> Verdict:
        count, ttl = await self._hit(keys=[self.prefix + key], args=[max(window_ms, 1)])
        count = int(count)
        return Verdict(count <= limit, limit, max(limit - count, 0), max(int(ttl), 0))

    async def count(self, key: str) -> int:
        value = await self.redis.get(self.prefix + key)
        return int(value) if value is not None else 0

    async def clear(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)
