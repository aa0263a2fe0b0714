"""Settings, roles, permissions, statistics, directory and spotlight through the PyPI
`rocketchat-API` client, against a live server."""

from datetime import UTC, datetime

import pytest
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import ADMIN
from tests.clients.rc import (
    anonymous,
    changed_setting,
    make_user,
    refused,
    sign_in,
    sign_in_admin,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def admin_rc(server_url: str) -> RocketChat:
    return sign_in_admin(server_url)


def public_value(server_url: str, setting_id: str) -> object:
    """A public setting as a visitor who never signed in reads it."""
    found = {s["_id"]: s["value"] for s in anonymous(server_url).settings_public()}
    return found[setting_id]


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


# Settings


def test_public_settings_need_no_sign_in_and_page_through(server_url: str) -> None:
    settings = list(anonymous(server_url).settings_public(count=10))
    ids = [s["_id"] for s in settings]
    assert "Site_Name" in ids and len(ids) == len(set(ids)) and len(ids) > 10
    assert "Accounts_RegistrationForm_SecretURL" not in ids  # hidden, never public


def test_renaming_the_site_shows_in_the_public_settings(
    server_url: str, admin_rc: RocketChat
) -> None:
    assert public_value(server_url, "Site_Name") == "Chinwag"
    with changed_setting(admin_rc, "Site_Name", "Chinwag E2E"):
        assert public_value(server_url, "Site_Name") == "Chinwag E2E"
        assert admin_rc.settings_get("Site_Name") == {
            "_id": "Site_Name",
            "value": "Chinwag E2E",
            "success": True,
        }
    assert public_value(server_url, "Site_Name") == "Chinwag"


def test_unknown_settings_are_errors(admin_rc: RocketChat) -> None:
    with refused(400, "error-invalid-setting"):
        admin_rc.settings_get("No_Such_Setting")
    with refused(400, "error-invalid-setting"):
        admin_rc.settings_update("No_Such_Setting", "x")


def test_a_setting_takes_only_values_of_its_type(admin_rc: RocketChat) -> None:
    with refused(400):
        admin_rc.settings_update("API_Default_Count", "lots")
    assert admin_rc.settings_get("API_Default_Count")["value"] == 50


def test_only_administrators_see_private_settings(server_url: str, admin_rc: RocketChat) -> None:
    admin_ids = {s["_id"] for s in admin_rc.settings()}
    assert {"Site_Name", "Accounts_BlockedUsernameList"} <= admin_ids
    make_user(admin_rc, "quinn")
    quinn = sign_in(server_url, "quinn")
    quinn_ids = {s["_id"] for s in quinn.settings()}
    assert "Site_Name" in quinn_ids and "Accounts_BlockedUsernameList" not in quinn_ids
    with refused(403):
        quinn.settings_get("Accounts_BlockedUsernameList")
    assert admin_rc.service_configurations()["configurations"] == []


# Roles and permissions


def test_the_shipped_roles_are_listed(admin_rc: RocketChat) -> None:
    roles = {r["_id"]: r for r in admin_rc.roles_list()["roles"]}
    assert {"admin", "user", "owner", "moderator"} <= set(roles)
    assert roles["owner"]["scope"] == "Subscriptions" and roles["admin"]["scope"] == "Users"
    assert roles["admin"]["protected"] is True


def test_a_custom_role_is_given_taken_and_deleted(server_url: str, admin_rc: RocketChat) -> None:
    before = datetime.now(UTC)  # client and server share a clock
    make_user(admin_rc, "rita")
    role = admin_rc.roles_create("reviewer", description="Reviews things")["role"]
    assert role["name"] == "reviewer" and role["scope"] == "Users" and role["protected"] is False
    synced = admin_rc.roles_sync(updated_since=iso(before))["roles"]["update"]
    assert [r["_id"] for r in synced] == [role["_id"]]
    with refused(400, "error-duplicate-role-names-not-allowed"):
        admin_rc.roles_create("reviewer")

    admin_rc.roles_add_user_to_role(role["_id"], "rita")
    holders = [u["username"] for u in admin_rc.roles_get_users_in_role(role=role["_id"])]
    assert holders == ["rita"]
    rita = sign_in(server_url, "rita")
    assert role["_id"] in rita.me()["roles"]
    with refused(400, "error-role-in-use"):
        admin_rc.roles_delete(role["_id"])

    admin_rc.roles_remove_user_from_role(role["_id"], "rita")
    assert list(admin_rc.roles_get_users_in_role(role=role["_id"])) == []
    assert rita.me()["roles"] == ["user"]  # her open session sees the change
    assert admin_rc.roles_delete(role["_id"])["success"] is True
    assert role["_id"] not in {r["_id"] for r in admin_rc.roles_list()["roles"]}


def test_a_room_role_is_given_in_a_room(server_url: str, admin_rc: RocketChat) -> None:
    make_user(admin_rc, "uma")
    with refused(400, "invalid-params"):
        admin_rc.roles_add_user_to_role("moderator", "uma")  # which room?
    admin_rc.roles_add_user_to_role("moderator", "uma", roomId="GENERAL")
    in_general = admin_rc.roles_get_users_in_role("moderator", roomId="GENERAL")
    assert [u["username"] for u in in_general] == ["uma"]
    assert sign_in(server_url, "uma").me()["roles"] == ["user"]  # not a global moderator
    admin_rc.roles_remove_user_from_role("moderator", "uma", roomId="GENERAL")
    assert list(admin_rc.roles_get_users_in_role("moderator", roomId="GENERAL")) == []


def test_protected_roles_cannot_be_deleted(admin_rc: RocketChat) -> None:
    with refused(400, "error-role-protected"):
        admin_rc.roles_delete("moderator")


def test_revoking_a_permission_takes_it_from_the_role_at_once(
    server_url: str, admin_rc: RocketChat
) -> None:
    make_user(admin_rc, "sam")
    sam = sign_in(server_url, "sam")
    assert any(u["username"] == "sam" for u in sam.users_list())
    granted = {p["_id"]: p["roles"] for p in admin_rc.permissions_list_all()["update"]}
    roles = granted["view-d-room"]
    assert "user" in roles
    without_user = [r for r in roles if r != "user"]
    answer = admin_rc.permissions_update([{"_id": "view-d-room", "roles": without_user}])
    try:
        changed = {p["_id"]: p["roles"] for p in answer["permissions"]}
        assert changed["view-d-room"] == without_user
        with refused(403):
            sam.users_list()
    finally:
        admin_rc.permissions_update([{"_id": "view-d-room", "roles": roles}])
    assert any(u["username"] == "sam" for u in sam.users_list())


def test_unknown_permissions_and_roles_are_refused(admin_rc: RocketChat) -> None:
    with refused(400, "error-invalid-permission"):
        admin_rc.permissions_update([{"_id": "no-such-permission", "roles": ["admin"]}])
    with refused(400, "error-invalid-role"):
        admin_rc.permissions_update([{"_id": "view-d-room", "roles": ["no-such-role"]}])


# Statistics, directory, spotlight


def test_statistics_count_the_workspace(admin_rc: RocketChat) -> None:
    stats = admin_rc.statistics(refresh="true")
    assert stats["success"] is True and stats["totalUsers"] >= 2  # admin and rocket.cat at least
    assert stats["totalChannels"] >= 1  # GENERAL
    snapshots = list(admin_rc.statistics_list())
    assert snapshots and snapshots[0]["_id"] == stats["_id"]


def test_statistics_are_for_administrators(server_url: str, admin_rc: RocketChat) -> None:
    make_user(admin_rc, "tess")
    with refused(403):
        sign_in(server_url, "tess").statistics()


def test_directory_and_spotlight_find_the_admin(admin_rc: RocketChat) -> None:
    found = list(admin_rc.directory({"text": "", "type": "users"}))
    assert ADMIN[0] in {u["username"] for u in found}
    channels = list(admin_rc.directory({"text": "gen", "type": "channels"}))
    assert [c["name"] for c in channels] == ["general"]
    spotted = admin_rc.spotlight("@ad")
    assert [u["username"] for u in spotted["users"]] == [ADMIN[0]]
    assert spotted["rooms"] == []
