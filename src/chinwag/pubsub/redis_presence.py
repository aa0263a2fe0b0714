"""Presence pooled across processes in Redis, with heartbeats that expire.

`<prefix>presence:<uid>` is a hash of process id → that process's state for the user
("online" / "away"); `<prefix>users-of:<pid>` the users a process has reported; the sorted
set `<prefix>processes` each live process's last heartbeat. A process that stops beating
for `expiry` seconds is reaped by whichever other process notices first: its users'
states are dropped and recomputed, so nobody stays online because a process died.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from chinwag.domain.ids import random_id
from chinwag.domain.models import Status

log = structlog.get_logger(__name__)

OnChange = Callable[[str, Status], Awaitable[None]]

# KEYS: presence hash, users-of set; ARGV: process id, state ("" = none here), user id.
_REPORT = """
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[3])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('SADD', KEYS[2], ARGV[3])
end
return redis.call('HVALS', KEYS[1])
"""


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def pooled(states: Sequence[bytes | str]) -> Status:
    texts = [_text(s) for s in states]
    if "online" in texts:
        return Status.ONLINE
    return Status.AWAY if texts else Status.OFFLINE


class RedisPresence:
    def __init__(self, redis: Redis, prefix: str, expiry: float) -> None:
        self.redis = redis
        self.prefix = prefix
        self.expiry = expiry
        self.process_id = random_id()
        self.on_change: OnChange | None = None  # told when reaping moves a user's state
        self._report = redis.register_script(_REPORT)
        self._task: asyncio.Task[None] | None = None

    def _key(self, kind: str, ident: str) -> str:
        return f"{self.prefix}{kind}:{ident}"

    async def report(self, user_id: str, state: Status) -> Status:
        value = "" if state == Status.OFFLINE else state.value
        keys = [self._key("presence", user_id), self._key("users-of", self.process_id)]
        try:
            states = await self._report(keys=keys, args=[self.process_id, value, user_id])
        except (RedisError, OSError) as exc:
            log.warning("presence not shared", reason=str(exc))
            return state  # this process's view is the best there is until Redis is back
        return pooled(states)

    async def start(self) -> None:
        await self.beat()
        self._task = asyncio.create_task(self._run(), name="presence-heartbeat")

    async def beat(self) -> None:
        """Say this process lives, and reap those that stopped saying so."""
        now = time.time()
        await self.redis.zadd(f"{self.prefix}processes", {self.process_id: now})
        dead = await self.redis.zrangebyscore(f"{self.prefix}processes", 0, now - self.expiry)
        for process_id in dead:
            await self._reap(_text(process_id))

    async def _reap(self, process_id: str) -> None:
        # ZREM answers 1 to one process only: the one that reaps.
        if not await self.redis.zrem(f"{self.prefix}processes", process_id):
            return
        users_key = self._key("users-of", process_id)
        user_ids = [_text(u) for u in await self.redis.smembers(users_key)]
        log.info("reaping presence of a silent process", process=process_id, users=len(user_ids))
        for user_id in user_ids:
            key = self._key("presence", user_id)
            await self.redis.hdel(key, process_id)
            state = pooled(await self.redis.hvals(key))
            if self.on_change is not None:
                await self.on_change(user_id, state)
        await self.redis.delete(users_key)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.expiry / 3)
            try:
                await self.beat()
            except (RedisError, OSError) as exc:
                log.warning("presence heartbeat failed", reason=str(exc))
            except Exception:
                log.exception("presence heartbeat failed")

    async def close(self) -> None:
        """Stop beating; with no user left here, leave the process list at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(RedisError, OSError):
            if not await self.redis.scard(self._key("users-of", self.process_id)):
                await self.redis.zrem(f"{self.prefix}processes", self.process_id)
