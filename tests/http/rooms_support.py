"""Shared steps of the room family tests: calling endpoints, making rooms, posting, and the
check that a refused caller learned nothing about a private room."""

from typing import Any

import httpx

from tests.conftest import Persona, assert_error

API = "/api/v1"


def _query(params: dict[str, object]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in params.items():
        if isinstance(value, list | tuple):
            out += [(f"{key}[]", str(v)) for v in value]
        elif isinstance(value, bool):
            out.append((key, str(value).lower()))
        elif value is not None:
            out.append((key, str(value)))
    return out


async def get(
    client: httpx.AsyncClient, who: Persona, endpoint: str, **params: object
) -> httpx.Response:
    return await client.get(f"{API}/{endpoint}", params=_query(params), headers=who.headers)


async def post(
    client: httpx.AsyncClient, who: Persona, endpoint: str, **body: object
) -> httpx.Response:
    return await client.post(f"{API}/{endpoint}", json=body, headers=who.headers)


def body_of(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()
    assert found["success"] is True, found
    return found


async def ok_get(
    client: httpx.AsyncClient, who: Persona, endpoint: str, **params: object
) -> dict[str, Any]:
    return body_of(await get(client, who, endpoint, **params))


async def ok_post(
    client: httpx.AsyncClient, who: Persona, endpoint: str, **body: object
) -> dict[str, Any]:
    return body_of(await post(client, who, endpoint, **body))


async def create(
    client: httpx.AsyncClient, who: Persona, family: str, name: str, *members: str
) -> dict[str, Any]:
    """channels.create / groups.create: the room as returned."""
    key = "channel" if family == "channels" else "group"
    found = await ok_post(client, who, f"{family}.create", name=name, members=list(members))
    room: dict[str, Any] = found[key]
    return room


async def say(
    client: httpx.AsyncClient, who: Persona, room_id: str, text: str, **extra: object
) -> dict[str, Any]:
    found = await ok_post(client, who, "chat.postMessage", roomId=room_id, text=text, **extra)
    message: dict[str, Any] = found["message"]
    return message


async def history_types(client: httpx.AsyncClient, who: Persona, family: str, rid: str) -> list:
    found = await ok_get(client, who, f"{family}.history", roomId=rid, count=100)
    return [(m.get("t"), m["msg"]) for m in found["messages"]]


def assert_hidden(r: httpx.Response, *secrets: str) -> None:
    """Refused as if the room did not exist: 400 error-room-not-found, nothing more."""
    body = assert_error(r, 400, "error-room-not-found")
    assert set(body) == {"success", "error", "errorType"}, body
    for secret in secrets:
        assert secret not in r.text, r.text
