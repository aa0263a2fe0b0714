"""POST /api/v1/method.call/:method and method.callAnon/:method: DDP methods over HTTP.

Rocket.Chat's web and load-test clients send most methods this way: the body carries the
DDP `method` message as an EJSON string, the answer is the `result` message as one, HTTP 200
even when the method failed.
"""

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from chinwag.actions.auth import authenticate
from chinwag.actions.deps import Deps
from chinwag.ddp.connection import Connection
from chinwag.ddp.ejson import dumps
from chinwag.ddp.protocol import DdpSession, MethodCall
from chinwag.ddp.rate_limits import check_ddp_limits
from chinwag.ddp.server import run_method
from chinwag.domain.errors import ChinwagError, InvalidParams, Unauthorized
from chinwag.domain.ids import random_id
from chinwag.http.auth import presented_credentials
from chinwag.http.envelope import JSON, error_body, ok


async def _call_from(request: Request, name: str) -> MethodCall:
    try:
        body = orjson.loads(await request.body())
        inner = body.get("message") if isinstance(body, dict) else None
        message = orjson.loads(inner) if isinstance(inner, str) else None
    except orjson.JSONDecodeError:
        raise InvalidParams("The body must be {message: <EJSON method message>}") from None
    if not isinstance(message, dict) or not isinstance(message.get("params", []), list):
        raise InvalidParams("The body must be {message: <EJSON method message>}")
    session = DdpSession(session_id="rest")
    session.connected = True
    payload = {**message, "msg": "method", "method": name, "id": str(message.get("id", "1"))}
    calls = [r for r in session.receive(dumps(payload)) if isinstance(r, MethodCall)]
    if not calls:
        raise InvalidParams("The body must be {message: <EJSON method message>}")
    return calls[0]


async def _answer(deps: Deps, request: Request, name: str, anonymous: bool) -> Response:
    call = await _call_from(request, name)
    connection = Connection(
        id=random_id(),
        session=DdpSession(session_id="rest", connected=True),
        client_ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        two_factor_headers=(request.headers.get("x-2fa-code"), request.headers.get("x-2fa-method")),
    )
    credentials = presented_credentials(request)
    if credentials is not None:
        connection.user = await authenticate(deps, *credentials)
        connection.token = credentials[1]
    elif not anonymous:
        raise Unauthorized()
    refused = await check_ddp_limits(deps, connection, call.method, socket=False)
    if refused is not None:
        connection.session.result(call.id, error=refused)
    else:
        await run_method(deps, connection, call)
    answers: list[dict[str, Any]] = [
        m for m in connection.session.outgoing() if m["msg"] == "result"
    ]
    return ok(message=dumps(answers[0]))


def bridge(deps: Deps, anonymous: bool) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            return await _answer(deps, request, request.path_params["method"], anonymous)
        except ChinwagError as exc:
            return JSON(error_body(exc), status_code=exc.status)

    return endpoint
