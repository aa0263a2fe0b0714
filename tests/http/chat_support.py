"""Shared steps of the chat.* tests: posting, calling an endpoint, a clock that can jump."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from chinwag.actions.deps import Clock, Deps
from tests.conftest import Persona

API = "/api/v1"


async def post(
    client: httpx.AsyncClient, who: Persona, room_id: str, text: str, **extra: object
) -> dict[str, Any]:
    """Post through chat.postMessage; the message as returned."""
    body = {"roomId": room_id, "text": text, **extra}
    r = await client.post(f"{API}/chat.postMessage", json=body, headers=who.headers)
    assert r.status_code == 200, r.text
    message: dict[str, Any] = r.json()["message"]
    return message


async def call(
    client: httpx.AsyncClient, who: Persona, endpoint: str, **params: object
) -> httpx.Response:
    """POST a JSON body to a chat.* write, or GET with a query string for a read."""
    if endpoint in READS:
        query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
        return await client.get(f"{API}/{endpoint}", params=query, headers=who.headers)
    return await client.post(f"{API}/{endpoint}", json=params, headers=who.headers)


async def ok(
    client: httpx.AsyncClient, who: Persona, endpoint: str, **params: object
) -> dict[str, Any]:
    r = await call(client, who, endpoint, **params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["success"] is True
    return body


async def fetch(client: httpx.AsyncClient, who: Persona, message_id: str) -> dict[str, Any]:
    message: dict[str, Any] = (await ok(client, who, "chat.getMessage", msgId=message_id))[
        "message"
    ]
    return message


READS = {
    "chat.getMessage",
    "chat.search",
    "chat.getPinnedMessages",
    "chat.getStarredMessages",
    "chat.getMentionedMessages",
    "chat.getThreadsList",
    "chat.getThreadMessages",
    "chat.syncThreadsList",
    "chat.syncThreadMessages",
    "chat.syncMessages",
    "chat.getDeletedMessages",
    "chat.getMessageReadReceipts",
    "chat.ignoreUser",
}


@dataclass
class ShiftedClock(Clock):
    """The real clock moved forward by `ahead`: messages written now look old."""

    ahead: timedelta = timedelta(0)

    def now(self) -> datetime:
        return super().now() + self.ahead


def shift_clock(deps: Deps, ahead: timedelta) -> None:
    deps.clock = ShiftedClock(ahead)
