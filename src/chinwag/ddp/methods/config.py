"""Workspace configuration methods: settings, permissions, license and asset lists, room lookups."""

from datetime import datetime
from typing import Any

from chinwag.actions.roles import list_permissions
from chinwag.actions.rooms import access_room_by_id
from chinwag.actions.settings import list_public_settings, setting_filter
from chinwag.ddp.ejson import date
from chinwag.ddp.methods import MethodContext, method, param
from chinwag.serialize.config import permission as serialize_permission
from chinwag.serialize.config import setting as serialize_setting


@method("public-settings/get")
async def public_settings(ctx: MethodContext, params: list[Any]) -> Any:
    since = param(params, 0, datetime, None)
    views, _ = await list_public_settings(ctx.deps, setting_filter({}), 0, None, {})
    items = []
    for view in views:
        if since is not None and (view.updated_at is None or view.updated_at <= since):
            continue
        body = serialize_setting(view)
        body["_updatedAt"] = date(view.updated_at)
        items.append({k: v for k, v in body.items() if v is not None})
    return {"update": items, "remove": []} if since is not None else items


@method("permissions/get")
async def permissions(ctx: MethodContext, params: list[Any]) -> Any:
    ctx.user  # noqa: B018  (signed-in callers only)
    since = param(params, 0, datetime, None)
    found = await list_permissions(ctx.deps, since)
    items = [serialize_permission(p, date) for p in found]
    return {"update": items, "remove": []} if since is not None else items


@method("license:getModules")
async def license_modules(ctx: MethodContext, params: list[Any]) -> list[str]:
    return []


@method("license:isEnterprise")
async def license_is_enterprise(ctx: MethodContext, params: list[Any]) -> bool:
    return False


@method("listCustomSounds")
async def list_custom_sounds(ctx: MethodContext, params: list[Any]) -> list[Any]:
    return []


@method("listEmojiCustom")
async def list_emoji_custom(ctx: MethodContext, params: list[Any]) -> list[Any]:
    return []


@method("getRoomIdByNameOrId")
async def room_id_by_name_or_id(ctx: MethodContext, params: list[Any]) -> str:
    ref = param(params, 0, str)
    async with ctx.deps.reader() as uow:
        room = await uow.rooms.find_room(ref) or await uow.rooms.find_room_by_name(ref)
        room = await access_room_by_id(ctx.deps, uow, ctx.user, room.id if room else ref)
    return room.id


@method("getRoomNameById")
async def room_name_by_id(ctx: MethodContext, params: list[Any]) -> str | None:
    rid = param(params, 0, str)
    async with ctx.deps.reader() as uow:
        room = await access_room_by_id(ctx.deps, uow, ctx.user, rid)
    return room.name
