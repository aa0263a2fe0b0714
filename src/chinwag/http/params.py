"""Query-string conventions: count/offset pagination, JSON `sort`, `query`, `fields`."""

from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request

from chinwag.domain.errors import ChinwagError, InvalidParams
from chinwag.http.auth import DepsDep

# Larger offsets and counts overflow the databases' 64-bit LIMIT/OFFSET (a 500, not an answer).
MAX_INT = 2**53 - 1


@dataclass(frozen=True)
class Page:
    offset: int
    count: int | None  # None: every row (count=0 with API_Allow_Infinite_Count)
    sort: dict[str, int]
    query: dict[str, Any]
    fields: dict[str, Any]


def _int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParams(f"The '{name}' param must be a whole number") from None
    if value < 0:
        raise InvalidParams(f"The '{name}' param must not be negative")
    if value > MAX_INT:
        raise InvalidParams(f"The '{name}' param is too large")
    return value


def _json_object(request: Request, name: str, code: str) -> dict[str, Any]:
    raw = request.query_params.get(name)
    if not raw:
        return {}
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ChinwagError(code, f"Invalid {name} parameter provided") from None
    if not isinstance(value, dict):
        raise ChinwagError(code, f"Invalid {name} parameter provided")
    return value


async def get_page(request: Request, deps: DepsDep) -> Page:
    settings = deps.settings
    count = _int(request, "count")
    if count is None:
        count = settings.int("API_Default_Count")
    elif count == 0 and settings.bool("API_Allow_Infinite_Count"):
        count = None
    if count is not None:
        count = min(count, settings.int("API_Upper_Count_Limit"))
    sort = _json_object(request, "sort", "error-invalid-sort")
    if any(v not in (1, -1) for v in sort.values()):
        raise ChinwagError("error-invalid-sort", "Invalid sort parameter provided")
    return Page(
        offset=_int(request, "offset") or 0,
        count=count,
        sort=sort,
        query=_json_object(request, "query", "error-invalid-query"),
        fields=_json_object(request, "fields", "error-invalid-fields"),
    )


PageDep = Annotated[Page, Depends(get_page)]


def listing(key: str, items: list[Any], page: Page, total: int) -> dict[str, Any]:
    """Rocket.Chat's list shape: the items, their count, the offset asked for, the total."""
    return {key: items, "count": len(items), "offset": page.offset, "total": total}
