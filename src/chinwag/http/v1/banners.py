"""banners, banners/:id, banners.getNew, banners.dismiss: Chinwag's security notices, shown to
administrators as Rocket.Chat banners (UiKit banner views)."""

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from chinwag.actions.notices import Notice, notices_for
from chinwag.http.auth import CallerDep
from chinwag.http.envelope import ok
from chinwag.http.v1 import V1
from chinwag.serialize.base import iso

router = APIRouter(prefix=V1, tags=["banners"])

Platform = Literal["web", "mobile"]
# Notices have no dates of their own: they hold while the settings that raise them do.
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
UNTIL = datetime(2100, 1, 1, tzinfo=UTC)


def banner(notice: Notice) -> dict[str, Any]:
    """A notice as Rocket.Chat's IBanner with a UiKit banner view."""
    return {
        "_id": notice.id,
        "platform": ["web", "mobile"],
        "startAt": iso(SINCE),
        "expireAt": iso(UNTIL),
        "createdAt": iso(SINCE),
        "_updatedAt": iso(SINCE),
        "roles": ["admin"],
        "createdBy": {"_id": "rocket.cat", "username": "rocket.cat"},
        "active": True,
        "surface": "banner",
        "view": {
            "viewId": notice.id,
            "appId": "banner-core",
            "variant": "warning",
            "icon": "warning",
            "title": notice.title,
            "inline": False,
            "blocks": [
                {
                    "type": "section",
                    "blockId": f"{notice.id}-text",
                    "text": {"type": "plain_text", "text": notice.text, "emoji": False},
                }
            ],
        },
    }


@router.get("/banners", summary="Banners for the caller (administrators: security notices)")
async def banners(caller: CallerDep, platform: Platform = Query()) -> Response:
    return ok(banners=[banner(n) for n in notices_for(caller.deps, caller.user)])


@router.get("/banners.getNew", summary="Banners for the caller (deprecated form)")
async def banners_get_new(
    caller: CallerDep, platform: Platform = Query(), bid: str | None = Query(None)
) -> Response:
    found = [n for n in notices_for(caller.deps, caller.user) if bid in (None, n.id)]
    return ok(banners=[banner(n) for n in found])


@router.get("/banners/{banner_id}", summary="One banner, if it is for the caller")
async def banners_one(caller: CallerDep, banner_id: str, platform: Platform = Query()) -> Response:
    found = [n for n in notices_for(caller.deps, caller.user) if n.id == banner_id]
    return ok(banners=[banner(n) for n in found])


class DismissBody(BaseModel):
    bannerId: str = Field(min_length=1, max_length=200)


@router.post(
    "/banners.dismiss",
    summary="Dismiss a banner (a security notice stays while its cause does)",
)
async def banners_dismiss(body: DismissBody, caller: CallerDep) -> Response:
    return ok()
