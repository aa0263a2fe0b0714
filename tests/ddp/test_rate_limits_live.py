"""DDP rate limits and login lockouts on a live server, thresholds shrunk through the
settings API: Meteor's `too-many-requests` error, the HTTP bridge counted the same way, and
Rocket.Chat's lockout codes over DDP."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.clients.live import ADMIN
from tests.ddp.ddp_client import connect, digest, make_user, rest, rest_login

pytestmark = pytest.mark.e2e


async def set_settings(server_url: str, admin: dict[str, str], values: dict[str, Any]) -> None:
    for setting_id, value in values.items():
        answer = await rest(
            server_url, "POST", f"/settings/{setting_id}", headers=admin, json={"value": value}
        )
        assert answer["success"], answer


@pytest.fixture
async def admin(server_url: str) -> AsyncIterator[dict[str, str]]:
    """The admin's headers; the limits tried here are switched off again afterwards."""
    headers = await rest_login(server_url, ADMIN[0], ADMIN[1])
    yield headers
    await set_settings(
        server_url,
        headers,
        {
            "DDP_Rate_Limit_Connection_By_Method_Enabled": False,
            "DDP_Rate_Limit_User_By_Method_Enabled": False,
            "Block_Multiple_Failed_Logins_Enabled": False,
        },
    )


async def test_a_method_called_too_often_is_refused(server_url: str, admin: dict[str, str]) -> None:
    ola = await make_user(server_url, admin, "ola")
    await set_settings(
        server_url,
        admin,
        {
            "DDP_Rate_Limit_Connection_By_Method_Enabled": True,
            "DDP_Rate_Limit_Connection_By_Method_Requests_Allowed": 3,
        },
    )
    async with connect(server_url) as client:
        await client.call("login", {"resume": ola["X-Auth-Token"]})
        for _ in range(2):  # login was the first call of its own method
            assert "error" not in await client.call("getUsersOfRoom", "GENERAL", False)
        assert "error" not in await client.call("getUsersOfRoom", "GENERAL", False)
        refused = await client.call("getUsersOfRoom", "GENERAL", False)
        error = refused["error"]
        assert error["error"] == "too-many-requests" and error["details"]["timeToReset"] > 0
        assert error["reason"].startswith("Error, too many requests. Please slow down.")
        assert "error" not in await client.call("rooms/get")  # another method is counted apart
    async with connect(server_url) as fresh:  # and another connection
        await fresh.call("login", {"resume": ola["X-Auth-Token"]})
        assert "error" not in await fresh.call("getUsersOfRoom", "GENERAL", False)


async def test_the_http_bridge_counts_per_user_and_method(
    server_url: str, admin: dict[str, str]
) -> None:
    pia = await make_user(server_url, admin, "pia")
    await set_settings(
        server_url,
        admin,
        {
            "DDP_Rate_Limit_User_By_Method_Enabled": True,
            "DDP_Rate_Limit_User_By_Method_Requests_Allowed": 2,
        },
    )
    body = {"message": '{"msg":"method","id":"1","method":"rooms/get","params":[]}'}
    answers = [
        await rest(server_url, "POST", "/method.call/rooms/get", headers=pia, json=body)
        for _ in range(3)
    ]
    assert all(a["success"] for a in answers)
    assert '"too-many-requests"' not in answers[1]["message"]
    assert '"too-many-requests"' in answers[2]["message"]
    own = await rest(server_url, "POST", "/method.call/rooms/get", headers=admin, json=body)
    assert '"too-many-requests"' not in own["message"]  # admins bypass


async def test_failed_logins_block_over_ddp_too(server_url: str, admin: dict[str, str]) -> None:
    await make_user(server_url, admin, "quin")
    await set_settings(
        server_url,
        admin,
        {
            "Block_Multiple_Failed_Logins_Enabled": True,
            "Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User": 2,
        },
    )
    async with connect(server_url) as client:
        for _ in range(2):
            bad = await client.call(
                "login", {"user": {"username": "quin"}, "password": digest("nope")}
            )
            assert bad["error"]["error"] == 403
        blocked = await client.call(
            "login", {"user": {"username": "quin"}, "password": digest("quin-pass-1")}
        )
        assert blocked["error"]["error"] == "error-login-blocked-for-user"
