"""statistics, statistics.list, directory, spotlight."""

import json
from typing import Any

import httpx
import pytest

from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from chinwag.domain.models import RoomType
from chinwag.serialize.base import iso
from chinwag.storage.tables import subscriptions
from tests.conftest import Persona, assert_error, sign_up
from tests.conftest_helpers import make_room, room_by_id, set_permission, set_setting


async def get(client: httpx.AsyncClient, path: str, who: Persona, **params: Any) -> dict[str, Any]:
    r = await client.get(f"/api/v1/{path}", params=params, headers=who.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["success"] is True
    return body


async def search(
    client: httpx.AsyncClient, who: Persona, kind: str, text: str = "", **params: Any
) -> dict[str, Any]:
    query = json.dumps({"text": text, "type": kind})
    return await get(client, "directory", who, query=query, **params)


# statistics


async def test_statistics_count_what_the_workspace_holds(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await make_room(deps, "team", alice)
    stats = await get(client, "statistics", admin)
    assert stats["totalUsers"] == 3  # boss, alice and rocket.cat
    assert stats["activeUsers"] == 3 and stats["nonActiveUsers"] == 0
    assert stats["onlineUsers"] == 1 and stats["offlineUsers"] == 2  # rocket.cat is online
    assert stats["totalRooms"] == 2
    assert stats["totalChannels"] == 1 and stats["totalPrivateGroups"] == 1
    assert stats["totalDirect"] == 0 and stats["totalMessages"] == 0
    assert stats["version"].count(".") == 2 and stats["wizard"] == {}
    general = await room_by_id(deps, GENERAL_ID)
    assert stats["installedAt"] == iso(general.created_at)
    assert stats["os"]["platform"] and stats["process"]["pid"] > 0
    assert isinstance(stats["uniqueId"], str) and stats["uniqueId"]


async def test_statistics_are_kept_until_refreshed(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    first = await get(client, "statistics", admin)
    await sign_up(client, "dana")
    again = await get(client, "statistics", admin)
    assert again["_id"] == first["_id"] and again["totalUsers"] == first["totalUsers"]
    fresh = await get(client, "statistics", admin, refresh="true")
    assert fresh["_id"] != first["_id"]
    assert fresh["totalUsers"] == first["totalUsers"] + 1
    assert fresh["uniqueId"] == first["uniqueId"]


async def test_statistics_count_invite_links_and_their_uses(
    client: httpx.AsyncClient, admin: Persona, bob: Persona
) -> None:
    body = {"rid": GENERAL_ID, "days": 1, "maxUses": 0}
    r = await client.post("/api/v1/findOrCreateInvite", json=body, headers=admin.headers)
    await sign_up(client, "dana", secretURL=r.json()["_id"])
    stats = await get(client, "statistics", admin, refresh="true")
    assert stats["totalLinkInvitation"] == 1
    # Signing up through the link is a use, though sign-up had already put dana in GENERAL.
    assert stats["totalLinkInvitationUses"] == 1


async def test_statistics_list_pages_the_snapshots_newest_first(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    first = await get(client, "statistics", admin)
    second = await get(client, "statistics", admin, refresh="true")
    listed = await get(client, "statistics.list", admin)
    assert [s["_id"] for s in listed["statistics"]] == [second["_id"], first["_id"]]
    assert listed["total"] == 2 and listed["count"] == 2 and listed["offset"] == 0
    assert listed["statistics"][0] == {k: v for k, v in second.items() if k != "success"}
    page = await get(client, "statistics.list", admin, count=1, offset=1)
    assert [s["_id"] for s in page["statistics"]] == [first["_id"]]
    assert page["total"] == 2 and page["count"] == 1


async def test_statistics_need_view_statistics(client: httpx.AsyncClient, alice: Persona) -> None:
    for path in ("statistics", "statistics.list"):
        assert_error(await client.get(f"/api/v1/{path}", headers=alice.headers), 403)
        assert_error(await client.get(f"/api/v1/{path}"), 401)


# directory


async def test_directory_lists_active_users_without_their_emails(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    await set_setting(deps, "Accounts_ManuallyApproveNewUsers", True)
    await client.post(
        "/api/v1/users.register",
        json={"username": "bobby", "email": "b@example.com", "pass": "x", "name": "Bobby"},
    )
    found = await search(client, alice, "users", "bo")
    assert [u["username"] for u in found["result"]] == ["bob", "boss"]  # bobby awaits approval
    assert found["total"] == 2 and found["count"] == 2 and found["offset"] == 0
    assert set(found["result"][0]) == {"_id", "username", "name", "createdAt"}
    as_admin = await search(client, admin, "users", "bo")
    assert as_admin["result"][0]["emails"] == [{"address": "bob@example.com", "verified": False}]


async def test_directory_does_not_search_emails_for_those_who_cannot_see_them(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    await sign_up(client, "dana", email="secret-identity@example.com")
    assert (await search(client, alice, "users", "secret-identity"))["result"] == []
    assert [u["username"] for u in (await search(client, admin, "users", "secret"))["result"]] == [
        "dana"
    ]


async def test_directory_users_sort_and_page(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    all_users = await search(client, alice, "users", sort=json.dumps({"username": -1}))
    names = [u["username"] for u in all_users["result"]]
    assert names == sorted(names, reverse=True) and "rocket.cat" in names
    page = await search(client, alice, "users", sort=json.dumps({"username": 1}), count=2, offset=1)
    assert [u["username"] for u in page["result"]] == sorted(names)[1:3]
    assert page["total"] == len(names)
    r = await client.get(
        "/api/v1/directory",
        params={"query": json.dumps({"type": "users"}), "sort": json.dumps({"email": 1})},
        headers=alice.headers,
    )
    assert_error(r, 400)


async def test_directory_lists_public_channels_only(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    await make_room(deps, "secret-plans", alice)
    await make_room(deps, "gardening", alice, RoomType.CHANNEL)
    found = await search(client, bob, "channels")
    assert [r["name"] for r in found["result"]] == ["gardening", "general"]
    general = found["result"][1]
    assert general["_id"] == GENERAL_ID and general["t"] == "c" and general["default"] is True
    assert general["usersCount"] == 3 and "ts" in general
    assert "default" not in found["result"][0]
    by_size = await search(client, bob, "channels", sort=json.dumps({"usersCount": -1}))
    assert by_size["result"][0]["name"] == "general"
    assert [r["name"] for r in (await search(client, bob, "channels", "GARD"))["result"]] == [
        "gardening"
    ]


async def test_directory_of_teams_is_empty_for_now(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    found = await search(client, alice, "teams")
    assert found["result"] == [] and found["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"query": json.dumps({"type": "galaxies"})},
        {"query": json.dumps({"type": "channels", "text": 7})},
        {"query": json.dumps({"type": "channels"}), "sort": json.dumps({"name": 1, "ts": 1})},
        {"query": json.dumps({"type": "channels"}), "sort": json.dumps({"topic": 1})},
        {"query": "{not json"},
    ],
)
async def test_directory_refuses_bad_parameters(
    client: httpx.AsyncClient, alice: Persona, params: dict[str, str]
) -> None:
    assert_error(await client.get("/api/v1/directory", params=params, headers=alice.headers), 400)


async def test_directory_follows_permissions(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    assert_error(await client.get("/api/v1/directory"), 401)
    await set_permission(deps, "view-outside-room", ("admin",))
    r = await client.get(
        "/api/v1/directory", params={"query": '{"type":"users"}'}, headers=alice.headers
    )
    assert_error(r, 403)


# spotlight


async def spot(client: httpx.AsyncClient, who: Persona, text: str) -> dict[str, Any]:
    return await get(client, "spotlight", who, query=text)


async def test_spotlight_finds_users_and_rooms_with_prefixes(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    both = await spot(client, alice, "bo")
    assert {u["username"] for u in both["users"]} == {"bob", "boss"}
    users_only = await spot(client, alice, "@gen")
    assert users_only["rooms"] == []
    rooms_only = await spot(client, alice, "#gen")
    assert rooms_only["users"] == []
    assert rooms_only["rooms"] == [{"_id": GENERAL_ID, "t": "c", "name": "general"}]
    bob_found = next(u for u in both["users"] if u["username"] == "bob")
    assert bob_found == {"_id": bob.id, "username": "bob", "name": "Bob", "status": "offline"}


async def test_spotlight_puts_the_exact_username_first(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    await sign_up(client, "abob")
    bob = await sign_up(client, "bob")
    found = await spot(client, bob, "@bob")
    assert [u["username"] for u in found["users"]] == ["bob", "abob"]


async def test_spotlight_shows_private_rooms_only_to_members(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    await make_room(deps, "secret-plans", alice)
    assert [r["name"] for r in (await spot(client, alice, "#secret"))["rooms"]] == ["secret-plans"]
    assert (await spot(client, bob, "#secret"))["rooms"] == []


async def test_spotlight_without_view_outside_room_sees_only_room_mates(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    carol = await sign_up(client, "carol")
    async with deps.uow() as uow:
        await uow.conn.execute(subscriptions.delete().where(subscriptions.c.user_id == carol.id))
    await set_permission(deps, "view-outside-room", ("admin",))
    assert (await spot(client, alice, "@carol"))["users"] == []
    assert [u["username"] for u in (await spot(client, alice, "@bob"))["users"]] == ["bob"]
    assert (await spot(client, alice, "#gen"))["rooms"] == [
        {"_id": GENERAL_ID, "t": "c", "name": "general"}
    ]  # still a member


async def test_spotlight_escapes_like_wildcards(client: httpx.AsyncClient, alice: Persona) -> None:
    assert (await spot(client, alice, "@%"))["users"] == []
    assert (await spot(client, alice, "#_"))["rooms"] == []


async def test_spotlight_needs_a_login(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/spotlight", params={"query": "a"}), 401)
