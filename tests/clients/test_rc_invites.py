"""Invite links as the PyPI `rocketchat-API` client lives them, against a live server."""

import pytest
from rocketchat_API.rocketchat import RocketChat

from tests.clients.rc import (
    anonymous,
    changed_setting,
    make_user,
    refused,
    register,
    sign_in,
    sign_in_admin,
)

pytestmark = pytest.mark.e2e

GENERAL = "GENERAL"


@pytest.fixture(scope="module")
def admin_rc(server_url: str) -> RocketChat:
    return sign_in_admin(server_url)


def uses_of(admin: RocketChat, token: str) -> int:
    """How many members an invite has let in, as listInvites (a bare array) reports it."""
    [invite] = [i for i in admin.list_invites() if i["_id"] == token]
    uses: int = invite["uses"]
    return uses


def test_only_rocketchats_use_caps_are_offered(admin_rc: RocketChat) -> None:
    with refused(400, "invalid-number-of-uses"):
        admin_rc.find_or_create_invite(rid=GENERAL, days=1, max_uses=2)


def test_a_newcomer_signs_up_through_an_invite_link_until_it_is_used_up(
    server_url: str, admin_rc: RocketChat
) -> None:
    invite = admin_rc.find_or_create_invite(rid=GENERAL, days=1, max_uses=5)
    token = invite["_id"]
    assert invite["rid"] == GENERAL and invite["maxUses"] == 5 and invite["uses"] == 0
    port = server_url.rsplit(":", 1)[1]
    assert invite["url"].endswith(f":{port}/invite/{token}")  # Site_Url names the server
    # The same terms give back the same live link.
    assert admin_rc.find_or_create_invite(rid=GENERAL, days=1, max_uses=5)["_id"] == token
    visitor = anonymous(server_url)
    assert visitor.validate_invite_token(token)["valid"] is True

    with changed_setting(admin_rc, "Accounts_RegistrationForm", "Secret URL"):
        with refused(400, "error-user-registration-secret"):
            register(visitor, "gatecrasher")

        newcomer_user = register(visitor, "newcomer", secretURL=token)
        newcomer = sign_in(server_url, "newcomer")
        assert newcomer.me()["_id"] == newcomer_user["_id"]
        assert uses_of(admin_rc, token) == 1
        # The web client reports the token again after signing in: not a second use.
        assert newcomer.use_invite_token(token)["room"]["rid"] == GENERAL
        assert uses_of(admin_rc, token) == 1

        for n in range(4):
            name = f"member{n}"
            make_user(admin_rc, name, joinDefaultChannels=False)
            joined = sign_in(server_url, name).use_invite_token(token)
            assert joined["success"] is True and joined["room"]["rid"] == GENERAL
        assert uses_of(admin_rc, token) == 5

        assert visitor.validate_invite_token(token)["valid"] is False
        with refused(400, "error-user-registration-secret"):
            register(visitor, "latecomer", secretURL=token)
        make_user(admin_rc, "straggler", joinDefaultChannels=False)
        with refused(400, "error-invite-expired"):
            sign_in(server_url, "straggler").use_invite_token(token)

    assert admin_rc.remove_invite(token) is True
    assert token not in [i["_id"] for i in admin_rc.list_invites()]
    assert visitor.validate_invite_token(token)["valid"] is False


def test_who_came_in_through_a_link_is_on_record(server_url: str, admin_rc: RocketChat) -> None:
    token = admin_rc.find_or_create_invite(rid=GENERAL, days=7, max_uses=0)["_id"]
    register(anonymous(server_url), "guest", secretURL=token)
    make_user(admin_rc, "visitor", joinDefaultChannels=False)
    sign_in(server_url, "visitor").use_invite_token(token)
    uses = admin_rc.call_api_get("invites.uses", inviteId=token)["uses"]
    assert {(u["user"]["username"], u["registered"]) for u in uses} == {
        ("guest", True),
        ("visitor", False),
    }


def test_a_removed_or_unknown_link_is_an_error_for_the_client(
    server_url: str, admin_rc: RocketChat
) -> None:
    token = admin_rc.find_or_create_invite(rid=GENERAL, days=15, max_uses=10)["_id"]
    assert admin_rc.remove_invite(token) is True
    with refused(400, "invalid-invitation-id"):
        admin_rc.remove_invite(token)
    make_user(admin_rc, "wanderer", joinDefaultChannels=False)
    with refused(400, "error-invalid-token"):
        sign_in(server_url, "wanderer").use_invite_token(token)


def test_invites_need_a_member_who_may_hand_them_out(server_url: str, admin_rc: RocketChat) -> None:
    make_user(admin_rc, "plainjane")
    plain = sign_in(server_url, "plainjane")
    with refused(403):
        plain.find_or_create_invite(rid=GENERAL, days=1, max_uses=1)
    with refused(401):
        anonymous(server_url).list_invites()
