"""settings.public, settings, settings/:_id, settings.oauth, service.configurations."""

import json

import httpx
import pytest

from chinwag.actions.bootstrap import bootstrap, load_caches
from chinwag.actions.deps import Deps
from chinwag.domain import settings_registry as registry
from chinwag.events.types import SettingChanged
from chinwag.pubsub.memory import MemoryBus
from chinwag.settings import Config
from tests.conftest import Persona, assert_error

SECRET = "Accounts_RegistrationForm_SecretURL"


def ids(body: dict[str, object]) -> list[str]:
    items = body["settings"]
    assert isinstance(items, list)
    return [item["_id"] for item in items]


async def test_public_settings_need_no_login_and_show_ids_and_values(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/api/v1/settings.public", params={"count": 0})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    assert body["offset"] == 0 and body["count"] == len(body["settings"]) == body["total"]
    assert all(set(item) == {"_id", "value"} for item in body["settings"])
    listed = ids(body)
    assert listed == sorted(listed)
    assert {"_id": "Site_Name", "value": "Chinwag"} in body["settings"]
    assert "API_Default_Count" not in listed  # private
    assert SECRET not in listed  # hidden


async def test_public_settings_paginate(client: httpx.AsyncClient) -> None:
    everything = ids((await client.get("/api/v1/settings.public", params={"count": 0})).json())
    r = await client.get("/api/v1/settings.public", params={"count": 3, "offset": 2})
    body = r.json()
    assert ids(body) == everything[2:5]
    assert body["count"] == 3 and body["offset"] == 2 and body["total"] == len(everything)


async def test_public_settings_filter_by_id_query_and_project_fields(
    client: httpx.AsyncClient,
) -> None:
    wanted = {"_id": {"$in": ["Site_Name", "Language", "API_Default_Count"]}}
    r = await client.get("/api/v1/settings.public", params={"query": json.dumps(wanted)})
    assert ids(r.json()) == ["Language", "Site_Name"]
    r = await client.get("/api/v1/settings.public", params={"_id": "Site_Url, Site_Name"})
    assert ids(r.json()) == ["Site_Name", "Site_Url"]
    regex = {"_id": {"$regex": "^Message_Allow"}}
    r = await client.get(
        "/api/v1/settings.public",
        params={"query": json.dumps(regex), "fields": json.dumps({"type": 1})},
    )
    body = r.json()
    assert ids(body) and all(i.startswith("Message_Allow") for i in ids(body))
    assert all(set(item) == {"_id", "value", "type"} for item in body["settings"])


@pytest.mark.parametrize(
    "query",
    [
        {"password": 1},
        {"_id": {"$ne": "x"}},
        {"_id": {"$regex": "(a+)+$"}},
        {"_id": {"$regex": 5}},
    ],
)
async def test_public_settings_refuse_unsupported_queries(
    client: httpx.AsyncClient, query: dict[str, object]
) -> None:
    r = await client.get("/api/v1/settings.public", params={"query": json.dumps(query)})
    assert_error(r, 400, "error-invalid-query")


async def test_public_settings_refuse_bad_sort_and_json(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/settings.public", params={"sort": '{"value": 1}'})
    assert_error(r, 400, "error-invalid-sort")
    r = await client.get("/api/v1/settings.public", params={"query": "{nope"})
    assert_error(r, 400, "error-invalid-query")
    r = await client.get("/api/v1/settings.public", params={"sort": '{"_id": -1}', "count": 2})
    assert ids(r.json()) == sorted(ids(r.json()), reverse=True)


async def test_admins_list_every_setting_in_full(client: httpx.AsyncClient, admin: Persona) -> None:
    r = await client.get("/api/v1/settings", headers=admin.headers, params={"count": 0})
    assert r.status_code == 200, r.text
    items = {item["_id"]: item for item in r.json()["settings"]}
    assert items["API_Default_Count"] == {
        "_id": "API_Default_Count",
        "value": 50,
        "type": "int",
        "public": False,
        "packageValue": 50,
        "group": "General",
        "hidden": False,
        "enterprise": False,
    }
    assert items["Accounts_RegistrationForm"]["values"][0] == {
        "key": "Public",
        "i18nLabel": "Public",
    }
    assert items[SECRET]["hidden"] is True


async def test_users_without_privilege_list_only_public_settings(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await client.get("/api/v1/settings", headers=alice.headers, params={"count": 0})
    body = r.json()
    assert body["success"] is True
    assert all(item["public"] is True for item in body["settings"])
    assert "API_Default_Count" not in ids(body) and SECRET not in ids(body)
    query = json.dumps({"_id": SECRET})
    r = await client.get("/api/v1/settings", headers=alice.headers, params={"query": query})
    assert r.json()["settings"] == [] and r.json()["total"] == 0
    assert_error(await client.get("/api/v1/settings"), 401)


async def test_get_one_setting(client: httpx.AsyncClient, admin: Persona, alice: Persona) -> None:
    r = await client.get("/api/v1/settings/Site_Name", headers=admin.headers)
    assert r.json() == {"_id": "Site_Name", "value": "Chinwag", "success": True}
    assert_error(await client.get("/api/v1/settings/Site_Name", headers=alice.headers), 403)
    r = await client.get("/api/v1/settings/No_Such_Setting", headers=admin.headers)
    assert_error(r, 400, "error-invalid-setting")


async def test_changing_a_setting_shows_in_public_settings_and_notifies(
    client: httpx.AsyncClient, admin: Persona, deps: Deps
) -> None:
    assert isinstance(deps.bus, MemoryBus)
    with deps.bus.capture() as published:
        r = await client.post(
            "/api/v1/settings/Site_Name", headers=admin.headers, json={"value": "Town Hall"}
        )
    assert r.json() == {"success": True}
    assert published == [SettingChanged(setting_id="Site_Name", public=True)]
    r = await client.get("/api/v1/settings.public", params={"_id": "Site_Name"})
    assert r.json()["settings"] == [{"_id": "Site_Name", "value": "Town Hall"}]
    r = await client.get("/api/v1/settings/Site_Name", headers=admin.headers)
    assert r.json()["value"] == "Town Hall"


async def test_a_changed_limit_takes_effect_at_once(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    r = await client.post(
        "/api/v1/settings/API_Default_Count", headers=admin.headers, json={"value": "2"}
    )
    assert r.status_code == 200, r.text
    body = (await client.get("/api/v1/settings.public")).json()
    assert body["count"] == 2 and body["total"] > 2


async def test_form_encoded_values_are_coerced(client: httpx.AsyncClient, admin: Persona) -> None:
    r = await client.post(
        "/api/v1/settings/Accounts_ManuallyApproveNewUsers",
        headers=admin.headers,
        data={"value": "true"},
    )
    assert r.status_code == 200, r.text
    r = await client.get(
        "/api/v1/settings.public", params={"_id": "Accounts_ManuallyApproveNewUsers"}
    )
    assert r.json()["settings"][0]["value"] is True


@pytest.mark.parametrize(
    ("setting_id", "body", "needle"),
    [
        ("Accounts_ManuallyApproveNewUsers", {"value": "maybe"}, "true or false"),
        ("API_Default_Count", {"value": "lots"}, "whole number"),
        ("API_Default_Count", {"value": -1}, "from 0 to"),
        ("API_Default_Count", {"value": 10**30}, "from 0 to"),
        ("Site_Name", {"value": 42}, "string"),
        ("Site_Name", {"value": None}, "string"),
        ("Accounts_RegistrationForm", {"value": "Open"}, "one of"),
        ("Site_Name", {}, "value"),
    ],
)
async def test_bad_values_are_refused(
    client: httpx.AsyncClient,
    admin: Persona,
    setting_id: str,
    body: dict[str, object],
    needle: str,
) -> None:
    r = await client.post(f"/api/v1/settings/{setting_id}", headers=admin.headers, json=body)
    error = assert_error(r, 400, "invalid-params")
    assert needle in str(error["error"])


async def test_unknown_setting_and_plain_users_are_refused(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await client.post("/api/v1/settings/Nope", headers=admin.headers, json={"value": 1})
    assert_error(r, 400, "error-invalid-setting")
    r = await client.post("/api/v1/settings/Site_Name", headers=alice.headers, json={"value": "x"})
    assert_error(r, 403)
    r = await client.post("/api/v1/settings/Site_Name", json={"value": "x"})
    assert_error(r, 401)
    r = await client.get("/api/v1/settings/Site_Name", headers=admin.headers)
    assert r.json()["value"] == "Chinwag"


async def test_secret_url_is_for_admins_only(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await client.post(f"/api/v1/settings/{SECRET}", headers=admin.headers, json={"value": "s3"})
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/v1/settings/{SECRET}", headers=admin.headers)
    assert r.json()["value"] == "s3"
    assert_error(await client.get(f"/api/v1/settings/{SECRET}", headers=alice.headers), 403)
    for headers in (alice.headers, {}):
        path = "/api/v1/settings" if headers else "/api/v1/settings.public"
        r = await client.get(path, headers=headers, params={"count": 0})
        assert "s3" not in r.text and SECRET not in r.text


async def test_password_settings_are_never_read_back(
    client: httpx.AsyncClient, admin: Persona, deps: Deps
) -> None:
    assert registry.BY_ID["SMTP_Password"].type == "password"
    deps.settings.set("SMTP_Password", "hunter2", deps.clock.now())
    r = await client.get("/api/v1/settings", headers=admin.headers, params={"count": 0})
    item = next(i for i in r.json()["settings"] if i["_id"] == "SMTP_Password")
    assert item["value"] == "********" and "hunter2" not in r.text
    r = await client.get("/api/v1/settings/SMTP_Password", headers=admin.headers)
    assert r.json()["value"] == "********"


async def test_oauth_services_and_configurations_are_empty(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/settings.oauth")
    assert r.json() == {"services": [], "success": True}
    r = await client.get("/api/v1/service.configurations")
    assert r.json() == {"configurations": [], "success": True}


async def test_overwrite_setting_env_forces_a_value_at_start(
    client: httpx.AsyncClient, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OVERWRITE_SETTING_Site_Name", "Forced Name")
    monkeypatch.setenv("OVERWRITE_SETTING_Accounts_AllowDeleteOwnAccount", "true")
    forced = Config.from_env(data_dir=deps.config.data_dir, database_url=deps.config.database_url)
    assert forced.overwrite_settings["Site_Name"] == "Forced Name"
    deps.config.overwrite_settings = forced.overwrite_settings
    await bootstrap(deps)  # what every start does
    r = await client.get(
        "/api/v1/settings.public", params={"_id": "Site_Name,Accounts_AllowDeleteOwnAccount"}
    )
    assert r.json()["settings"] == [
        {"_id": "Accounts_AllowDeleteOwnAccount", "value": True},
        {"_id": "Site_Name", "value": "Forced Name"},
    ]


async def test_a_numeric_setting_survives_a_restart(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    """SQLite's JSON columns have numeric affinity: a stored 0 or 25 reads back as a number."""
    for setting_id, value in (("API_Upper_Count_Limit", 25), ("Message_MaxAllowedSize", 0)):
        answer = await client.post(
            f"/api/v1/settings/{setting_id}", json={"value": value}, headers=admin.headers
        )
        assert answer.status_code == 200, answer.text
    await load_caches(deps)  # as a restarted server reads them
    assert deps.settings.int("API_Upper_Count_Limit") == 25
    assert deps.settings.int("Message_MaxAllowedSize") == 0
