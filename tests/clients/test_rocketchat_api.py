"""The PyPI `rocketchat-API` client (not ours) against a live Chinwag server."""

import pytest
from rocketchat_API.APIExceptions.RocketExceptions import (
    RocketApiException,
    RocketAuthenticationException,
)
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import ADMIN

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def admin_rc(server_url: str) -> RocketChat:
    return RocketChat(ADMIN[0], ADMIN[1], server_url=server_url)


def test_info_and_admin_login(server_url: str, admin_rc: RocketChat) -> None:
    info = admin_rc.info()
    assert info["success"] is True and info["version"].startswith("8.")
    me = admin_rc.me()
    assert me["username"] == ADMIN[0] and "admin" in me["roles"]


def test_register_then_login_as_the_new_user(server_url: str, admin_rc: RocketChat) -> None:
    anon = RocketChat(server_url=server_url)
    created = anon.users_register(
        email="carol@example.com", name="Carol", password="carol-pass-1", username="carol"
    )
    assert created["user"]["username"] == "carol"
    carol = RocketChat("carol", "carol-pass-1", server_url=server_url)
    assert carol.me()["roles"] == ["user"]
    by_email = RocketChat("carol@example.com", "carol-pass-1", server_url=server_url)
    assert by_email.me()["_id"] == created["user"]["_id"]


def test_bad_password_raises_the_clients_auth_error(server_url: str) -> None:
    with pytest.raises(RocketAuthenticationException):
        RocketChat(ADMIN[0], "wrong", server_url=server_url)


def test_admin_creates_looks_up_and_lists_users(admin_rc: RocketChat) -> None:
    made = admin_rc.users_create(
        email="dave@example.com", name="Dave", password="dave-pass-1", username="dave"
    )
    uid = made["user"]["_id"]
    assert admin_rc.users_info(user_id=uid)["user"]["username"] == "dave"
    assert admin_rc.users_info(username="dave")["user"]["_id"] == uid
    usernames = [u["username"] for u in admin_rc.users_list(count=2)]
    assert {"admin", "dave", "rocket.cat"} <= set(usernames)
    assert len(usernames) == len(set(usernames))


def test_errors_arrive_as_rocketchat_envelopes(admin_rc: RocketChat) -> None:
    with pytest.raises(RocketApiException) as caught:
        admin_rc.users_info(username="no-such-user")
    assert caught.value.status_code == 400
    assert caught.value.error_type == "error-invalid-user"
