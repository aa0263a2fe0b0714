"""Rocket.Chat's response envelope: `success: true` with fields, or the error shape with a 4xx."""

from typing import Any

import orjson
import structlog
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from chinwag.domain.errors import ChinwagError

log = structlog.get_logger(__name__)


class JSON(Response):
    """orjson-encoded JSON; values are already serialized (dates as strings)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def ok(**fields: object) -> JSON:
    fields["success"] = True
    return JSON(fields)


def error_body(exc: ChinwagError) -> dict[str, object]:
    body: dict[str, object] = {"success": False, "error": str(exc), "errorType": exc.code}
    if exc.details:
        body["details"] = exc.details
    return body


async def chinwag_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChinwagError)
    return JSON(error_body(exc), status_code=exc.status)


def _describe(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        return "Invalid JSON body"
    where = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "header", "path")]
    field = ".".join(where)
    if error.get("type") == "missing":
        return f"The '{field}' param is required" if field else "A body is required"
    return f"{field}: {error.get('msg', 'is invalid')}" if field else str(error.get("msg"))


async def validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    messages = [_describe(e) for e in exc.errors()]
    body = {
        "success": False,
        "error": "; ".join(messages) or "Invalid params",
        "errorType": "invalid-params",
    }
    return JSON(body, status_code=400)


async def http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    text = "Resource not found" if exc.status_code == 404 else str(exc.detail)
    return JSON({"success": False, "error": text}, status_code=exc.status_code, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", path=request.url.path, exc_info=exc)
    return JSON({"success": False, "error": "Internal server error"}, status_code=500)
