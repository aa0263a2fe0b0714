"""The remembered route for a method and path is the one FastAPI's own loop picks: same
answers on the first request and on every later one, for other methods and unknown paths too."""

import httpx
from fastapi import APIRouter, FastAPI

from chinwag.http import route_memo
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


async def test_a_route_added_to_an_included_router_later_takes_its_paths() -> None:
    """FastAPI picks the first match in route order; a route added after the memo learnt a
    path (here to a router included before the one that answered) answers from then on."""
    app = FastAPI()
    route_memo.install(app)
    first, second = APIRouter(), APIRouter()

    @second.get("/where")
    async def in_second() -> str:
        return "second"

    app.include_router(first)
    app.include_router(second)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://chinwag.test") as c:
        assert (await c.get("/where")).json() == "second"
        assert (await c.get("/where")).json() == "second"  # through the memo

        @first.get("/where")
        async def in_first() -> str:
            return "first"

        assert (await c.get("/where")).json() == "first"
        assert (await c.get("/where")).json() == "first"
