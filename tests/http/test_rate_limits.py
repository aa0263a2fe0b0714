"""Rate limits and lockouts, with the thresholds shrunk through settings: the REST limiter's
headers and 429, sign-up limits, and logins blocked by user and by address."""

import httpx

from chinwag.actions.deps import Deps
from chinwag.storage.tables import messages
from tests.conftest import PASSWORD, Persona, assert_error, sign_up
from tests.conftest_helpers import set_setting

API = "/api/v1"


async def limit_rest(deps: Deps, calls: int) -> None:
    await set_setting(deps, "API_Enable_Rate_Limiter", True)
    await set_setting(deps, "API_Enable_Rate_Limiter_Limit_Calls_Default", calls)


async def test_each_route_allows_its_calls_then_answers_429(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    await limit_rest(deps, 3)
    seen = []
    for _ in range(3):
        answer = await client.get(f"{API}/me", headers=alice.headers)
        assert answer.status_code == 200
        seen.append(int(answer.headers["x-ratelimit-remaining"]))
        assert answer.headers["x-ratelimit-limit"] == "3"
        assert int(answer.headers["x-ratelimit-reset"]) > 0
    assert seen == [2, 1, 0]
    refused = await client.get(f"{API}/me", headers=alice.headers)
    assert refused.status_code == 429
    body = refused.json()
    assert body["success"] is False and body["errorType"] == "error-too-many-requests"
    assert "Please slow down" in body["error"] and body["details"]["timeToReset"] > 0
    assert refused.headers["retry-after"]
    other = await client.get(
        f"{API}/users.info", params={"userId": alice.id}, headers=alice.headers
    )
    assert other.status_code == 200  # each route counts on its own


async def test_admins_bypass_and_the_limiter_can_be_switched_off(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await limit_rest(deps, 1)
    for _ in range(3):
        answer = await client.get(f"{API}/me", headers=admin.headers)
        assert answer.status_code == 200 and "x-ratelimit-limit" not in answer.headers
    await client.get(f"{API}/me", headers=alice.headers)
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 429
    await set_setting(deps, "API_Enable_Rate_Limiter", False)
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200


async def test_sign_ups_are_limited_per_route_and_per_address_per_day(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    await set_setting(deps, "API_Enable_Rate_Limiter", True)
    await sign_up(client, "first")
    second = await client.post(
        f"{API}/users.register",
        json={"username": "second", "email": "second@example.com", "pass": PASSWORD, "name": "S"},
    )
    assert second.status_code == 429  # Rate_Limiter_Limit_RegisterUser: one a minute
    await set_setting(deps, "API_Enable_Rate_Limiter", False)
    await set_setting(deps, "Accounts_Registration_Per_IP_Per_Day", 2)
    await sign_up(client, "second")
    third = await client.post(
        f"{API}/users.register",
        json={"username": "third", "email": "third@example.com", "pass": PASSWORD, "name": "T"},
    )
    assert_error(third, 429, "error-too-many-requests")
    assert "today" in third.json()["error"]


async def login(client: httpx.AsyncClient, user: str, password: str) -> httpx.Response:
    return await client.post(f"{API}/login", json={"user": user, "password": password})


async def block_after(deps: Deps, by_user: int, by_ip: int) -> None:
    await set_setting(deps, "Block_Multiple_Failed_Logins_Enabled", True)
    await set_setting(deps, "Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", by_user)
    await set_setting(deps, "Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", by_ip)


async def test_failed_logins_block_the_user_then_a_success_clears(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    await block_after(deps, by_user=3, by_ip=100)
    for _ in range(3):
        assert (await login(client, "alice", "wrong")).json()["error"] == "Unauthorized"
    blocked = await login(client, "alice", PASSWORD)  # even the right password
    assert blocked.status_code == 401
    assert blocked.json()["error"] == "error-login-blocked-for-user"
    assert blocked.json()["message"] == "Login has been temporarily blocked For User"
    assert (await login(client, "bob", PASSWORD)).status_code == 200  # others are not
    await login(client, "bob", "wrong")
    await login(client, "bob", "wrong")
    assert (await login(client, "bob", PASSWORD)).status_code == 200
    await login(client, "bob", "wrong")
    await login(client, "bob", "wrong")
    assert (await login(client, "bob", PASSWORD)).status_code == 200  # the count restarted


async def test_failed_logins_block_the_address_unless_allowed(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    await block_after(deps, by_user=100, by_ip=4)
    for name in ("nobody", "ghost", "alice", "nobody"):
        await login(client, name, "wrong")
    blocked = await login(client, "alice", PASSWORD)
    assert blocked.json()["error"] == "error-login-blocked-for-ip"
    await set_setting(deps, "Block_Multiple_Failed_Logins_Ip_Whitelist", "10.0.0.1, 127.0.0.1")
    assert (await login(client, "alice", PASSWORD)).status_code == 200


async def test_a_block_is_announced_in_the_chosen_channel(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    await block_after(deps, by_user=2, by_ip=100)
    await set_setting(deps, "Block_Multiple_Failed_Logins_Notify_Failed", True)
    await set_setting(deps, "Block_Multiple_Failed_Logins_Notify_Failed_Channel", "general")
    await login(client, "alice", "wrong")
    await login(client, "alice", "wrong")
    async with deps.reader() as uow:
        rows = await uow.conn.execute(
            messages.select().where(
                messages.c.user_id == "rocket.cat", messages.c.room_id == "GENERAL"
            )
        )
        texts = [r.msg for r in rows]
    assert texts == ["Login blocked for user alice after 2 failed attempts"]
