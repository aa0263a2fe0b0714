"""Two-factor login through the REST API and method.call: TOTP enrolment, backup codes,
codes by mail (delivered to a real aiosmtpd server), guarded calls and access tokens."""

import hashlib
import json
from datetime import timedelta
from typing import Any

import httpx
import pyotp

from chinwag.actions.deps import Deps
from tests.conftest import PASSWORD, Persona, assert_error, log_in, sign_up
from tests.conftest_helpers import set_setting
from tests.http.chat_support import shift_clock
from tests.mail_support import CODE, SmtpServer, deliver, smtp_server, text_of, use_smtp

__all__ = ["smtp_server"]  # the fixture, used by name

API = "/api/v1"
DIGEST = hashlib.sha256(PASSWORD.encode()).hexdigest()


async def call(
    client: httpx.AsyncClient, who: Persona, method: str, *params: Any, **headers: str
) -> dict[str, Any]:
    """A DDP method through method.call; the DDP result message."""
    message = {"msg": "method", "id": "1", "method": method, "params": list(params)}
    r = await client.post(
        f"{API}/method.call/{method}",
        json={"message": json.dumps(message)},
        headers={**who.headers, **headers},
    )
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = json.loads(r.json()["message"])
    return answer


async def login(client: httpx.AsyncClient, user: str, **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", None)
    body = {"user": user, "password": PASSWORD, **extra}
    return await client.post(f"{API}/login", json=body, headers=headers)


async def enrol_totp(client: httpx.AsyncClient, who: Persona) -> tuple[pyotp.TOTP, list[str]]:
    """2fa:enable then 2fa:validateTempToken with the app's first code."""
    enabled = (await call(client, who, "2fa:enable"))["result"]
    assert enabled["url"].startswith("otpauth://totp/") and enabled["secret"] in enabled["url"]
    assert enabled["qrCode"].startswith("data:image/svg+xml;base64,")
    totp = pyotp.TOTP(enabled["secret"])
    validated = await call(client, who, "2fa:validateTempToken", totp.now())
    codes: list[str] = validated["result"]["codes"]
    return totp, codes


# TOTP -----------------------------------------------------------------------------------------


async def test_a_totp_user_logs_in_with_the_apps_code(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    totp, codes = await enrol_totp(client, alice)
    assert len(codes) == 12 and len(set(codes)) == 12 and all(len(c) == 8 for c in codes)

    refused = await login(client, "alice")
    assert refused.status_code == 401
    assert refused.json() == {
        "status": "error",
        "success": False,
        "error": "totp-required",
        "message": "TOTP Required",
        "details": {"method": "totp", "codeGenerated": False, "availableMethods": ["totp"]},
    }
    wrong = await login(client, "alice", code="000000" if totp.now() != "000000" else "111111")
    assert wrong.status_code == 401 and wrong.json()["error"] == "totp-invalid"
    bad_password = await login(client, "alice", password="not it", code=totp.now())
    assert bad_password.status_code == 401 and bad_password.json()["error"] == "Unauthorized"

    ok = await login(client, "alice", code=totp.now())
    assert ok.status_code == 200, ok.text
    assert ok.json()["data"]["me"]["services"]["totp"] == {"enabled": True}
    by_header = await login(client, "alice", headers={"x-2fa-code": totp.now()})
    assert by_header.status_code == 200, by_header.text


async def test_turning_totp_on_ends_other_sessions(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    elsewhere = await log_in(client, "alice")
    await enrol_totp(client, alice)
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    assert (await client.get(f"{API}/me", headers=elsewhere.headers)).status_code == 401


async def test_backup_codes_work_once_each(client: httpx.AsyncClient, alice: Persona) -> None:
    _, codes = await enrol_totp(client, alice)
    assert (await login(client, "alice", code=codes[0])).status_code == 200
    again = await login(client, "alice", code=codes[0])
    assert again.status_code == 401 and again.json()["error"] == "totp-invalid"
    remaining = await call(client, alice, "2fa:checkCodesRemaining")
    assert remaining["result"] == {"remaining": 11}


async def test_backup_codes_regenerate_and_totp_turns_off(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    totp, old = await enrol_totp(client, alice)
    assert "result" not in await call(client, alice, "2fa:regenerateCodes", "12345678")
    new = (await call(client, alice, "2fa:regenerateCodes", totp.now()))["result"]["codes"]
    assert set(new).isdisjoint(old)
    assert (await login(client, "alice", code=old[1])).status_code == 401

    assert (await call(client, alice, "2fa:disable", "000000"))["result"] is False
    assert (await call(client, alice, "2fa:disable", new[0]))["result"] is True
    assert (await login(client, "alice")).status_code == 200
    gone = await call(client, alice, "2fa:checkCodesRemaining")
    assert gone["error"]["error"] == "invalid-totp"


async def test_enrolment_needs_the_right_first_code(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    await call(client, alice, "2fa:enable")
    refused = await call(client, alice, "2fa:validateTempToken", "000000")
    assert refused["error"]["error"] == "invalid-totp"
    assert (await login(client, "alice")).status_code == 200  # nothing turned on yet
    anonymous = {"msg": "method", "id": "1", "method": "2fa:enable", "params": []}
    r = await client.post(
        f"{API}/method.callAnon/2fa:enable", json={"message": json.dumps(anonymous)}
    )
    assert json.loads(r.json()["message"])["error"]["error"] == "not-authorized"


# Codes by mail --------------------------------------------------------------------------------


def mailed_code(server: SmtpServer, address: str) -> str:
    found = CODE.search(text_of(server.inbox.to(address)[-1]))
    assert found is not None
    return found.group(1) + found.group(2)


async def verified_user(client: httpx.AsyncClient, admin: Persona, name: str) -> Persona:
    body = {
        "username": name,
        "email": f"{name}@example.com",
        "password": PASSWORD,
        "name": name.title(),
        "verified": True,
    }
    r = await client.post(f"{API}/users.create", json=body, headers=admin.headers)
    assert r.status_code == 200, r.text
    return Persona(id=r.json()["user"]["_id"], username=name, token="")


async def test_a_verified_address_gets_a_login_code_by_mail(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await verified_user(client, admin, "carol")

    refused = await login(client, "carol")
    assert refused.status_code == 401
    assert refused.json()["details"] == {
        "method": "email",
        "codeGenerated": True,
        "emailOrUsername": "carol",
        "availableMethods": ["email"],
    }
    assert (await deliver(deps)).sent == 1
    mail = smtp_server.inbox.to("carol@example.com")[-1]
    assert mail["Subject"] == "[Chinwag] - Authentication code"
    code = mailed_code(smtp_server, "carol@example.com")

    again = await login(client, "carol")  # a live code is not sent twice
    assert again.json()["details"]["codeGenerated"] is False
    assert (await deliver(deps)).sent == 0
    ok = await login(client, "carol", code=code[:3] + "-" + code[3:])
    assert ok.status_code == 200, ok.text
    reused = await login(client, "carol", code=code)
    assert reused.status_code == 401 and reused.json()["error"] == "totp-invalid"


async def test_mailed_codes_expire_and_wrong_ones_run_out(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await set_setting(deps, "Accounts_TwoFactorAuthentication_Max_Invalid_Email_Code_Attempts", 2)
    await verified_user(client, admin, "carol")
    await login(client, "carol")
    await deliver(deps)
    code = mailed_code(smtp_server, "carol@example.com")
    wrong = "000000" if code != "000000" else "111111"
    assert (await login(client, "carol", code=wrong)).json()["error"] == "totp-invalid"
    exhausted = await login(client, "carol", code=wrong)
    assert exhausted.json()["error"] == "totp-max-attempts"
    assert (await login(client, "carol", code=code)).status_code == 401  # used up by the misses

    await login(client, "carol")  # a new code goes out
    await deliver(deps)
    fresh = mailed_code(smtp_server, "carol@example.com")
    shift_clock(deps, timedelta(hours=2))
    assert (await login(client, "carol", code=fresh)).json()["error"] == "totp-invalid"


async def test_send_email_code_answers_alike_for_unknown_users(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await verified_user(client, admin, "carol")
    for who in ("carol", "carol@example.com", "nobody", "nobody@example.com"):
        r = await client.post(f"{API}/users.2fa.sendEmailCode", json={"emailOrUsername": who})
        assert r.status_code == 200 and r.json() == {"success": True}
    assert (await deliver(deps)).sent == 2
    missing = await client.post(f"{API}/users.2fa.sendEmailCode", json={})
    assert_error(missing, 400, "error-parameter-required")


async def test_codes_by_mail_turn_off_with_a_second_factor(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    r = await client.post(f"{API}/users.2fa.disableEmail", headers=alice.headers)
    body = assert_error(r, 400, "totp-required")
    assert body["details"] == {"method": "password", "codeGenerated": False, "availableMethods": []}
    headers = {**alice.headers, "x-2fa-code": DIGEST, "x-2fa-method": "password"}
    assert (await client.post(f"{API}/users.2fa.disableEmail", headers=headers)).status_code == 200
    me = (await client.get(f"{API}/me", headers=alice.headers)).json()
    assert me["services"]["email2fa"] == {"enabled": False}

    unverified = await client.post(f"{API}/users.2fa.enableEmail", headers=alice.headers)
    assert_error(unverified, 400, "error-invalid-user")


# Guarded calls --------------------------------------------------------------------------------


async def test_guarded_calls_ask_for_the_password_once_the_account_is_not_new(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    url = f"{API}/settings/Site_Name"
    assert (await client.post(url, json={"value": "A"}, headers=admin.headers)).status_code == 200

    shift_clock(deps, timedelta(hours=1))  # past Accounts_TwoFactorAuthentication_RememberFor
    refused = await client.post(url, json={"value": "B"}, headers=admin.headers)
    assert_error(refused, 400, "totp-required")
    wrong = {**admin.headers, "x-2fa-code": "0" * 64, "x-2fa-method": "password"}
    assert_error(await client.post(url, json={"value": "B"}, headers=wrong), 400, "totp-invalid")
    good = {**admin.headers, "x-2fa-code": DIGEST, "x-2fa-method": "password"}
    assert (await client.post(url, json={"value": "B"}, headers=good)).status_code == 200
    # Remembered for this token and client for a while.
    assert (await client.post(url, json={"value": "C"}, headers=admin.headers)).status_code == 200

    await set_setting(deps, "Accounts_TwoFactorAuthentication_Enforce_Password_Fallback", False)
    other = await log_in(client, "boss")
    assert (await client.post(url, json={"value": "D"}, headers=other.headers)).status_code == 200


async def test_a_totp_user_confirms_guarded_calls_with_the_app(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    totp, _ = await enrol_totp(client, alice)
    shift_clock(deps, timedelta(hours=1))
    body = {"tokenName": "bot"}
    url = f"{API}/users.generatePersonalAccessToken"
    refused = await client.post(url, json=body, headers=alice.headers)
    assert assert_error(refused, 400, "totp-required")["details"] == {
        "method": "totp",
        "codeGenerated": False,
        "availableMethods": ["totp"],
    }
    password = {**alice.headers, "x-2fa-code": DIGEST, "x-2fa-method": "password"}
    assert_error(await client.post(url, json=body, headers=password), 400, "totp-invalid")
    now = deps.clock.now()  # the server's clock, an hour ahead
    code = {**alice.headers, "x-2fa-code": totp.at(now), "x-2fa-method": "totp"}
    assert (await client.post(url, json=body, headers=code)).status_code == 200


async def test_only_access_tokens_made_to_bypass_2fa_skip_the_check(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    tokens = {}
    for name, bypass in (("ci", True), ("plain", False)):
        body = {"tokenName": name, "bypassTwoFactor": bypass}
        r = await client.post(
            f"{API}/users.generatePersonalAccessToken", json=body, headers=alice.headers
        )
        assert r.status_code == 200, r.text
        tokens[name] = {"X-User-Id": alice.id, "X-Auth-Token": r.json()["token"]}
    shift_clock(deps, timedelta(hours=1))
    body = {"data": {"nickname": "al"}, "userId": alice.id}
    bypassing = await client.post(f"{API}/users.update", json=body, headers=tokens["ci"])
    assert bypassing.status_code == 200, bypassing.text
    plain = await client.post(f"{API}/users.update", json=body, headers=tokens["plain"])
    assert_error(plain, 400, "totp-required")


async def test_an_own_password_change_always_needs_a_factor_and_ends_other_sessions(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    elsewhere = await log_in(client, "alice")
    data = {"newPassword": "a new and long enough secret"}
    url = f"{API}/users.updateOwnBasicInfo"
    refused = await client.post(url, json={"data": data}, headers=alice.headers)
    assert_error(refused, 400, "totp-required")  # new accounts are not spared this one
    confirmed = {"data": {**data, "currentPassword": DIGEST}}
    assert (await client.post(url, json=confirmed, headers=alice.headers)).status_code == 200
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    assert (await client.get(f"{API}/me", headers=elsewhere.headers)).status_code == 401


async def test_a_totp_user_changes_their_password_with_the_apps_code(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    totp, _ = await enrol_totp(client, alice)
    shift_clock(deps, timedelta(hours=1))
    url = f"{API}/users.updateOwnBasicInfo"
    body = {"data": {"newPassword": "a new and long enough secret", "currentPassword": DIGEST}}
    # The password is no second factor once an app is enrolled: the web client then asks
    # for the app's code and sends the same body again with it.
    assert_error(await client.post(url, json=body, headers=alice.headers), 400, "totp-invalid")
    code = {**alice.headers, "x-2fa-code": totp.at(deps.clock.now()), "x-2fa-method": "totp"}
    assert (await client.post(url, json=body, headers=code)).status_code == 200, "with the code"


async def test_a_role_can_require_2fa_and_clients_can_see_who_lacks_it(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    r = await client.post(
        f"{API}/roles.update",
        json={"roleId": "admin", "name": "admin", "mandatory2fa": True},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    roles = (await client.get(f"{API}/roles.list", headers=admin.headers)).json()["roles"]
    assert next(r for r in roles if r["_id"] == "admin")["mandatory2fa"] is True
    me = (await client.get(f"{API}/me", headers=admin.headers)).json()
    assert me["services"]["totp"] == {"enabled": False}


async def test_new_accounts_are_opted_in_to_codes_by_mail(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    bob = await sign_up(client, "bob")
    r = await client.get(f"{API}/me", headers=bob.headers)
    assert r.json()["services"]["email2fa"] == {"enabled": True}


async def test_ddp_guarded_methods_take_rocket_chats_trailing_two_factor_argument(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    await set_setting(deps, "Accounts_TwoFactorAuthentication_RememberFor", 0)  # every call asks
    method = "personalAccessTokens:generateToken"
    refused = await call(client, alice, method, {"tokenName": "ci"})
    assert refused["error"]["error"] == "totp-required"
    assert refused["error"]["details"]["method"] == "password"
    factor = {"twoFactorCode": DIGEST, "twoFactorMethod": "password"}
    made = await call(client, alice, method, {"tokenName": "ci"}, factor)
    assert isinstance(made["result"], str) and len(made["result"]) == 43
    by_headers = await call(
        client,
        alice,
        "personalAccessTokens:removeToken",
        {"tokenName": "ci"},
        **{"x-2fa-code": DIGEST, "x-2fa-method": "password"},
    )
    assert "error" not in by_headers, by_headers
