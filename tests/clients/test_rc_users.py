"""Registration, login and the users.* family through the PyPI `rocketchat-API` client."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from rocketchat_API.APIExceptions.RocketExceptions import RocketAuthenticationException
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import ADMIN, live_server, store_env
from tests.clients.rc import (
    PASSWORD,
    anonymous,
    changed_setting,
    make_user,
    refused,
    register,
    sign_in,
    sign_in_admin,
)

pytestmark = pytest.mark.e2e

TOKEN_SECRET = "e2e-create-token-secret"


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's server also issues tokens for users to holders of its secret."""
    data: Path = tmp_path_factory.mktemp("live")
    env = {**store_env(), "CREATE_TOKENS_FOR_USERS_SECRET": TOKEN_SECRET}
    with live_server(data, env) as url:
        yield url


@pytest.fixture(scope="module")
def admin_rc(server_url: str) -> RocketChat:
    return sign_in_admin(server_url)


# Signing up


def test_manually_approved_sign_ups_wait_for_an_administrator(
    server_url: str, admin_rc: RocketChat
) -> None:
    with changed_setting(admin_rc, "Accounts_ManuallyApproveNewUsers", True):
        user = register(anonymous(server_url), "waiting", reason="I work with the admin")
    assert user["active"] is False
    with pytest.raises(RocketAuthenticationException):
        sign_in(server_url, "waiting")
    approved = admin_rc.users_set_active_status(user["_id"], True)
    assert approved["user"] == {"_id": user["_id"], "active": True}
    assert sign_in(server_url, "waiting").me()["username"] == "waiting"


def test_the_allowed_domains_refuse_other_addresses(server_url: str, admin_rc: RocketChat) -> None:
    visitor = anonymous(server_url)
    with changed_setting(admin_rc, "Accounts_AllowedDomainsList", "example.com"):
        with refused(400, "error-invalid-domain"):
            visitor.users_register(
                email="mallory@elsewhere.org", name="Mallory", password=PASSWORD, username="mal"
            )
        assert register(visitor, "insider")["username"] == "insider"
    # Once the list is cleared, the other domain is welcome again.
    created = visitor.users_register(
        email="mallory@elsewhere.org", name="Mallory", password=PASSWORD, username="mal"
    )
    assert created["user"]["username"] == "mal"


def test_blocked_usernames_are_refused_in_any_case(server_url: str, admin_rc: RocketChat) -> None:
    visitor = anonymous(server_url)
    with changed_setting(admin_rc, "Accounts_BlockedUsernameList", "root, Support"):
        with refused(400, "error-blocked-username"):
            register(visitor, "support")
        with refused(400, "error-blocked-username"):
            register(visitor, "ROOT")
    assert register(visitor, "support")["username"] == "support"


def test_a_signed_in_user_cannot_register_again(admin_rc: RocketChat) -> None:
    with refused(400, "error-not-allowed"):
        register(admin_rc, "twice")


# Administering users


def test_admin_creates_a_user_and_looks_them_up(admin_rc: RocketChat) -> None:
    uid = make_user(admin_rc, "erin", roles=["user"])
    by_id = admin_rc.users_info(user_id=uid)["user"]
    assert by_id["username"] == "erin" and by_id["name"] == "Erin"
    assert by_id["emails"] == [{"address": "erin@example.com", "verified": False}]
    assert admin_rc.users_info(username="erin")["user"]["_id"] == uid
    assert "services" not in by_id  # no password hash ever leaves the server
    with refused(400, "error-field-unavailable"):
        make_user(admin_rc, "erin")


def test_the_clients_user_list_pages_through_everyone_once(admin_rc: RocketChat) -> None:
    made = {f"pager{n}" for n in range(8)}
    for name in sorted(made):
        make_user(admin_rc, name)
    usernames = [u["username"] for u in admin_rc.users_list(count=3)]
    assert len(usernames) == len(set(usernames))
    assert made | {ADMIN[0], "rocket.cat"} <= set(usernames)
    total = admin_rc.call_api_get("users.list", count=1)["total"]
    assert len(usernames) == total
    assert [u["username"] for u in admin_rc.users_list(count=3, max_count=4)] == usernames[:4]


def test_admin_renames_a_user_and_changes_their_email(
    server_url: str, admin_rc: RocketChat
) -> None:
    uid = make_user(admin_rc, "frank")
    updated = admin_rc.users_update(uid, name="Frank Renamed", email="frank@new.example.com")
    assert updated["user"]["name"] == "Frank Renamed"
    assert updated["user"]["emails"][0]["address"] == "frank@new.example.com"
    frank = sign_in(server_url, "frank@new.example.com")
    assert frank.me()["name"] == "Frank Renamed"
    with pytest.raises(RocketAuthenticationException):
        sign_in(server_url, "frank@example.com")


def test_a_status_message_shows_in_presence_and_profile(
    server_url: str, admin_rc: RocketChat
) -> None:
    uid = make_user(admin_rc, "gina")
    gina = sign_in(server_url, "gina")
    assert gina.users_set_status("In a meeting", status="busy")["success"] is True
    assert admin_rc.users_get_presence(user_id=uid)["presence"] == "busy"
    assert admin_rc.users_get_presence(username="gina")["presence"] == "busy"
    own = gina.users_get_presence(user_id=uid)
    assert own["presence"] == "busy" and "connectionStatus" in own
    assert admin_rc.users_info(user_id=uid)["user"]["statusText"] == "In a meeting"
    with refused(400):
        gina.users_set_status("x", status="sleepy")


def test_preferences_round_trip(server_url: str, admin_rc: RocketChat) -> None:
    uid = make_user(admin_rc, "hana")
    hana = sign_in(server_url, "hana")
    defaults = hana.users_get_preferences()["preferences"]
    assert defaults["hideUsernames"] is False
    saved = hana.users_set_preferences(uid, {"hideUsernames": True, "idleTimeLimit": 600})
    assert saved["user"]["settings"]["preferences"]["hideUsernames"] is True
    prefs = hana.users_get_preferences()["preferences"]
    assert prefs["hideUsernames"] is True and prefs["idleTimeLimit"] == 600
    assert hana.me()["settings"]["preferences"]["idleTimeLimit"] == 600
    with refused(400):
        hana.users_set_preferences(uid, {"noSuchPreference": 1})


def test_an_avatar_link_needs_no_login(server_url: str, admin_rc: RocketChat) -> None:
    make_user(admin_rc, "ivan")
    # users.getAvatar redirects; the client follows the redirect to the image itself.
    image = anonymous(server_url).users_get_avatar(username="ivan")
    assert isinstance(image, str) and "<svg" in image


def test_a_deactivated_user_is_locked_out_until_reactivated(
    server_url: str, admin_rc: RocketChat
) -> None:
    uid = make_user(admin_rc, "jack")
    jack = sign_in(server_url, "jack")
    assert jack.me()["_id"] == uid
    assert admin_rc.users_set_active_status(uid, False)["user"]["active"] is False
    with refused(401):
        jack.me()
    with pytest.raises(RocketAuthenticationException):
        sign_in(server_url, "jack")
    admin_rc.users_set_active_status(uid, True)
    with refused(401):
        jack.me()  # deactivation ended that session for good
    assert sign_in(server_url, "jack").me()["_id"] == uid


def test_a_deleted_user_is_gone(server_url: str, admin_rc: RocketChat) -> None:
    uid = make_user(admin_rc, "kate")
    kate = sign_in(server_url, "kate")
    assert admin_rc.users_delete(uid)["success"] is True
    with refused(400, "error-invalid-user"):
        admin_rc.users_info(user_id=uid)
    with refused(401):
        kate.me()
    with refused(400, "error-invalid-user"):
        admin_rc.users_delete(uid)


def test_plain_users_are_refused_administration(server_url: str, admin_rc: RocketChat) -> None:
    target = make_user(admin_rc, "liam")
    make_user(admin_rc, "mona")
    mona = sign_in(server_url, "mona")
    with refused(403):
        make_user(mona, "sneaky")
    with refused(403):
        mona.users_delete(target)
    with refused(403):
        mona.users_set_active_status(target, False)
    with refused(403):
        mona.settings_update("Site_Name", "Hijacked")
    with refused(403):
        mona.permissions_update([{"_id": "view-d-room", "roles": ["admin"]}])
    with refused(403):
        mona.roles_create("overlords")
    assert admin_rc.users_info(user_id=target)["user"]["active"] is True
    assert [s["value"] for s in anonymous(server_url).settings_public(_id="Site_Name")] == [
        "Chinwag"
    ]


# Sessions and tokens


def test_logging_out_ends_only_that_session(server_url: str, admin_rc: RocketChat) -> None:
    make_user(admin_rc, "nina")
    laptop, phone = sign_in(server_url, "nina"), sign_in(server_url, "nina")
    assert laptop.logout()["status"] == "success"
    with refused(401):
        laptop.me()
    assert phone.me()["username"] == "nina"


def test_a_token_made_with_the_servers_secret_signs_the_user_in(
    server_url: str, admin_rc: RocketChat
) -> None:
    uid = make_user(admin_rc, "olga")
    made = admin_rc.users_create_token(uid, TOKEN_SECRET)["data"]
    assert made["userId"] == uid
    olga = RocketChat(auth_token=made["authToken"], user_id=uid, server_url=server_url)
    assert olga.me()["username"] == "olga"
    with refused(400, "error-not-authorized"):
        admin_rc.users_create_token(uid, "not-the-secret")


def test_a_personal_access_token_signs_the_user_in(server_url: str, admin_rc: RocketChat) -> None:
    uid = make_user(admin_rc, "pete")
    pete = sign_in(server_url, "pete")
    token = pete.call_api_post("users.generatePersonalAccessToken", tokenName="ci")["token"]
    ci = RocketChat(auth_token=token, user_id=uid, server_url=server_url)
    assert ci.me()["username"] == "pete"
    listed = pete.call_api_get("users.getPersonalAccessTokens")["tokens"]
    assert [(t["name"], t["lastTokenPart"]) for t in listed] == [("ci", token[-6:])]
    with refused(400, "error-token-already-exists"):
        pete.call_api_post("users.generatePersonalAccessToken", tokenName="ci")
    pete.call_api_post("users.removePersonalAccessToken", tokenName="ci")
    with refused(401):
        ci.me()
