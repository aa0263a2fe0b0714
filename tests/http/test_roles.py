"""roles.*: listing, syncing, custom roles, and giving roles to users globally and in rooms."""

from collections.abc import Mapping

import httpx
import pytest

from chinwag.actions.deps import Deps
from chinwag.events.types import RoleChanged, UserUpdated
from chinwag.pubsub.memory import MemoryBus
from tests.conftest import Persona, assert_error

GENERAL = "GENERAL"


async def post(
    client: httpx.AsyncClient, who: Persona, endpoint: str, body: Mapping[str, object]
) -> httpx.Response:
    return await client.post(f"/api/v1/{endpoint}", headers=who.headers, json=body)


async def create_role(
    client: httpx.AsyncClient, admin: Persona, name: str, **extra: object
) -> dict[str, object]:
    r = await post(client, admin, "roles.create", {"name": name, **extra})
    assert r.status_code == 200, r.text
    role = r.json()["role"]
    assert isinstance(role, dict)
    return role


async def users_in_role(
    client: httpx.AsyncClient, who: Persona, **params: str | int
) -> httpx.Response:
    return await client.get("/api/v1/roles.getUsersInRole", headers=who.headers, params=params)


def usernames(r: httpx.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return [u["username"] for u in r.json()["users"]]


# Listing and syncing


async def test_roles_list_shapes_the_shipped_roles(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await client.get("/api/v1/roles.list", headers=alice.headers)
    roles = {role["_id"]: role for role in r.json()["roles"]}
    assert roles["admin"] == {
        "_id": "admin",
        "name": "admin",
        "description": "Admin",
        "scope": "Users",
        "protected": True,
        "mandatory2fa": False,
    }
    assert roles["owner"]["scope"] == "Subscriptions"
    assert {"user", "bot", "moderator", "leader", "guest", "anonymous"} <= set(roles)
    assert_error(await client.get("/api/v1/roles.list"), 401)


async def test_roles_sync_returns_roles_changed_since(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    r = await client.get("/api/v1/roles.sync", headers=admin.headers)
    assert r.json()["roles"] == {"update": [], "remove": []}
    r = await client.get(
        "/api/v1/roles.sync", headers=admin.headers, params={"updatedSince": "2000-01-01"}
    )
    everything = r.json()["roles"]["update"]
    assert len(everything) >= 9 and all(role["_updatedAt"] for role in everything)
    last_seen = max(role["_updatedAt"] for role in everything)
    auditor = await create_role(client, admin, "auditor")
    r = await client.get(
        "/api/v1/roles.sync", headers=admin.headers, params={"updatedSince": last_seen}
    )
    update = r.json()["roles"]["update"]
    assert [role["_id"] for role in update] == [auditor["_id"]]
    r = await client.get(
        "/api/v1/roles.sync", headers=admin.headers, params={"updatedSince": "not a date"}
    )
    assert_error(r, 400)


# Defining roles


async def test_create_a_custom_role(client: httpx.AsyncClient, admin: Persona, deps: Deps) -> None:
    assert isinstance(deps.bus, MemoryBus)
    with deps.bus.capture() as published:
        role = await create_role(
            client, admin, "auditor", description="Reads things", scope="Subscriptions"
        )
    assert role == {
        "_id": role["_id"],
        "name": "auditor",
        "description": "Reads things",
        "scope": "Subscriptions",
        "protected": False,
        "mandatory2fa": False,
    }
    assert isinstance(role["_id"], str) and len(role["_id"]) == 17
    assert published == [RoleChanged(role_id=str(role["_id"]), action="changed")]
    listed = (await client.get("/api/v1/roles.list", headers=admin.headers)).json()["roles"]
    assert role in listed


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({"name": "admin"}, "error-duplicate-role-names-not-allowed"),
        ({"name": "auditor"}, "error-duplicate-role-names-not-allowed"),
        ({}, "invalid-params"),
        ({"name": ""}, "invalid-params"),
        ({"name": "   "}, "error-role-name-required"),
        ({"name": "x" * 65}, "error-invalid-role-properties"),
        ({"name": "ok", "scope": "Rooms"}, "invalid-params"),
        ({"name": 5}, "invalid-params"),
        ({"name": "ok", "mandatory2fa": "sometimes"}, "invalid-params"),
    ],
)
async def test_bad_roles_are_refused(
    client: httpx.AsyncClient, admin: Persona, body: dict[str, object], error_type: str
) -> None:
    await create_role(client, admin, "auditor")
    assert_error(await post(client, admin, "roles.create", body), 400, error_type)


async def test_update_a_custom_role(client: httpx.AsyncClient, admin: Persona) -> None:
    role = await create_role(client, admin, "auditor")
    body = {"roleId": role["_id"], "name": "inspector", "description": "Looks closely"}
    r = await post(client, admin, "roles.update", body)
    assert r.json()["role"] == {**role, "name": "inspector", "description": "Looks closely"}
    listed = (await client.get("/api/v1/roles.list", headers=admin.headers)).json()["roles"]
    assert "inspector" in [r["name"] for r in listed] and "auditor" not in [
        r["name"] for r in listed
    ]


async def test_protected_roles_keep_their_name_and_scope(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    r = await post(client, admin, "roles.update", {"roleId": "admin", "name": "boss"})
    assert_error(r, 400, "error-invalid-roleId")
    body = {"roleId": "owner", "name": "owner", "scope": "Users"}
    assert_error(await post(client, admin, "roles.update", body), 400, "error-invalid-roleId")
    body = {"roleId": "admin", "name": "admin", "description": "Runs the place"}
    r = await post(client, admin, "roles.update", body)
    assert r.json()["role"]["description"] == "Runs the place"
    assert r.json()["role"]["protected"] is True


async def test_update_refuses_unknown_roles_and_taken_names(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    role = await create_role(client, admin, "auditor")
    r = await post(client, admin, "roles.update", {"roleId": "nope", "name": "x"})
    assert_error(r, 400, "error-invalid-roleId")
    r = await post(client, admin, "roles.update", {"roleId": role["_id"], "name": "user"})
    assert_error(r, 400, "error-duplicate-role-names-not-allowed")
    assert_error(await post(client, admin, "roles.update", {"name": "x"}), 400, "invalid-params")


async def test_delete_a_role_and_its_grants(client: httpx.AsyncClient, admin: Persona) -> None:
    role = await create_role(client, admin, "auditor")
    grant = {"_id": "view-statistics", "roles": ["admin", role["_id"]]}
    r = await post(client, admin, "permissions.update", {"permissions": [grant]})
    assert r.status_code == 200, r.text
    r = await post(client, admin, "roles.delete", {"roleId": role["_id"]})
    assert r.json() == {"success": True}
    listed = (await client.get("/api/v1/roles.list", headers=admin.headers)).json()["roles"]
    assert role["_id"] not in [r["_id"] for r in listed]
    r = await client.get("/api/v1/permissions.listAll", headers=admin.headers)
    stats = next(p for p in r.json()["update"] if p["_id"] == "view-statistics")
    assert stats["roles"] == ["admin"]


async def test_delete_refuses_protected_used_and_unknown_roles(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await post(client, admin, "roles.delete", {"roleId": "guest"})
    assert_error(r, 400, "error-role-protected")
    role = await create_role(client, admin, "auditor")
    grant = {"roleId": role["_id"], "username": "alice"}
    assert (await post(client, admin, "roles.addUserToRole", grant)).status_code == 200
    r = await post(client, admin, "roles.delete", {"roleId": "auditor"})
    assert_error(r, 400, "error-role-in-use")
    r = await post(client, admin, "roles.delete", {"roleId": "nope"})
    assert_error(r, 400, "error-invalid-roleId")
    assert_error(await post(client, admin, "roles.delete", {}), 400, "invalid-params")


async def test_a_room_role_in_use_cannot_be_deleted(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    role = await create_role(client, admin, "helper", scope="Subscriptions")
    grant = {"roleId": role["_id"], "username": "alice", "roomId": GENERAL}
    assert (await post(client, admin, "roles.addUserToRole", grant)).status_code == 200
    r = await post(client, admin, "roles.delete", {"roleId": role["_id"]})
    assert_error(r, 400, "error-role-in-use")
    body = {"roleId": role["_id"], "name": "helper", "scope": "Users"}
    assert_error(await post(client, admin, "roles.update", body), 400, "error-role-in-use")


# Giving and taking roles


async def test_a_global_role_binds_at_once(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, deps: Deps
) -> None:
    assert_error(await users_in_role(client, alice, role="admin"), 403)
    assert isinstance(deps.bus, MemoryBus)
    with deps.bus.capture() as published:
        r = await post(
            client, admin, "roles.addUserToRole", {"roleId": "admin", "username": "alice"}
        )
    assert r.json()["role"]["_id"] == "admin"
    assert published == [
        UserUpdated(user_id=alice.id, fields=("roles",)),
        RoleChanged(role_id="admin", action="added", user_id=alice.id),
    ]
    assert usernames(await users_in_role(client, alice, role="admin")) == ["alice", "boss"]
    me = (await client.get("/api/v1/me", headers=alice.headers)).json()
    assert "admin" in me["roles"]


async def test_custom_role_grants_its_permissions(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    role = await create_role(client, admin, "auditor")
    grant = {"_id": "view-privileged-setting", "roles": ["admin", role["_id"]]}
    await post(client, admin, "permissions.update", {"permissions": [grant]})
    assert_error(await client.get("/api/v1/settings/Site_Name", headers=alice.headers), 403)
    r = await post(
        client, admin, "roles.addUserToRole", {"roleName": "auditor", "username": "alice"}
    )
    assert r.status_code == 200, r.text
    r = await client.get("/api/v1/settings/Site_Name", headers=alice.headers)
    assert r.json()["value"] == "Chinwag"


async def test_add_user_to_role_refuses_bad_requests(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    add = "roles.addUserToRole"
    r = await post(client, admin, add, {"roleId": "user", "username": "alice"})
    assert_error(r, 400, "error-user-already-in-role")
    r = await post(client, admin, add, {"roleId": "wizard", "username": "alice"})
    assert_error(r, 400, "error-role-not-found")
    r = await post(client, admin, add, {"roleId": "bot", "username": "nobody"})
    assert_error(r, 400, "error-invalid-user")
    r = await post(client, admin, add, {"roleId": "bot"})
    assert_error(r, 400, "error-user-param-not-provided")
    assert_error(await post(client, admin, add, {"username": "alice"}), 400)
    r = await post(client, admin, add, {"roleId": "moderator", "username": "alice"})
    assert_error(r, 400, "invalid-params")
    r = await post(client, admin, add, {"roleId": "moderator", "username": "alice", "roomId": "x"})
    assert_error(r, 400, "error-invalid-user")
    r = await post(client, admin, add, {"roleId": ["admin"], "username": "alice"})
    assert_error(r, 400, "invalid-params")


async def test_plain_users_cannot_give_or_take_roles(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    for endpoint in ("roles.addUserToRole", "roles.removeUserFromRole"):
        r = await post(client, alice, endpoint, {"roleId": "admin", "username": "alice"})
        assert_error(r, 403)
        r = await post(client, alice, endpoint, {"roleId": "bot", "username": "bob"})
        assert_error(r, 403)
    assert_error(await post(client, alice, "roles.create", {"name": "x"}), 403)
    body = {"roleId": "user", "name": "user", "description": "x"}
    assert_error(await post(client, alice, "roles.update", body), 403)
    assert_error(await post(client, alice, "roles.delete", {"roleId": "user"}), 403)
    assert_error(await users_in_role(client, alice, role="user"), 403)


async def test_admin_role_needs_assign_admin_role(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    grant = {"_id": "access-permissions", "roles": ["admin", "user"]}
    await post(client, admin, "permissions.update", {"permissions": [grant]})
    r = await post(client, alice, "roles.addUserToRole", {"roleId": "admin", "username": "alice"})
    assert_error(r, 403)
    r = await post(client, alice, "roles.addUserToRole", {"roleId": "bot", "username": "alice"})
    assert r.status_code == 200, r.text


async def test_room_roles_live_on_the_subscription(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, deps: Deps
) -> None:
    grant = {"roleId": "moderator", "username": "alice", "roomId": GENERAL}
    r = await post(client, admin, "roles.addUserToRole", grant)
    assert r.json()["role"]["scope"] == "Subscriptions"
    async with deps.reader() as uow:
        subscription = await uow.rooms.find_subscription(GENERAL, alice.id)
    assert subscription is not None and subscription.roles == ("moderator",)
    r = await users_in_role(client, admin, role="moderator", roomId=GENERAL)
    assert usernames(r) == ["alice"] and r.json()["total"] == 1
    assert usernames(await users_in_role(client, admin, role="moderator")) == ["alice"]
    me = (await client.get("/api/v1/me", headers=alice.headers)).json()
    assert "moderator" not in me["roles"]
    assert_error(await post(client, admin, "roles.addUserToRole", grant), 400)
    r = await post(
        client, admin, "roles.removeUserFromRole", {**grant, "roomId": None, "scope": GENERAL}
    )
    assert r.json()["role"]["_id"] == "moderator"
    assert usernames(await users_in_role(client, admin, role="moderator", roomId=GENERAL)) == []
    r = await post(client, admin, "roles.removeUserFromRole", grant)
    assert_error(r, 400, "error-user-not-in-role")


async def test_remove_a_global_role(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, deps: Deps
) -> None:
    await post(client, admin, "roles.addUserToRole", {"roleId": "bot", "username": "alice"})
    assert isinstance(deps.bus, MemoryBus)
    with deps.bus.capture() as published:
        r = await post(
            client, admin, "roles.removeUserFromRole", {"roleId": "bot", "username": "alice"}
        )
    assert r.json()["role"]["_id"] == "bot"
    assert RoleChanged(role_id="bot", action="removed", user_id=alice.id) in published
    me = (await client.get("/api/v1/me", headers=alice.headers)).json()
    assert me["roles"] == ["user"]
    r = await post(
        client, admin, "roles.removeUserFromRole", {"roleId": "bot", "username": "alice"}
    )
    assert_error(r, 400, "error-user-not-in-role")
    r = await post(
        client, admin, "roles.removeUserFromRole", {"roleId": "nope", "username": "alice"}
    )
    assert_error(r, 400, "error-invalid-roleId")


async def test_the_last_admin_stays_admin(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    last = {"roleId": "admin", "username": "boss"}
    r = await post(client, admin, "roles.removeUserFromRole", last)
    error = assert_error(r, 400, "error-action-not-allowed")
    assert "without admins" in str(error["error"])
    await post(client, admin, "roles.addUserToRole", {"roleId": "admin", "username": "alice"})
    r = await post(client, admin, "roles.removeUserFromRole", last)
    assert r.status_code == 200, r.text
    assert usernames(await users_in_role(client, alice, role="admin")) == ["alice"]


async def test_users_in_role_shape_and_pages(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    r = await users_in_role(client, admin, role="user", count=1, offset=1)
    body = r.json()
    assert set(body) == {"users", "total", "success"}
    assert body["total"] == 3 and usernames(r) == ["bob"]  # alice, bob, boss by username
    r = await users_in_role(client, admin, role="user", count=0)
    assert usernames(r) == ["alice", "bob", "boss"]
    user = r.json()["users"][0]
    assert set(user) == {"_id", "username", "name", "emails", "createdAt", "_updatedAt"}
    assert user["emails"] == [{"address": "alice@example.com", "verified": False}]


async def test_users_in_role_refuses_bad_requests(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    assert_error(await users_in_role(client, admin), 400, "error-param-not-provided")
    assert_error(await users_in_role(client, admin, role="nope"), 400, "error-invalid-roleId")
    assert_error(await users_in_role(client, admin, role="user", count="x"), 400)
    assert_error(await client.get("/api/v1/roles.getUsersInRole", params={"role": "user"}), 401)


async def test_users_in_a_room_role_need_view_other_user_channels(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    grant = {"_id": "access-permissions", "roles": ["admin", "user"]}
    await post(client, admin, "permissions.update", {"permissions": [grant]})
    assert usernames(await users_in_role(client, alice, role="owner")) == []
    r = await users_in_role(client, alice, role="owner", roomId=GENERAL)
    assert_error(r, 400, "error-not-allowed")
