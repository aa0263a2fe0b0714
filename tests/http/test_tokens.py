"""Personal access tokens, users.createToken, logoutOtherClients and removeOtherTokens."""

import httpx

from chinwag.actions.deps import Deps
from chinwag.domain.passwords import hash_login_token
from chinwag.events.types import UserLoggedOut
from tests.conftest import Persona, assert_error, log_in

API = "/api/v1"


async def generate(
    client: httpx.AsyncClient, who: Persona, name: str, **extra: object
) -> httpx.Response:
    return await client.post(
        f"{API}/users.generatePersonalAccessToken",
        json={"tokenName": name, **extra},
        headers=who.headers,
    )


def as_pat(who: Persona, token: str) -> dict[str, str]:
    return {"X-User-Id": who.id, "X-Auth-Token": token}


# Personal access tokens --------------------------------------------------------------------


async def test_personal_access_token_authenticates_like_a_login_token(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await generate(client, alice, "ci bot", bypassTwoFactor=True)
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"token", "success"}
    token = r.json()["token"]
    assert len(token) == 43
    me = await client.get(f"{API}/me", headers=as_pat(alice, token))
    assert me.status_code == 200 and me.json()["_id"] == alice.id
    listed = (
        await client.get(f"{API}/users.getPersonalAccessTokens", headers=alice.headers)
    ).json()
    assert listed["success"] is True
    [entry] = listed["tokens"]
    assert set(entry) == {"name", "createdAt", "lastTokenPart", "bypassTwoFactor"}
    assert entry["name"] == "ci bot" and entry["lastTokenPart"] == token[-6:]
    assert entry["bypassTwoFactor"] is True and entry["createdAt"].endswith("Z")


async def test_duplicate_names_and_missing_names_are_refused(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    assert (await generate(client, alice, "deploy")).status_code == 200
    assert_error(await generate(client, alice, "deploy"), 400, "error-token-already-exists")
    assert (await generate(client, bob, "deploy")).status_code == 200  # names are per user
    assert_error(await generate(client, alice, ""), 400, "invalid-params")
    assert_error(await generate(client, alice, "x" * 201), 400, "invalid-params")
    r = await client.post(
        f"{API}/users.generatePersonalAccessToken", json={}, headers=alice.headers
    )
    assert_error(r, 400, "invalid-params")


async def test_regenerate_replaces_the_secret_and_keeps_the_settings(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    old = (await generate(client, alice, "cron", bypassTwoFactor=True)).json()["token"]
    r = await client.post(
        f"{API}/users.regeneratePersonalAccessToken",
        json={"tokenName": "cron"},
        headers=alice.headers,
    )
    new = r.json()["token"]
    assert new != old
    assert_error(await client.get(f"{API}/me", headers=as_pat(alice, old)), 401)
    assert (await client.get(f"{API}/me", headers=as_pat(alice, new))).status_code == 200
    tokens = (
        await client.get(f"{API}/users.getPersonalAccessTokens", headers=alice.headers)
    ).json()
    assert tokens["tokens"][0]["bypassTwoFactor"] is True
    r = await client.post(
        f"{API}/users.regeneratePersonalAccessToken",
        json={"tokenName": "nope"},
        headers=alice.headers,
    )
    assert_error(r, 400, "error-token-does-not-exists")


async def test_remove_revokes_the_token(client: httpx.AsyncClient, alice: Persona) -> None:
    token = (await generate(client, alice, "temp")).json()["token"]
    r = await client.post(
        f"{API}/users.removePersonalAccessToken", json={"tokenName": "temp"}, headers=alice.headers
    )
    assert r.json() == {"success": True}
    assert_error(await client.get(f"{API}/me", headers=as_pat(alice, token)), 401)
    r = await client.post(
        f"{API}/users.removePersonalAccessToken", json={"tokenName": "temp"}, headers=alice.headers
    )
    assert_error(r, 400, "error-token-does-not-exists")


async def test_tokens_need_the_permission(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    deps.grants.by_permission["create-personal-access-tokens"] = ("admin",)
    assert_error(await generate(client, alice, "x"), 403, "not-authorized")
    r = await client.get(f"{API}/users.getPersonalAccessTokens", headers=alice.headers)
    assert_error(r, 403, "not-authorized")


async def test_disabling_tokens_stops_new_and_existing_ones(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    token = (await generate(client, alice, "old")).json()["token"]
    deps.settings.set("API_Enable_Personal_Access_Tokens", False, deps.clock.now())
    r = await generate(client, alice, "new")
    assert_error(r, 400, "error-personal-access-tokens-are-current-disabled")
    assert_error(await client.get(f"{API}/me", headers=as_pat(alice, token)), 401)
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200


async def test_personal_tokens_survive_logging_out_other_clients(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    token = (await generate(client, alice, "keep")).json()["token"]
    await client.post(f"{API}/users.removeOtherTokens", headers=alice.headers)
    assert (await client.get(f"{API}/me", headers=as_pat(alice, token))).status_code == 200


# users.createToken -------------------------------------------------------------------------


async def create_token(client: httpx.AsyncClient, who: Persona, **body: object) -> httpx.Response:
    return await client.post(f"{API}/users.createToken", json=body, headers=who.headers)


async def test_create_token_is_off_without_a_configured_secret(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await create_token(client, admin, userId=alice.id, secret="anything")
    assert_error(r, 400, "error-not-authorized")


async def test_create_token_with_the_secret(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    deps.config.create_tokens_secret = "s3cret-s3cret"
    assert_error(await create_token(client, admin, userId=alice.id, secret="wrong"), 400)
    assert_error(await create_token(client, admin, userId=alice.id), 400, "invalid-params")
    r = await create_token(client, admin, username="alice", secret="s3cret-s3cret")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == {"userId", "authToken"} and data["userId"] == alice.id
    me = await client.get(f"{API}/me", headers=as_pat(alice, data["authToken"]))
    assert me.status_code == 200 and me.json()["username"] == "alice"
    r = await create_token(client, admin, username="ghost", secret="s3cret-s3cret")
    assert_error(r, 400, "error-invalid-user")
    r = await create_token(client, admin, secret="s3cret-s3cret")
    assert_error(r, 400, "error-user-param-not-provided")


async def test_create_token_requires_login(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post(f"{API}/users.createToken", json={"userId": alice.id, "secret": "x"})
    assert_error(r, 401)


# Ending other sessions ---------------------------------------------------------------------


async def test_logout_other_clients_keeps_only_this_session(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    other = await log_in(client, "alice")
    r = await client.post(f"{API}/users.logoutOtherClients", headers=alice.headers)
    body = r.json()
    assert body["success"] is True and body["token"] == alice.token
    assert body["tokenExpires"].endswith("Z")
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    assert_error(await client.get(f"{API}/me", headers=other.headers), 401)


async def test_remove_other_tokens(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> None:
    other = await log_in(client, "alice")
    r = await client.post(f"{API}/users.removeOtherTokens", headers=alice.headers)
    assert r.json() == {"success": True}
    assert_error(await client.get(f"{API}/me", headers=other.headers), 401)
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    assert (await client.get(f"{API}/me", headers=bob.headers)).status_code == 200


async def test_logging_out_others_tells_their_sessions_to_leave(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    with deps.bus.capture() as published:  # type: ignore[attr-defined]
        await client.post(f"{API}/users.logoutOtherClients", headers=alice.headers)
    [event] = published
    assert isinstance(event, UserLoggedOut) and event.user_id == alice.id
    assert event.kept_token_hash == hash_login_token(alice.token)


async def test_a_lost_race_for_a_token_name_leaves_the_transaction_usable(
    deps: Deps, alice: Persona
) -> None:
    now = deps.clock.now()
    async with deps.uow() as uow:
        first = await uow.tokens.insert_personal_token(alice.id, "h1", now, "n", "abcdef", False)
        second = await uow.tokens.insert_personal_token(alice.id, "h2", now, "n", "ghijkl", False)
        assert (first, second) == (True, False)
        assert await uow.tokens.find_personal_token(alice.id, "n") is not None
    async with deps.reader() as uow:
        [kept] = await uow.tokens.list_personal_tokens(alice.id)
    assert kept.last_token_part == "abcdef"
