"""method.call / method.callAnon: DDP methods over HTTP, as Rocket.Chat's web client uses them."""

import hashlib
import json
from typing import Any

import httpx

from tests.conftest import PASSWORD, Persona


def _body(method: str, *params: Any) -> dict[str, str]:
    message = {"msg": "method", "id": "42", "method": method, "params": list(params)}
    return {"message": json.dumps(message)}


async def _call(
    client: httpx.AsyncClient, path: str, method: str, *params: Any, headers: Any = None
) -> dict[str, Any]:
    r = await client.post(f"/api/v1/{path}/{method}", json=_body(method, *params), headers=headers)
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = json.loads(r.json()["message"])
    assert answer["msg"] == "result" and answer["id"] == "42"
    return answer


async def test_anonymous_login_through_call_anon(client: httpx.AsyncClient, alice: Persona) -> None:
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    request = {
        "user": {"username": "alice"},
        "password": {"digest": digest, "algorithm": "sha-256"},
    }
    answer = await _call(client, "method.callAnon", "login", request)
    assert answer["result"]["id"] == alice.id and answer["result"]["token"]
    assert "$date" in answer["result"]["tokenExpires"]


async def test_method_call_needs_credentials(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post("/api/v1/method.call/loadHistory", json=_body("loadHistory", "GENERAL"))
    assert r.status_code == 401
    answer = await _call(
        client, "method.call", "loadHistory", "GENERAL", None, 10, headers=alice.headers
    )
    assert "messages" in answer["result"]


async def test_method_errors_are_results_with_http_200(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    answer = await _call(client, "method.call", "noSuchMethod", headers=alice.headers)
    assert answer["error"]["error"] == 404
    answer = await _call(client, "method.call", "getRoomNameById", "nope", headers=alice.headers)
    assert answer["error"]["error"] == "error-room-not-found"


async def test_settings_and_permissions_methods(client: httpx.AsyncClient, alice: Persona) -> None:
    settings = (await _call(client, "method.callAnon", "public-settings/get"))["result"]
    assert "Site_Name" in {s["_id"] for s in settings}
    since = {"$date": 0}
    synced = await _call(client, "method.call", "permissions/get", since, headers=alice.headers)
    assert "create-c" in {p["_id"] for p in synced["result"]["update"]}


async def test_bad_bridge_bodies_are_400(client: httpx.AsyncClient, alice: Persona) -> None:
    for body in ({}, {"message": "{"}, {"message": "[]"}, {"message": 5}):
        r = await client.post("/api/v1/method.call/login", json=body, headers=alice.headers)
        assert r.status_code == 400, r.text
