"""statistics, statistics.list, directory and spotlight."""

from dataclasses import fields
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from chinwag.actions.directory import DirectoryQuery, directory, spotlight
from chinwag.actions.statistics import HostInfo, Statistics, get_statistics, list_statistics
from chinwag.domain.errors import InvalidParams
from chinwag.domain.models import Room, User
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing
from chinwag.http.v1 import V1
from chinwag.serialize import base as serialize

router = APIRouter(prefix=V1, tags=["misc"])


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return serialize.iso(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _host(host: HostInfo) -> dict[str, Any]:
    body = {_camel(f.name): _plain(getattr(host, f.name)) for f in fields(host)}
    body["cpus"] = [{"model": model} for model in host.cpus]
    return body


def statistics(stats: Statistics) -> dict[str, Any]:
    """A snapshot in Rocket.Chat's IStats names (the part of it Chinwag can count)."""
    body: dict[str, Any] = {"_id": stats.id, "wizard": {}}
    for f in fields(stats):
        if f.name not in ("id", "os", "process"):
            body[_camel(f.name)] = _plain(getattr(stats, f.name))
    body["os"] = _host(stats.os)
    body["process"] = {
        _camel(f.name): getattr(stats.process, f.name) for f in fields(stats.process)
    }
    return body


def directory_user(user: User, with_emails: bool) -> dict[str, Any]:
    body = {
        "_id": user.id,
        "username": user.username,
        "name": user.name,
        "nickname": user.nickname,
        "bio": user.bio,
        "createdAt": serialize.iso(user.created_at),
        "avatarETag": user.avatar_etag,
        "emails": serialize.emails(user) if with_emails else None,
    }
    return serialize.drop_none(body)


def directory_channel(room: Room) -> dict[str, Any]:
    body = {
        "_id": room.id,
        "t": room.type.value,
        "name": room.name,
        "fname": room.fname,
        "ts": serialize.iso(room.created_at),
        "usersCount": room.users_count,
        "topic": room.topic,
        "description": room.description,
        "default": room.is_default or None,
        "archived": room.archived or None,
        "prid": room.parent_id,
    }
    return serialize.drop_none(body)


def spotlight_user(user: User) -> dict[str, Any]:
    body = {
        "_id": user.id,
        "username": user.username,
        "name": user.name,
        "nickname": user.nickname,
        "status": user.status.value,
        "statusText": user.status_text or None,
        "avatarETag": user.avatar_etag,
    }
    return serialize.drop_none(body)


def spotlight_room(room: Room) -> dict[str, Any]:
    body = {
        "_id": room.id,
        "t": room.type.value,
        "name": room.name,
        "fname": room.fname,
        "prid": room.parent_id,
        "joinCodeRequired": bool(room.join_code) or None,
    }
    return serialize.drop_none(body)


@router.get("/statistics", summary="Workspace statistics (permission view-statistics)")
async def statistics_(caller: CallerDep, refresh: str = Query("false")) -> Response:
    stats = await get_statistics(caller.deps, caller.user, refresh.lower() == "true")
    return ok(**statistics(stats))


@router.get("/statistics.list", summary="Stored statistics snapshots, newest first")
async def statistics_list(caller: CallerDep, page: PageDep) -> Response:
    snapshots, total = await list_statistics(caller.deps, caller.user, page.offset, page.count)
    return ok(**listing("statistics", [statistics(s) for s in snapshots], page, total))


def _directory_query(raw: dict[str, Any]) -> DirectoryQuery:
    values = {key: raw.get(key) for key in ("text", "type", "workspace")}
    if any(v is not None and not isinstance(v, str) for v in values.values()):
        raise InvalidParams("Please verify the parameters")
    return DirectoryQuery(**{k: v for k, v in values.items() if v is not None})


@router.get("/directory", summary="Users or public channels, searchable and paged")
async def directory_(caller: CallerDep, page: PageDep) -> Response:
    query = _directory_query(page.query)
    found = await directory(caller.deps, caller.user, query, page.sort, page.offset, page.count)
    if query.type == "users":
        items = [directory_user(u, found.with_emails) for u in found.users]
    else:
        items = [directory_channel(r) for r in found.rooms]
    return ok(**listing("result", items, page, found.total))


@router.get("/spotlight", summary="Quick search for users (@) and rooms (#)")
async def spotlight_(caller: CallerDep, query: str = Query("")) -> Response:
    found = await spotlight(caller.deps, caller.user, query)
    return ok(
        users=[spotlight_user(u) for u in found.users],
        rooms=[spotlight_room(r) for r in found.rooms],
    )
