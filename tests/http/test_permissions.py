"""permissions.listAll and permissions.update, and that a change binds at once."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from chinwag.actions.deps import Deps
from chinwag.events.types import PermissionsChanged
from chinwag.pubsub.memory import MemoryBus
from tests.conftest import Persona, assert_error

DEFAULT_USER_GRANTS = ["admin", "user", "bot", "app", "guest"]  # view-d-room


def by_id(items: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(item["_id"]): item for item in items}


async def update(client: httpx.AsyncClient, who: Persona, permissions: object) -> httpx.Response:
    return await client.post(
        "/api/v1/permissions.update", headers=who.headers, json={"permissions": permissions}
    )


async def test_list_all_shapes_every_permission(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.get("/api/v1/permissions.listAll", headers=alice.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"update", "remove", "success"} and body["remove"] == []
    items = by_id(body["update"])
    access = items["access-permissions"]
    assert set(access) == {"_id", "roles", "_updatedAt"}
    assert access["roles"] == ["admin"]
    assert str(access["_updatedAt"]).endswith("Z")
    assert items["view-d-room"]["roles"] == DEFAULT_USER_GRANTS


async def test_list_all_since_a_date(client: httpx.AsyncClient, admin: Persona) -> None:
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    r = await client.get(
        "/api/v1/permissions.listAll", headers=admin.headers, params={"updatedSince": later}
    )
    assert r.json()["update"] == []
    everything = (await client.get("/api/v1/permissions.listAll", headers=admin.headers)).json()
    last_seen = max(str(p["_updatedAt"]) for p in everything["update"])  # how clients sync
    await update(client, admin, [{"_id": "mention-all", "roles": ["admin"]}])
    r = await client.get(
        "/api/v1/permissions.listAll", headers=admin.headers, params={"updatedSince": last_seen}
    )
    assert [p["_id"] for p in r.json()["update"]] == ["mention-all"]


async def test_list_all_refuses_bad_dates_and_strangers(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    r = await client.get(
        "/api/v1/permissions.listAll", headers=admin.headers, params={"updatedSince": "yesterday"}
    )
    assert_error(r, 400, "error-roomId-param-invalid")
    assert_error(await client.get("/api/v1/permissions.listAll"), 401)


async def test_revoking_a_permission_binds_immediately(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, deps: Deps
) -> None:
    assert (await client.get("/api/v1/users.list", headers=alice.headers)).status_code == 200
    assert isinstance(deps.bus, MemoryBus)
    with deps.bus.capture() as published:
        r = await update(client, admin, [{"_id": "view-d-room", "roles": ["admin", "bot"]}])
    assert r.status_code == 200, r.text
    assert published == [PermissionsChanged(permission_ids=("view-d-room",))]
    items = by_id(r.json()["permissions"])
    assert items["view-d-room"]["roles"] == ["admin", "bot"]
    assert "access-permissions" in items  # the full list comes back
    assert_error(await client.get("/api/v1/users.list", headers=alice.headers), 403)
    assert (await client.get("/api/v1/users.list", headers=admin.headers)).status_code == 200
    await update(client, admin, [{"_id": "view-d-room", "roles": ["admin", "user"]}])
    assert (await client.get("/api/v1/users.list", headers=alice.headers)).status_code == 200


async def test_granting_a_permission_binds_immediately(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    assert_error(await client.get("/api/v1/settings/Site_Name", headers=alice.headers), 403)
    r = await update(
        client, admin, [{"_id": "view-privileged-setting", "roles": ["admin", "user"]}]
    )
    assert r.status_code == 200, r.text
    r = await client.get("/api/v1/settings/Site_Name", headers=alice.headers)
    assert r.json()["value"] == "Chinwag"


async def test_plain_users_cannot_change_permissions(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await update(client, alice, [{"_id": "access-permissions", "roles": ["admin", "user"]}])
    assert_error(r, 403)
    r = await client.get("/api/v1/permissions.listAll", headers=alice.headers)
    assert by_id(r.json()["update"])["access-permissions"]["roles"] == ["admin"]


@pytest.mark.parametrize(
    ("permissions", "error_type"),
    [
        ([{"_id": "no-such-permission", "roles": ["admin"]}], "error-invalid-permission"),
        ([{"_id": "mention-all", "roles": ["admin", "wizard"]}], "error-invalid-role"),
        (
            [{"_id": "mention-all", "roles": []}, {"_id": "mention-all", "roles": ["admin"]}],
            "error-invalid-permission",
        ),
        ([{"_id": "mention-all"}], "invalid-params"),
        ([{"_id": "mention-all", "roles": "admin"}], "invalid-params"),
        ([{"_id": "mention-all", "roles": [1]}], "invalid-params"),
        ([{"_id": "mention-all", "roles": [], "extra": 1}], "invalid-params"),
        ("mention-all", "invalid-params"),
        (None, "invalid-params"),
    ],
)
async def test_bad_updates_are_refused_whole(
    client: httpx.AsyncClient, admin: Persona, permissions: object, error_type: str
) -> None:
    # The valid first item must not be written when a later one fails.
    body = [{"_id": "create-c", "roles": ["admin"]}]
    body += permissions if isinstance(permissions, list) else []
    r = await update(client, admin, body if isinstance(permissions, list) else permissions)
    assert_error(r, 400, error_type)
    r = await client.get("/api/v1/permissions.listAll", headers=admin.headers)
    assert by_id(r.json()["update"])["create-c"]["roles"] == ["admin", "user", "bot", "app"]


async def test_missing_body_is_refused(client: httpx.AsyncClient, admin: Persona) -> None:
    r = await client.post("/api/v1/permissions.update", headers=admin.headers, json={})
    assert_error(r, 400, "invalid-params")
