"""Workspace statistics: counted on demand, each snapshot kept so statistics.list can page them."""

import os
import platform
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from chinwag import ROCKETCHAT_API_VERSION
from chinwag.actions.access import require_permission
from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from chinwag.domain.ids import random_id
from chinwag.domain.models import User
from chinwag.storage.uow import UnitOfWork
from chinwag.storage.users import UserFilter

_STARTED = time.monotonic()
_DATES = ("installed_at", "last_login", "last_message_sent_at")


@dataclass(frozen=True)
class HostInfo:
    type: str = ""
    platform: str = ""
    arch: str = ""
    release: str = ""
    uptime: float = 0.0
    loadavg: tuple[float, ...] = ()
    totalmem: int = 0
    freemem: int = 0
    cpus: tuple[str, ...] = ()  # one model name per CPU


@dataclass(frozen=True)
class ProcessInfo:
    pid: int = 0
    uptime: float = 0.0
    python_version: str = ""


@dataclass(frozen=True)
class Statistics:
    """One snapshot. Fields default so snapshots stored by older versions still load."""

    id: str
    created_at: datetime
    unique_id: str = ""
    installed_at: datetime | None = None
    version: str = ""
    total_users: int = 0
    active_users: int = 0
    active_guests: int = 0
    non_active_users: int = 0
    app_users: int = 0
    online_users: int = 0
    away_users: int = 0
    busy_users: int = 0
    offline_users: int = 0
    total_connected_users: int = 0
    user_languages: dict[str, int] = field(default_factory=dict)
    total_rooms: int = 0
    total_channels: int = 0
    total_private_groups: int = 0
    total_direct: int = 0
    total_discussions: int = 0
    total_messages: int = 0
    total_channel_messages: int = 0
    total_private_group_messages: int = 0
    total_direct_messages: int = 0
    total_link_invitation: int = 0
    total_link_invitation_uses: int = 0
    last_login: datetime | None = None
    last_message_sent_at: datetime | None = None
    os: HostInfo = field(default_factory=HostInfo)
    process: ProcessInfo = field(default_factory=ProcessInfo)


async def get_statistics(deps: Deps, actor: User, refresh: bool) -> Statistics:
    """The latest snapshot, or a fresh one when asked to refresh or none exists yet."""
    require_permission(deps, actor, "view-statistics")
    if not refresh:
        async with deps.reader() as uow:
            rows, _ = await uow.config.list_statistics(0, 1)
        if rows:
            return _from_stored(*rows[0])
    async with deps.uow() as uow:
        stats = await _compute(deps, uow)
        await uow.config.insert_statistics(stats.id, stats.created_at, _to_stored(stats))
    return stats


async def list_statistics(
    deps: Deps, actor: User, offset: int, count: int | None
) -> tuple[list[Statistics], int]:
    """Stored snapshots, newest first."""
    require_permission(deps, actor, "view-statistics")
    async with deps.reader() as uow:
        rows, total = await uow.config.list_statistics(offset, count)
    return [_from_stored(*row) for row in rows], total


async def _user_counts(uow: UnitOfWork) -> dict[str, Any]:
    def count(**kw: Any) -> UserFilter:
        return UserFilter(with_username=False, **kw)

    statuses = await uow.users.count_by_status()
    return {
        "total_users": await uow.users.count_users(count()),
        "active_users": await uow.users.count_users(count(active=True, types=("user", "bot"))),
        "active_guests": await uow.users.count_users(count(active=True, role="guest")),
        "non_active_users": await uow.users.count_users(count(active=False)),
        "app_users": await uow.users.count_users(count(types=("app",))),
        "online_users": statuses.get("online", 0),
        "away_users": statuses.get("away", 0),
        "busy_users": statuses.get("busy", 0),
        "offline_users": statuses.get("offline", 0),
        "total_connected_users": statuses.get("online", 0) + statuses.get("away", 0),
        "user_languages": await uow.users.count_by_language(),
        "last_login": await uow.users.find_last_login(),
    }


async def _room_counts(uow: UnitOfWork) -> dict[str, Any]:
    rooms = await uow.rooms.count_rooms_by_type()
    messages = await uow.rooms.count_messages_by_type()
    invites, uses = await uow.invites.invite_totals()
    return {
        "total_rooms": sum(rooms.values()),
        "total_channels": rooms.get("c", 0),
        "total_private_groups": rooms.get("p", 0),
        "total_direct": rooms.get("d", 0),
        "total_discussions": await uow.rooms.count_discussions(),
        "total_messages": sum(messages.values()),
        "total_channel_messages": messages.get("c", 0),
        "total_private_group_messages": messages.get("p", 0),
        "total_direct_messages": messages.get("d", 0),
        "last_message_sent_at": await uow.rooms.find_last_message_at(),
        "total_link_invitation": invites,
        "total_link_invitation_uses": uses,
    }


async def _compute(deps: Deps, uow: UnitOfWork) -> Statistics:
    previous, _ = await uow.config.list_statistics(0, 1)
    unique_id = str(previous[0][2].get("unique_id") or "") if previous else ""
    general = await uow.rooms.find_room(GENERAL_ID)
    return Statistics(
        id=random_id(),
        created_at=deps.clock.now(),
        unique_id=unique_id or random_id(),  # the first snapshot names the workspace for good
        installed_at=general.created_at if general else None,
        version=ROCKETCHAT_API_VERSION,
        os=_host(),
        process=ProcessInfo(
            pid=os.getpid(),
            uptime=round(time.monotonic() - _STARTED, 3),
            python_version=platform.python_version(),
        ),
        **await _user_counts(uow),
        **await _room_counts(uow),
    )


def _host() -> HostInfo:
    try:
        loadavg = tuple(round(x, 2) for x in os.getloadavg())
    except OSError:
        loadavg = ()
    boot = getattr(time, "CLOCK_BOOTTIME", None)
    return HostInfo(
        type=platform.system(),
        platform=sys.platform,
        arch=platform.machine(),
        release=platform.release(),
        uptime=round(time.clock_gettime(boot), 3) if boot is not None else 0.0,
        loadavg=loadavg,
        totalmem=_memory("SC_PHYS_PAGES"),
        freemem=_memory("SC_AVPHYS_PAGES"),
        cpus=_cpu_models(),
    )


def _memory(pages: str) -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf(pages)
    except (ValueError, OSError, AttributeError):
        return 0


def _cpu_models() -> tuple[str, ...]:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        lines = []
    models = tuple(ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name"))
    return models or tuple(platform.processor() or "unknown" for _ in range(os.cpu_count() or 1))


def _to_stored(stats: Statistics) -> dict[str, Any]:
    """JSON for the statistics table: dates as epoch milliseconds; id and time are columns."""
    data = asdict(stats)
    del data["id"], data["created_at"]
    for name in _DATES:
        value = data[name]
        data[name] = int(value.timestamp() * 1000) if value is not None else None
    return data


def _from_stored(snapshot_id: str, created_at: datetime, data: Mapping[str, Any]) -> Statistics:
    known = {k: v for k, v in data.items() if k in Statistics.__dataclass_fields__}
    for name in _DATES:
        if known.get(name) is not None:
            known[name] = datetime.fromtimestamp(known[name] / 1000, tz=UTC)
    known["os"] = _rebuild(HostInfo, known.get("os"))
    known["process"] = _rebuild(ProcessInfo, known.get("process"))
    for name in ("id", "created_at"):
        known.pop(name, None)
    return Statistics(id=snapshot_id, created_at=created_at, **known)


Info = TypeVar("Info", HostInfo, ProcessInfo)


def _rebuild(cls: type[Info], value: object) -> Info:
    if not isinstance(value, Mapping):
        return cls()
    kwargs = {k: v for k, v in value.items() if k in cls.__dataclass_fields__}
    for name in ("loadavg", "cpus"):
        if isinstance(kwargs.get(name), list):
            kwargs[name] = tuple(kwargs[name])
    return cls(**kwargs)
