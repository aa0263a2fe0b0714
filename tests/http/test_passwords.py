"""Rocket.Chat's password policy, the common-password check, and login token expiry."""

import hashlib
import json
from datetime import timedelta

import httpx

from chinwag.actions.deps import Deps
from chinwag.domain.password_policy import common_passwords, is_common_password
from tests.conftest import PASSWORD, Persona, assert_error, log_in
from tests.conftest_helpers import set_setting
from tests.http.chat_support import shift_clock

API = "/api/v1"


async def register(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    body = {"username": username, "email": f"{username}@example.com", "pass": password}
    return await client.post(f"{API}/users.register", json={**body, "name": username})


async def policy_on(deps: Deps) -> None:
    await set_setting(deps, "Accounts_Password_Policy_Enabled", True)


def test_the_shipped_list_holds_ten_thousand_common_passwords() -> None:
    assert len(common_passwords()) == 10_000
    assert is_common_password("password") and is_common_password("Qwerty ")
    assert not is_common_password(PASSWORD)


async def test_common_passwords_are_refused_unless_the_check_is_off(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    body = assert_error(await register(client, "dana", "letmein"), 400)
    assert body["errorType"] == "error-password-policy-not-met-commonPassword"
    assert body["details"] == {
        "reasons": [
            {
                "error": "error-password-policy-not-met-commonPassword",
                "message": "The password is one of the most commonly used passwords.",
            }
        ]
    }
    await set_setting(deps, "Accounts_Password_Policy_ForbidCommonPasswords", False)
    assert (await register(client, "dana", "letmein")).status_code == 200


async def test_the_policy_gives_rocket_chats_error_ids(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await policy_on(deps)
    cases = {
        "Ab1!": "minLength",
        "abcdefgh1!": "oneUppercase",
        "ABCDEFGH1!": "oneLowercase",
        "Abcdefgh!!": "oneNumber",
        "Abcdefgh12": "oneSpecial",
        "Abcddddd1!": "repeatingCharacters",
    }
    for password, rule in cases.items():
        body = assert_error(await register(client, "dana", password), 400)
        assert body["errorType"] == f"error-password-policy-not-met-{rule}", password
    everything = assert_error(await register(client, "dana", "aaaa"), 400)
    reasons = [r["error"].rsplit("-", 1)[-1] for r in everything["details"]["reasons"]]  # type: ignore[index]
    assert reasons == [
        "minLength",
        "repeatingCharacters",
        "oneUppercase",
        "oneNumber",
        "oneSpecial",
    ]
    assert (await register(client, "dana", "Abcdef1!")).status_code == 200


async def test_the_policy_holds_for_admins_and_own_changes_too(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await policy_on(deps)
    create = {"username": "erin", "email": "erin@example.com", "name": "Erin", "password": "weak"}
    r = await client.post(f"{API}/users.create", json=create, headers=admin.headers)
    assert_error(r, 400, "error-password-policy-not-met-minLength")
    update = {"userId": alice.id, "data": {"password": "weak"}}
    r = await client.post(f"{API}/users.update", json=update, headers=admin.headers)
    assert_error(r, 400, "error-password-policy-not-met-minLength")
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    own = {"data": {"newPassword": "weakling", "currentPassword": digest}}
    r = await client.post(f"{API}/users.updateOwnBasicInfo", json=own, headers=alice.headers)
    assert_error(r, 400, "error-password-policy-not-met-oneUppercase")


async def test_get_policy_describes_it_as_rocket_chat_does(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    off = (await client.get(f"{API}/pw.getPolicy", headers=alice.headers)).json()
    assert off == {"enabled": False, "policy": [], "success": True}
    await policy_on(deps)
    await set_setting(deps, "Accounts_Password_Policy_MaxLength", 64)
    on = (await client.get(f"{API}/pw.getPolicy", headers=alice.headers)).json()
    assert on["enabled"] is True
    assert on["policy"] == [
        ["get-password-policy-minLength", {"minLength": 7}],
        ["get-password-policy-maxLength", {"maxLength": 64}],
        ["get-password-policy-forbidRepeatingCharacters"],
        [
            "get-password-policy-forbidRepeatingCharactersCount",
            {"forbidRepeatingCharactersCount": 3},
        ],
        ["get-password-policy-mustContainAtLeastOneLowercase"],
        ["get-password-policy-mustContainAtLeastOneUppercase"],
        ["get-password-policy-mustContainAtLeastOneNumber"],
        ["get-password-policy-mustContainAtLeastOneSpecialCharacter"],
    ]
    assert (await client.get(f"{API}/pw.getPolicy")).status_code == 401
    bad = await client.get(f"{API}/pw.getPolicyReset", params={"token": "not-a-reset-token"})
    assert bad.status_code == 401 and bad.json()["success"] is False
    assert_error(await client.get(f"{API}/pw.getPolicyReset"), 400)


async def test_a_reset_refuses_a_common_password_even_as_a_digest(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    from chinwag.actions.password_reset import RESET
    from chinwag.domain.passwords import hash_login_token

    async with deps.uow() as uow:
        now = deps.clock.now()
        hashed = hash_login_token("reset-token")
        later = now + timedelta(hours=1)
        await uow.email_tokens.insert_token(
            hashed, alice.id, RESET, "alice@example.com", now, later
        )
    policy = await client.get(f"{API}/pw.getPolicyReset", params={"token": "reset-token"})
    assert policy.status_code == 200 and policy.json()["enabled"] is False
    digest = {"digest": hashlib.sha256(b"Password").hexdigest(), "algorithm": "sha-256"}
    message = {
        "msg": "method",
        "id": "1",
        "method": "resetPassword",
        "params": ["reset-token", digest],
    }
    r = await client.post(
        f"{API}/method.callAnon/resetPassword", json={"message": json.dumps(message)}
    )
    error = json.loads(r.json()["message"])["error"]
    assert error["error"] == "error-password-policy-not-met-commonPassword"


async def test_login_tokens_older_than_the_expiration_are_refused(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    shift_clock(deps, timedelta(days=3))
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    # Shortened through the API, as an administrator would: older tokens die at once.
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    r = await client.post(
        f"{API}/settings/Accounts_LoginExpiration",
        json={"value": 2},
        headers={**admin.headers, "x-2fa-code": digest, "x-2fa-method": "password"},
    )
    assert r.status_code == 200, r.text
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 401
    resumed = await client.post(f"{API}/login", json={"resume": alice.token})
    assert resumed.status_code == 401
    fresh = await log_in(client, "alice")
    assert (await client.get(f"{API}/me", headers=fresh.headers)).status_code == 200
    shift_clock(deps, timedelta(days=5))
    assert (await client.get(f"{API}/me", headers=fresh.headers)).status_code == 401
