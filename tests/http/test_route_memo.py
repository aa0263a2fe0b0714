"""The remembered route for a method and path is the one FastAPI's own loop picks: same
answers on the first request and on every later one, for other methods and unknown paths too."""

import httpx
from fastapi import FastAPI

from chinwag.http.route_memo import RouteMemo
from tests.conftest import Persona


def _memo(app: FastAPI) -> dict[tuple[str, str], int]:
    router = app.router
    assert isinstance(router, RouteMemo)
    return router._memo


async def test_a_route_is_remembered_and_answers_the_same_way(
    client: httpx.AsyncClient, app: FastAPI, alice: Persona
) -> None:
    first = await client.get("/api/v1/me", headers=alice.headers)
    assert ("GET", "/api/v1/me") in _memo(app)
    again = await client.get("/api/v1/me", headers=alice.headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["username"] == "alice"
    subs = await client.get("/api/v1/subscriptions.get", headers=alice.headers)
    assert subs.status_code == 200 and subs.json()["success"] is True


async def test_other_methods_and_unknown_paths_answer_as_before(
    client: httpx.AsyncClient, app: FastAPI, alice: Persona
) -> None:
    for _ in range(2):  # the first answer teaches the memo; the second comes through it
        wrong_method = await client.post("/api/v1/me", headers=alice.headers)
        assert wrong_method.status_code == 405
        missing = await client.get("/api/v1/no.such.endpoint", headers=alice.headers)
        assert missing.status_code == 404
    assert ("GET", "/api/v1/no.such.endpoint") not in _memo(app)


async def test_a_route_with_a_path_parameter_gets_its_parameter(
    client: httpx.AsyncClient, app: FastAPI, alice: Persona, bob: Persona
) -> None:
    for who in (alice, bob, alice):
        r = await client.get(f"/avatar/{who.username}")
        assert r.status_code == 200
        assert ("GET", f"/avatar/{who.username}") in _memo(app)
    assert (
        (await client.get("/avatar/alice")).content
        == (await client.get("/avatar/alice")).content
        != (await client.get("/avatar/bob")).content
    )
