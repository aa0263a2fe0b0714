"""The Redis bus: committed events reach every process through one pub/sub channel.

Redis is a doorbell, not the truth. Local listeners hear an event at once, as on the memory
bus; other processes hear it through the channel `<prefix>events`. A batch that cannot be
published waits (bounded) and goes out once Redis answers again; a process whose
subscription broke calls its gap hooks after resubscribing, so sessions catch up from the
database.
"""

import asyncio
import contextlib
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from chinwag.domain.ids import random_id
from chinwag.events.bus import GapHook
from chinwag.events.codec import CodecError, decode, encode
from chinwag.events.types import Event
from chinwag.pubsub.memory import MemoryBus

log = structlog.get_logger(__name__)

START_TIMEOUT = 10.0  # seconds to reach Redis at start before giving up
# Batches kept while Redis is away; past it the oldest are dropped (processes that lost Redis
# too still catch up from the database).
MAX_PENDING = 10_000


class RedisBus(MemoryBus):
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        retry_delay: float = 0.5,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        super().__init__()
        self.start_timeout = start_timeout
        self.redis = redis
        self.channel = f"{prefix}events"
        self.origin = random_id()
        self.retry_delay = retry_delay
        self.connected = asyncio.Event()
        self._gap_hooks: list[GapHook] = []
        self._pending: deque[bytes] = deque(maxlen=MAX_PENDING)
        self._task: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()

    def on_gap(self, hook: GapHook) -> None:
        self._gap_hooks.append(hook)

    async def start(self) -> None:
        """Subscribe before serving, so nothing published after start is missed."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="redis-bus")
        try:
            async with asyncio.timeout(self.start_timeout):
                await self.connected.wait()
        except TimeoutError:
            await self.close()
            raise RuntimeError(
                f"could not subscribe to Redis within {self.start_timeout:g} s: "
                "is CHINWAG_REDIS_URL right and Redis running?"
            ) from None

    async def publish(self, events: Sequence[Event]) -> None:
        await super().publish(events)
        self._pending.append(encode(events, self.origin))
        if not self.connected.is_set():
            return  # Redis is away: the subscriber flushes once it is back, no request waits
        try:
            await self._flush()
        except (RedisError, OSError) as exc:
            log.warning("event publish deferred", reason=str(exc), waiting=len(self._pending))

    async def _flush(self) -> None:
        """Publish what waits, in order; a batch leaves the queue once Redis took it."""
        async with self._flushing:
            while self._pending:
                await self.redis.publish(self.channel, self._pending[0])
                self._pending.popleft()

    async def _run(self) -> None:
        lost_at: datetime | None = None
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.connected.set()
                await self._flush()
                if lost_at is not None:
                    log.info("event bus reconnected; catching up")
                    await self._gap(lost_at)
                lost_at = None
                async for message in pubsub.listen():
                    await self._receive(message["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                if self.connected.is_set():
                    log.warning("event bus lost redis", reason=str(exc))
                    # The earliest loss counts: a retry that fails again changes nothing.
                    lost_at = lost_at or datetime.now(UTC)
                self.connected.clear()
                await asyncio.sleep(self.retry_delay)
            finally:
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _gap(self, lost_at: datetime) -> None:
        for hook in self._gap_hooks:
            try:
                await hook(lost_at)
            except Exception:
                log.exception("catch-up failed")

    async def _receive(self, payload: bytes) -> None:
        try:
            origin, events = decode(payload)
        except CodecError as exc:
            log.warning("event payload refused", reason=str(exc))
            return
        if origin == self.origin:
            return  # heard locally when published
        for event in events:
            for listener in self._listeners:
                try:
                    await listener(event)
                except Exception:
                    log.exception("listener failed", event=type(event).__name__)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await super().close()
        await self.redis.aclose()
