"""Two-factor login end to end on a live server: the PyPI `rocketchat-API` client and a plain
DDP client meet `totp-required` and log in with the code; mailed codes reach a real SMTP
server (aiosmtpd) through the background sender."""

import asyncio
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
import requests
from rocketchat_API.APIExceptions.RocketExceptions import RocketAuthenticationException
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import live_server, store_env
from tests.clients.rc import PASSWORD, make_user, sign_in, sign_in_admin
from tests.ddp.ddp_client import connect, digest
from tests.mail_support import CODE, SmtpServer, smtp, text_of

__all__ = ["smtp"]  # the fixture, used by name

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[str]:
    data: Path = tmp_path_factory.mktemp("live-2fa")
    env = {
        **store_env(),
        "OVERWRITE_SETTING_SMTP_Host": "127.0.0.1",
        "OVERWRITE_SETTING_SMTP_Port": str(smtp.port),
        # Nobody is opted in to mailed codes here (the admin signs in plainly); vera turns
        # them on herself.
        "OVERWRITE_SETTING_Accounts_TwoFactorAuthentication_By_Email_Auto_Opt_In": "false",
    }
    with live_server(data, env) as url:
        yield url


def call(client: RocketChat, method: str, *params: Any) -> dict[str, Any]:
    """A DDP method through the REST bridge (method.call), as Rocket.Chat's web client sends it."""
    message = json.dumps({"msg": "method", "id": "1", "method": method, "params": list(params)})
    answer = client.call_api_post(f"method.call/{method}", message=message)
    result: dict[str, Any] = json.loads(answer["message"])
    return result


def enrol(client: RocketChat) -> pyotp.TOTP:
    enabled = call(client, "2fa:enable")["result"]
    totp = pyotp.TOTP(enabled["secret"])
    assert len(call(client, "2fa:validateTempToken", totp.now())["result"]["codes"]) == 12
    return totp


def with_code(code: str) -> requests.Session:
    """The client's own login, with the code as the x-2fa-code header Rocket.Chat reads."""
    session = requests.Session()
    session.headers["x-2fa-code"] = code
    return session


def test_the_rocketchat_api_client_logs_in_with_a_totp_code(server_url: str) -> None:
    admin = sign_in_admin(server_url)
    make_user(admin, "tara")
    totp = enrol(sign_in(server_url, "tara"))

    with pytest.raises(RocketAuthenticationException):
        sign_in(server_url, "tara")
    challenge = requests.post(
        f"{server_url}/api/v1/login", json={"username": "tara", "password": PASSWORD}, timeout=10
    )
    assert challenge.status_code == 401
    assert challenge.json()["error"] == "totp-required"
    assert challenge.json()["details"]["method"] == "totp"

    client = RocketChat("tara", PASSWORD, server_url=server_url, session=with_code(totp.now()))
    assert client.me()["username"] == "tara"
    assert client.me()["services"]["totp"] == {"enabled": True}
    by_body = requests.post(
        f"{server_url}/api/v1/login",
        json={"username": "tara", "password": PASSWORD, "code": totp.now()},
        timeout=10,
    )
    assert by_body.status_code == 200 and by_body.json()["status"] == "success"


def test_a_ddp_client_meets_totp_required_then_logs_in_with_the_code(server_url: str) -> None:
    admin = sign_in_admin(server_url)
    make_user(admin, "uma")
    totp = enrol(sign_in(server_url, "uma"))

    async def run() -> None:
        async with connect(server_url) as ddp:
            request = {"user": {"username": "uma"}, "password": digest(PASSWORD)}
            refused = await ddp.call("login", request)
            error = refused["error"]
            assert error["error"] == "totp-required" and error["reason"] == "TOTP Required"
            assert error["details"] == {
                "method": "totp",
                "codeGenerated": False,
                "availableMethods": ["totp"],
            }
            wrong = await ddp.call("login", {"totp": {"login": request, "code": "12345678"}})
            assert wrong["error"]["error"] == "totp-invalid"
            answer = await ddp.call("login", {"totp": {"login": request, "code": totp.now()}})
            assert answer["result"]["type"] == "password" and answer["result"]["token"]
            remaining = await ddp.call("2fa:checkCodesRemaining")
            assert remaining["result"] == {"remaining": 12}

    asyncio.run(run())


def test_a_mailed_code_reaches_the_inbox_and_logs_in(server_url: str, smtp: SmtpServer) -> None:
    admin = sign_in_admin(server_url)
    make_user(admin, "vera", verified=True)
    assert sign_in(server_url, "vera").call_api_post("users.2fa.enableEmail")["success"] is True

    challenge = requests.post(
        f"{server_url}/api/v1/login", json={"username": "vera", "password": PASSWORD}, timeout=10
    )
    assert challenge.status_code == 401
    assert challenge.json()["details"]["method"] == "email"
    assert challenge.json()["details"]["codeGenerated"] is True
    [mail] = smtp.inbox.wait_for("vera@example.com")
    found = CODE.search(text_of(mail))
    assert found is not None
    code = found.group(1) + found.group(2)
    assert code not in json.dumps(challenge.json())

    client = RocketChat("vera", PASSWORD, server_url=server_url, session=with_code(code))
    assert client.me()["username"] == "vera"
    with pytest.raises(RocketAuthenticationException):
        RocketChat("vera", PASSWORD, server_url=server_url, session=with_code(code))


def test_a_guarded_call_takes_the_password_digest_as_its_code(server_url: str) -> None:
    admin = sign_in_admin(server_url)
    make_user(admin, "wren")
    wren = sign_in(server_url, "wren")
    wren.headers["x-2fa-code"] = hashlib.sha256(PASSWORD.encode()).hexdigest()
    wren.headers["x-2fa-method"] = "password"
    made = wren.call_api_post("users.generatePersonalAccessToken", tokenName="ci")
    assert made["success"] is True and len(made["token"]) == 43
