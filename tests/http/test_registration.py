"""users.register under each registration setting."""

from typing import Any

import httpx
import pytest

from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from tests.conftest import PASSWORD, Persona, assert_error, log_in, sign_up
from tests.conftest_helpers import make_room, room_by_id, room_ids_of, set_setting, user_named

SECRET = "s3cr3t-path-only-friends-know"


def form(username: str, **extra: Any) -> dict[str, Any]:
    return {
        "username": username,
        "email": f"{username}@example.com",
        "pass": PASSWORD,
        "name": username.title(),
        **extra,
    }


async def register(client: httpx.AsyncClient, username: str, **extra: Any) -> httpx.Response:
    return await client.post("/api/v1/users.register", json=form(username, **extra))


async def invite_token(client: httpx.AsyncClient, owner: Persona, rid: str, **terms: int) -> str:
    body = {"rid": rid, "days": terms.get("days", 7), "maxUses": terms.get("maxUses", 0)}
    r = await client.post("/api/v1/findOrCreateInvite", json=body, headers=owner.headers)
    assert r.status_code == 200, r.text
    token: str = r.json()["_id"]
    return token


async def user_exists(deps: Deps, username: str) -> bool:
    async with deps.reader() as uow:
        return await uow.users.find_by_username(username) is not None


async def test_public_registration_returns_the_new_user(client: httpx.AsyncClient) -> None:
    r = await register(client, "dana", email="Dana@Example.COM")
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert user["username"] == "dana" and user["name"] == "Dana"
    assert user["active"] is True
    assert user["emails"] == [{"address": "dana@example.com", "verified": False}]
    assert "services" not in user


async def test_first_user_is_admin_and_everyone_joins_general(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    first = await sign_up(client, "first")
    second = await sign_up(client, "second")
    assert "admin" in (await user_named(deps, "first")).roles
    assert (await user_named(deps, "second")).roles == ("user",)
    assert await room_ids_of(deps, first.id) == {GENERAL_ID}
    assert await room_ids_of(deps, second.id) == {GENERAL_ID}
    assert (await room_by_id(deps, GENERAL_ID)).users_count == 2


async def test_disabled_registration_refuses_everyone(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    await set_setting(deps, "Accounts_RegistrationForm", "Disabled")
    assert_error(await register(client, "dana"), 400, "error-user-registration-disabled")
    assert not await user_exists(deps, "dana")


async def test_secret_url_mode_needs_the_secret(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    await set_setting(deps, "Accounts_RegistrationForm_SecretURL", SECRET)
    for extra in ({}, {"secretURL": "wrong"}, {"secretURL": ""}):
        r = await register(client, "dana", **extra)
        assert_error(r, 400, "error-user-registration-secret")
    assert not await user_exists(deps, "dana")
    assert (await register(client, "dana", secretURL=SECRET)).status_code == 200


async def test_secret_url_mode_with_no_secret_set_admits_no_one_without_an_invite(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    assert_error(await register(client, "dana", secretURL=""), 400)
    assert_error(await register(client, "dana", secretURL="anything"), 400)


async def test_a_live_invite_works_as_the_secret_and_joins_its_room(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    team = await make_room(deps, "team", alice)
    token = await invite_token(client, alice, team.id, maxUses=5)
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    await set_setting(deps, "Accounts_RegistrationForm_SecretURL", SECRET)
    r = await register(client, "dana", secretURL=token)
    assert r.status_code == 200, r.text
    dana = await user_named(deps, "dana")
    assert await room_ids_of(deps, dana.id) == {GENERAL_ID, team.id}
    assert dana.invite_token == token and dana.invited_by == alice.id
    invites = (await client.get("/api/v1/listInvites", headers=alice.headers)).json()
    assert invites[0]["uses"] == 1


async def test_signing_up_through_a_link_to_a_default_room_uses_it_up(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    token = await invite_token(client, admin, GENERAL_ID, maxUses=1)
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    assert (await register(client, "dana", secretURL=token)).status_code == 200
    invites = (await client.get("/api/v1/listInvites", headers=admin.headers)).json()
    assert invites[0]["uses"] == 1
    r = await register(client, "erin", secretURL=token)
    assert_error(r, 400, "error-user-registration-secret")
    assert not await user_exists(deps, "erin")


async def test_a_dead_invite_is_no_secret(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    team = await make_room(deps, "team", alice)
    token = await invite_token(client, alice, team.id, maxUses=1)
    r = await client.post("/api/v1/useInviteToken", json={"token": token}, headers=bob.headers)
    assert r.status_code == 200
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    r = await register(client, "dana", secretURL=token)
    assert_error(r, 400, "error-user-registration-secret")
    assert not await user_exists(deps, "dana")


async def test_an_invite_on_an_open_server_joins_its_room_and_a_stale_one_is_ignored(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    team = await make_room(deps, "team", alice)
    token = await invite_token(client, alice, team.id, maxUses=1)
    dana = await sign_up(client, "dana", secretURL=token)
    assert team.id in await room_ids_of(deps, dana.id)
    erin = await sign_up(client, "erin", secretURL=token)  # used up: signs up, joins nothing
    assert await room_ids_of(deps, erin.id) == {GENERAL_ID}


async def test_manual_approval_creates_inactive_users_who_cannot_log_in(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Accounts_ManuallyApproveNewUsers", True)
    r = await register(client, "dana", reason="  I work with Alice  ")
    assert r.status_code == 200, r.text
    assert r.json()["user"]["active"] is False
    dana = await user_named(deps, "dana")
    assert dana.active is False and dana.reason == "I work with Alice"
    r = await client.post("/api/v1/login", json={"user": "dana", "password": PASSWORD})
    body = assert_error(r, 401)
    assert body["error"] == "error-user-is-not-activated"


async def test_the_first_user_needs_no_approval(client: httpx.AsyncClient, deps: Deps) -> None:
    await set_setting(deps, "Accounts_ManuallyApproveNewUsers", True)
    await sign_up(client, "founder", reason="it's my server")
    assert (await user_named(deps, "founder")).active is True


async def test_a_reason_is_kept_only_when_approval_is_on(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await register(client, "dana", reason="hello")
    assert (await user_named(deps, "dana")).reason is None


async def test_allowed_domains_admit_only_those_domains(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    await set_setting(deps, "Accounts_AllowedDomainsList", "example.com, corp.test")
    r = await register(client, "dana", email="dana@elsewhere.org")
    assert_error(r, 400, "error-invalid-domain")
    assert (await register(client, "erin", email="erin@CORP.test")).status_code == 200
    assert (await register(client, "finn")).status_code == 200


async def test_blocked_domains_are_refused(client: httpx.AsyncClient, deps: Deps) -> None:
    await set_setting(deps, "Accounts_BlockedDomainsList", "spam.test")
    for email in ("dana@spam.test", "dana@mail.spam.test"):
        r = await register(client, "dana", email=email)
        assert_error(r, 400, "error-email-domain-blacklisted")
    assert not await user_exists(deps, "dana")


async def test_disposable_domains_are_refused_by_default(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    r = await register(client, "dana", email="dana@mailinator.com")
    assert_error(r, 400, "error-email-domain-blacklisted")
    await set_setting(deps, "Accounts_UseDefaultBlockedDomainsList", False)
    assert (await register(client, "dana", email="dana@mailinator.com")).status_code == 200


async def test_blocked_usernames_are_refused_in_any_case(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    await set_setting(deps, "Accounts_BlockedUsernameList", "root, Staff")
    for username in ("root", "staff", "STAFF"):
        assert_error(await register(client, username), 400, "error-blocked-username")
    assert (await register(client, "staffer")).status_code == 200


async def test_taken_usernames_and_emails_are_refused_in_any_case(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await register(client, "ALICE", email="other@example.com")
    assert_error(r, 400, "error-field-unavailable")
    r = await register(client, "alice2", email="Alice@Example.com")
    assert_error(r, 400, "error-field-unavailable")


async def test_invalid_usernames_and_emails_are_refused(client: httpx.AsyncClient) -> None:
    for username in ("has space", "semi;colon", "émile"):
        r = await client.post("/api/v1/users.register", json={**form("x"), "username": username})
        assert_error(r, 400, "error-input-is-not-a-valid-field")
    for email in ("no-at-sign", "two@@example.com", "trailing@dot."):
        assert_error(await register(client, "dana", email=email), 400, "error-invalid-email")


async def test_a_broken_username_pattern_falls_back_to_the_default(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    await set_setting(deps, "UTF8_User_Names_Validation", "[unclosed")
    assert (await register(client, "dana")).status_code == 200
    assert_error(await register(client, "bad name"), 400, "error-input-is-not-a-valid-field")


@pytest.mark.parametrize("missing", ["username", "email", "pass"])
async def test_missing_fields_get_the_error_envelope(
    client: httpx.AsyncClient, missing: str
) -> None:
    body = form("dana")
    del body[missing]
    r = await client.post("/api/v1/users.register", json=body)
    assert_error(r, 400, "invalid-params")
    assert missing in str(r.json()["error"])


async def test_a_name_is_required_unless_the_setting_says_otherwise(
    client: httpx.AsyncClient, deps: Deps
) -> None:
    assert_error(await register(client, "dana", name=""), 400, "invalid-params")
    await set_setting(deps, "Accounts_RequireNameForSignUp", False)
    r = await register(client, "dana", name="")
    assert r.status_code == 200 and r.json()["user"]["name"] == "dana"


async def test_signed_in_users_cannot_register_again(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await client.post("/api/v1/users.register", json=form("dana"), headers=alice.headers)
    assert_error(r, 400, "error-not-allowed")


async def test_a_registered_user_can_log_in(client: httpx.AsyncClient, admin: Persona) -> None:
    assert (await register(client, "dana")).status_code == 200
    assert (await log_in(client, "dana")).username == "dana"


async def test_overlong_fields_are_refused_alike_on_every_store(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    for field, value in (
        ("username", "u" * 121),
        ("email", "e" * 320 + "@example.com"),
        ("name", "n" * 201),
    ):
        body = {
            "username": "longish",
            "email": "longish@example.com",
            "pass": "pw-123456",
            "name": "Longish",
            field: value,
        }
        r = await client.post("/api/v1/users.register", json=body)
        assert_error(r, 400)
