"""Rocket.Chat's REST rate limiter, as ASGI middleware: each /api/v1 route allows
API_Enable_Rate_Limiter_Limit_Calls_Default calls per address in a window of
API_Enable_Rate_Limiter_Limit_Time_Default ms (users.register: Rate_Limiter_Limit_RegisterUser),
says how many remain in X-RateLimit-* headers, and answers 429 past that. Callers holding
`api-bypass-rate-limit` are not counted. The DDP bridge (method.call) is left to the DDP limits.
"""

import time

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chinwag.actions.access import can
from chinwag.actions.auth import authenticate
from chinwag.actions.deps import Deps
from chinwag.actions.limits import Verdict, seconds, too_many
from chinwag.domain.errors import ChinwagError

API = "/api/v1/"
UNCOUNTED = ("/api/v1/method.call/", "/api/v1/method.callAnon/")
OWN_LIMITS = {"/api/v1/users.register": "Rate_Limiter_Limit_RegisterUser"}


class RateLimit:
    def __init__(self, app: ASGIApp, deps: Deps) -> None:
        self.app = app
        self.deps = deps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        verdict = await self._count(scope) if scope["type"] == "http" else None
        if verdict is None:
            await self.app(scope, receive, send)
            return
        headers = [
            (b"x-ratelimit-limit", str(verdict.limit).encode()),
            (b"x-ratelimit-remaining", str(verdict.remaining).encode()),
            (b"x-ratelimit-reset", str(int(time.time() * 1000) + verdict.reset_ms).encode()),
        ]
        if not verdict.allowed:
            await _refuse(send, headers, verdict)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _count(self, scope: Scope) -> Verdict | None:
        """Count the call, or None when the limiter does not apply to it."""
        path: str = scope["path"]
        settings = self.deps.settings
        if not path.startswith(API) or path.startswith(UNCOUNTED):
            return None
        if not settings.bool("API_Enable_Rate_Limiter"):
            return None
        limit = settings.int(OWN_LIMITS.get(path, "API_Enable_Rate_Limiter_Limit_Calls_Default"))
        window = settings.int("API_Enable_Rate_Limiter_Limit_Time_Default")
        if limit <= 0 or window <= 0 or await self._exempt(scope):
            return None
        client = scope.get("client")
        address = client[0] if client else "-"
        return await self.deps.limits.hit(f"api:{scope['method']}:{path}:{address}", limit, window)

    async def _exempt(self, scope: Scope) -> bool:
        """A signed-in caller with api-bypass-rate-limit (admins and bots, by default)."""
        headers = dict(scope.get("headers", ()))
        user_id, token = headers.get(b"x-user-id"), headers.get(b"x-auth-token")
        if not user_id or not token:
            return False
        try:
            user = await authenticate(self.deps, user_id.decode(), token.decode())
        except (ChinwagError, UnicodeDecodeError):
            return False
        return can(self.deps, user, "api-bypass-rate-limit")


async def _refuse(send: Send, headers: list[tuple[bytes, bytes]], verdict: Verdict) -> None:
    wait = seconds(verdict.reset_ms)
    body = orjson.dumps(
        {
            "success": False,
            "error": f"{too_many(wait)} [error-too-many-requests]",
            "errorType": "error-too-many-requests",
            "details": {"timeToReset": verdict.reset_ms, "seconds": wait},
        }
    )
    start_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(wait).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": 429, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})
