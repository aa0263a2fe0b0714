"""A plain WebSocket DDP client and REST helpers for the tests against a live server."""

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import websockets


class DdpClient:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.counter = 0
        self.inbox: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def expect(self, match: Any, within: float = 5.0) -> dict[str, Any]:
        """The first message (already received or arriving) for which match(msg) is true."""
        for i, message in enumerate(self.inbox):
            if match(message):
                return self.inbox.pop(i)
        async with asyncio.timeout(within):
            while True:
                message = json.loads(await self.ws.recv())
                if message.get("msg") == "ping":
                    await self.send({"msg": "pong"})
                if match(message):
                    return message
                self.inbox.append(message)

    async def call(self, method: str, *params: Any) -> dict[str, Any]:
        self.counter += 1
        ident = str(self.counter)
        await self.send({"msg": "method", "id": ident, "method": method, "params": list(params)})
        return await self.expect(lambda m: m.get("msg") == "result" and m.get("id") == ident)

    async def sub(self, name: str, *params: Any) -> dict[str, Any]:
        self.counter += 1
        ident = str(self.counter)
        await self.send({"msg": "sub", "id": ident, "name": name, "params": list(params)})
        return await self.expect(
            lambda m: (
                (m.get("msg") == "ready" and ident in m.get("subs", []))
                or (m.get("msg") == "nosub" and m.get("id") == ident)
            )
        )


@asynccontextmanager
async def connect(server_url: str) -> AsyncIterator[DdpClient]:
    async with websockets.connect(server_url.replace("http", "ws") + "/websocket") as ws:
        client = DdpClient(ws)
        await client.send({"msg": "connect", "version": "1", "support": ["1"]})
        connected = await client.expect(lambda m: m.get("msg") in ("connected", "failed"))
        assert connected["msg"] == "connected"
        yield client


def digest(password: str) -> dict[str, str]:
    return {"digest": hashlib.sha256(password.encode()).hexdigest(), "algorithm": "sha-256"}


async def rest(server_url: str, method: str, path: str, **kw: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=f"{server_url}/api/v1") as http:
        answer: dict[str, Any] = (await http.request(method, path, **kw)).json()
        return answer


async def rest_login(server_url: str, user: str, password: str) -> dict[str, str]:
    body = await rest(server_url, "POST", "/login", json={"user": user, "password": password})
    data = body["data"]
    return {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}


async def make_user(server_url: str, admin: dict[str, str], name: str) -> dict[str, str]:
    """A new user (password `<name>-pass-1`), logged in over REST."""
    made = await rest(
        server_url,
        "POST",
        "/users.create",
        headers=admin,
        json={
            "email": f"{name}@example.com",
            "name": name.title(),
            "password": f"{name}-pass-1",
            "username": name,
        },
    )
    assert made["success"], made
    return await rest_login(server_url, name, f"{name}-pass-1")
