"""Password recovery and invitations by mail through the PyPI `rocketchat-API` client, against
a live server whose background sender delivers to a real SMTP server (aiosmtpd)."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import live_server, store_env
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
from tests.mail_support import SmtpServer, link_in, smtp

__all__ = ["smtp"]  # the fixture, used by name

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "e2e-new-pass-456"


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[str]:
    """This module's server mails through the test SMTP server, set up as an operator would."""
    data: Path = tmp_path_factory.mktemp("live")
    env = {
        **store_env(),
        "OVERWRITE_SETTING_SMTP_Host": "127.0.0.1",
        "OVERWRITE_SETTING_SMTP_Port": str(smtp.port),
        "OVERWRITE_SETTING_From_Email": "chat@example.com",
        # Verified addresses would bring mailed login codes; test_rc_two_factor.py has those.
        "OVERWRITE_SETTING_Accounts_TwoFactorAuthentication_By_Email_Enabled": "false",
    }
    with live_server(data, env) as url:
        yield url


def reset_over_call_anon(client: RocketChat, token: str, password: str) -> dict[str, Any]:
    """What the reset page does: the DDP method resetPassword through method.callAnon."""
    message = {"msg": "method", "id": "1", "method": "resetPassword", "params": [token, password]}
    answer = client.call_api_post(
        "method.callAnon/resetPassword", body={"message": json.dumps(message)}
    )
    result: dict[str, Any] = json.loads(answer["message"])
    return result


def test_a_forgotten_password_is_reset_from_the_mail(server_url: str, smtp: SmtpServer) -> None:
    admin = sign_in_admin(server_url)
    make_user(admin, "frank")
    frank = sign_in(server_url, "frank")
    visitor = anonymous(server_url)
    assert visitor.users_forgot_password("frank@example.com")["success"] is True
    assert visitor.users_forgot_password("ghost@example.com")["success"] is True

    [mail] = smtp.inbox.wait_for("frank@example.com")
    assert mail["From"] == "Chinwag <chat@example.com>"
    url, kind, token = link_in(mail)
    assert kind == "reset-password"
    page = httpx.get(server_url + urlsplit(url).path)
    assert page.status_code == 200 and "Choose a new password" in page.text

    result = reset_over_call_anon(visitor, token, NEW_PASSWORD)["result"]
    with refused(401):
        frank.me()  # the session from before the reset has ended
    fresh = RocketChat(user_id=result["id"], auth_token=result["token"], server_url=server_url)
    assert fresh.me()["username"] == "frank"
    assert sign_in(server_url, "frank", NEW_PASSWORD).me()["emails"][0]["verified"] is True

    again = reset_over_call_anon(visitor, token, "e2e-third-pass-789")
    assert again["error"]["error"] == 403 and again["error"]["reason"] == "Token expired"
    assert smtp.inbox.to("ghost@example.com") == []


def test_an_invitation_by_mail_ends_in_a_new_account(server_url: str, smtp: SmtpServer) -> None:
    admin = sign_in_admin(server_url)
    with (
        changed_setting(admin, "Accounts_RegistrationForm_SecretURL", "e2e-secret"),
        changed_setting(admin, "Accounts_RegistrationForm", "Secret URL"),
    ):
        assert admin.send_invitation_email(["gina@example.com"])["success"] is True
        [mail] = smtp.inbox.wait_for("gina@example.com")
        _, kind, secret = link_in(mail)
        assert (kind, secret) == ("register", "e2e-secret")
        user = register(anonymous(server_url), "gina", secretURL=secret)
    assert user["username"] == "gina"
    assert sign_in(server_url, "gina", PASSWORD).me()["username"] == "gina"
