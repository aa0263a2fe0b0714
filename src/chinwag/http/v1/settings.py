"""settings.*, settings/:_id, settings.oauth and service.configurations."""

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from chinwag.actions.settings import (
    get_setting,
    list_public_settings,
    list_settings,
    setting_filter,
    update_setting,
)
from chinwag.http.auth import CallerDep, DepsDep, TwoFactorDep, origin_of
from chinwag.http.envelope import ok
from chinwag.http.params import PageDep, listing
from chinwag.http.v1 import V1
from chinwag.serialize import config as shape

router = APIRouter(prefix=V1, tags=["settings"])


@router.get("/settings.public", summary="Public settings (no sign-in needed)")
async def settings_public(
    deps: DepsDep, page: PageDep, ids: str | None = Query(None, alias="_id")
) -> Response:
    flt = setting_filter(page.query, ids)
    views, total = await list_public_settings(deps, flt, page.offset, page.count, page.sort)
    items = [shape.project(shape.setting(v), page.fields, shape.SETTING_BASE) for v in views]
    return ok(**listing("settings", items, page, total))


@router.get("/settings", summary="Settings: all for administrators, public ones for others")
async def settings_list(caller: CallerDep, page: PageDep) -> Response:
    flt = setting_filter(page.query)
    views, total = await list_settings(
        caller.deps, caller.user, flt, page.offset, page.count, page.sort
    )
    items = [shape.project(shape.setting(v), page.fields) for v in views]
    return ok(**listing("settings", items, page, total))


@router.get("/settings.oauth", summary="Enabled OAuth login services")
async def settings_oauth() -> Response:
    return ok(services=[])


@router.get("/service.configurations", summary="OAuth service configurations")
async def service_configurations() -> Response:
    return ok(configurations=[])


@router.get("/settings/{setting_id}", summary="One setting (permission view-privileged-setting)")
async def settings_get(setting_id: str, caller: CallerDep) -> Response:
    view = await get_setting(caller.deps, caller.user, setting_id)
    return ok(_id=view.definition.id, value=view.value)


class SettingBody(BaseModel):
    value: Any


@router.post(
    "/settings/{setting_id}", summary="Change a setting (permission edit-privileged-setting)"
)
async def settings_update(
    setting_id: str,
    body: SettingBody,
    caller: CallerDep,
    two_factor: TwoFactorDep,
    request: Request,
) -> Response:
    origin = origin_of(request)
    await update_setting(caller.deps, caller.user, setting_id, body.value, two_factor, origin)
    return ok()
