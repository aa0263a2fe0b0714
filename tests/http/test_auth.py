"""login, logout, me, /api/info."""

import hashlib

import httpx

from tests.conftest import PASSWORD, Persona, assert_error, log_in, sign_up


async def test_info_reports_a_semver_rocketchat_version(client: httpx.AsyncClient) -> None:
    for path in ("/api/info", "/api/v1/info"):
        body = (await client.get(path)).json()
        major, minor, patch = body["version"].split(".")
        assert int(major) >= 8 and minor.isdigit() and patch.isdigit()
        assert body["chinwag"]["version"]


async def test_first_user_becomes_admin_and_later_ones_do_not(client: httpx.AsyncClient) -> None:
    first = await sign_up(client, "first")
    second = await sign_up(client, "second")
    me1 = (await client.get("/api/v1/me", headers=first.headers)).json()
    me2 = (await client.get("/api/v1/me", headers=second.headers)).json()
    assert "admin" in me1["roles"]
    assert me2["roles"] == ["user"]


async def test_login_by_email_username_and_digest(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    by_email = await client.post(
        "/api/v1/login", json={"user": "alice@example.com", "password": PASSWORD}
    )
    assert by_email.json()["data"]["userId"] == alice.id
    by_username = await client.post(
        "/api/v1/login", json={"username": "alice", "password": PASSWORD}
    )
    assert by_username.json()["data"]["userId"] == alice.id
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    body = {"user": {"username": "alice"}, "password": {"digest": digest, "algorithm": "sha-256"}}
    by_digest = await client.post("/api/v1/login", json=body)
    assert by_digest.status_code == 200
    assert by_digest.json()["data"]["me"]["username"] == "alice"


async def test_resume_token_logs_in_again(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post("/api/v1/login", json={"resume": alice.token})
    assert r.status_code == 200
    assert r.json()["data"]["authToken"] == alice.token


async def test_wrong_password_is_401(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post("/api/v1/login", json={"user": "alice", "password": "nope"})
    assert_error(r, 401)
    assert r.json()["status"] == "error"
    r = await client.post("/api/v1/login", json={"user": "nobody", "password": "nope"})
    assert_error(r, 401)


async def test_me_requires_valid_credentials(client: httpx.AsyncClient, alice: Persona) -> None:
    assert_error(await client.get("/api/v1/me"), 401)
    bad = {"X-User-Id": alice.id, "X-Auth-Token": "x" * 43}
    assert_error(await client.get("/api/v1/me", headers=bad), 401)
    wrong_user = {"X-User-Id": "someoneelse", "X-Auth-Token": alice.token}
    assert_error(await client.get("/api/v1/me", headers=wrong_user), 401)


async def test_me_shapes_the_profile(client: httpx.AsyncClient, alice: Persona) -> None:
    me = (await client.get("/api/v1/me", headers=alice.headers)).json()
    assert me["success"] is True
    assert me["_id"] == alice.id and me["username"] == "alice"
    assert me["emails"] == [{"address": "alice@example.com", "verified": False}]
    assert me["email"] == "alice@example.com"
    assert me["services"] == {
        "password": {"exists": True},
        "totp": {"enabled": False},
        "email2fa": {"enabled": True},  # opted in, as Rocket.Chat does; used once verified
    }
    assert "idleTimeLimit" in me["settings"]["preferences"]
    assert me["avatarUrl"].endswith("/avatar/alice")


async def test_logout_ends_only_that_session(client: httpx.AsyncClient, alice: Persona) -> None:
    other = await log_in(client, "alice")
    r = await client.post("/api/v1/logout", headers=alice.headers)
    assert r.json()["status"] == "success"
    assert_error(await client.get("/api/v1/me", headers=alice.headers), 401)
    assert (await client.get("/api/v1/me", headers=other.headers)).status_code == 200


async def test_form_encoded_login_is_accepted(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post("/api/v1/login", data={"user": "alice", "password": PASSWORD})
    assert r.status_code == 200, r.text


async def test_malformed_json_is_400_not_500(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(r, 400, "invalid-params")


async def test_unknown_endpoint_is_404_envelope(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/no.such.thing"), 404)
