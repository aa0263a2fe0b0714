"""messageSearch: one room, or every room the caller is in, never a room they are not in."""

import httpx

from chinwag.actions.deps import Deps
from tests.conftest import Persona
from tests.conftest_helpers import make_room
from tests.ddp.test_rest_bridge import _call


async def post(client: httpx.AsyncClient, who: Persona, rid: str, text: str) -> str:
    r = await client.post(
        "/api/v1/chat.postMessage", json={"roomId": rid, "text": text}, headers=who.headers
    )
    assert r.status_code == 200, r.text
    message_id: str = r.json()["message"]["_id"]
    return message_id


async def search(client: httpx.AsyncClient, who: Persona, *params: object) -> list[str]:
    answer = await _call(client, "method.call", "messageSearch", *params, headers=who.headers)
    return [m["msg"] for m in answer["result"]["message"]["docs"]]


async def test_without_a_room_it_searches_every_room_of_the_caller(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    team = await make_room(deps, "team", alice)
    await post(client, alice, "GENERAL", "public apples")
    await post(client, alice, team.id, "secret apples")
    await post(client, alice, team.id, "pears only")
    assert await search(client, alice, "apples") == ["secret apples", "public apples"]
    assert await search(client, bob, "apples") == ["public apples"]
    assert await search(client, alice, "appl", None, 1) == ["secret apples"]
    assert await search(client, alice, "apples", None, 10, 1) == ["public apples"]


async def test_with_a_room_it_searches_that_room_if_the_caller_may_read_it(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    team = await make_room(deps, "team", alice)
    await post(client, alice, "GENERAL", "public apples")
    await post(client, alice, team.id, "secret apples")
    assert await search(client, alice, "apples", team.id) == ["secret apples"]
    answer = await _call(
        client, "method.call", "messageSearch", "apples", team.id, headers=bob.headers
    )
    assert answer["error"]["error"] == "error-not-allowed"
