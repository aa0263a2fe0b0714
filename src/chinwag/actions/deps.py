"""What every action is handed: the database, the bus, the clock, the settings and grants."""

import asyncio
import builtins
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from chinwag.actions.auth_cache import AuthCache
from chinwag.actions.limits import Counters, MemoryCounters
from chinwag.domain.permissions import has_permission
from chinwag.domain.settings_registry import BY_ID, SETTINGS, SettingValue
from chinwag.events.bus import Bus
from chinwag.events.types import Event
from chinwag.settings import Config
from chinwag.storage.database import Database
from chinwag.storage.uow import UnitOfWork

P = ParamSpec("P")
T = TypeVar("T")


class Clock:
    def now(self) -> datetime:
        """UTC now, to the millisecond (what the database keeps)."""
        now = datetime.now(UTC)
        return now.replace(microsecond=now.microsecond // 1000 * 1000)


class SettingsCache:
    """Current workspace settings: registry defaults overlaid with stored values."""

    def __init__(self) -> None:
        self._values: dict[str, SettingValue] = {s.id: s.default for s in SETTINGS}
        self.updated_at: dict[str, datetime] = {}

    def load(self, stored: dict[str, tuple[Any, datetime]]) -> None:
        for setting_id, (value, at) in stored.items():
            if setting_id in BY_ID:
                self._values[setting_id] = value
                self.updated_at[setting_id] = at

    def get(self, setting_id: builtins.str) -> SettingValue:
        return self._values[setting_id]

    # Named after the type they return, so call sites read `settings.bool("Accounts_...")`.
    def bool(self, setting_id: builtins.str) -> builtins.bool:
        return builtins.bool(self._values[setting_id])

    def int(self, setting_id: builtins.str) -> builtins.int:
        return builtins.int(self._values[setting_id])

    def str(self, setting_id: builtins.str) -> builtins.str:
        return builtins.str(self._values[setting_id])

    def set(self, setting_id: builtins.str, value: SettingValue, at: datetime) -> None:
        self._values[setting_id] = value
        self.updated_at[setting_id] = at


@dataclass
class Grants:
    """Permission id → roles granted it; loaded at start, replaced on change."""

    by_permission: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def allows(self, permission: str, roles: Iterable[str]) -> bool:
        return has_permission(self.by_permission, permission, roles)


@dataclass
class Deps:
    config: Config
    db: Database
    bus: Bus
    clock: Clock = field(default_factory=Clock)
    settings: SettingsCache = field(default_factory=SettingsCache)
    grants: Grants = field(default_factory=Grants)
    auth_cache: AuthCache = field(default_factory=AuthCache)
    limits: Counters = field(default_factory=MemoryCounters)

    def __post_init__(self) -> None:
        # SQLite has one writer: queue writers here rather than spin on "database is locked".
        self._write_lock = asyncio.Lock() if self.db.is_sqlite else None

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[UnitOfWork]:
        """A read-write transaction; its events are published after it commits."""
        async with self._begin() as uow:
            yield uow
        await self.publish(uow.events)

    @asynccontextmanager
    async def _begin(self) -> AsyncIterator[UnitOfWork]:
        if self._write_lock is None:
            async with self.db.begin() as conn:
                yield UnitOfWork(conn)
            return
        async with self._write_lock, self.db.begin() as conn:
            yield UnitOfWork(conn)

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[UnitOfWork]:
        """A read-only view: never write through it (on PostgreSQL it has no transaction)."""
        async with self.db.read() as conn:
            yield UnitOfWork(conn)

    async def publish(self, events: Sequence[Event]) -> None:
        if events:
            await self.bus.publish(events)

    async def run_cpu(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """CPU-heavy work (bcrypt) off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)
