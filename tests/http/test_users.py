"""users.update, users.setActiveStatus, users.deactivateIdle, users.delete(OwnAccount),
users.getUsernameSuggestion."""

import hashlib
from datetime import timedelta

import httpx
import sqlalchemy as sa

from chinwag.actions.deps import Deps
from chinwag.events.types import UserDeleted, UserLoggedOut, UserUpdated
from chinwag.storage.tables import subscriptions, users
from tests.conftest import PASSWORD, Persona, assert_error, log_in, sign_up

API = "/api/v1"


async def update(
    client: httpx.AsyncClient, who: Persona, user_id: str, **data: object
) -> httpx.Response:
    return await client.post(
        f"{API}/users.update", json={"userId": user_id, "data": data}, headers=who.headers
    )


async def info(client: httpx.AsyncClient, who: Persona, username: str) -> dict[str, object]:
    r = await client.get(f"{API}/users.info", params={"username": username}, headers=who.headers)
    assert r.status_code == 200, r.text
    user: dict[str, object] = r.json()["user"]
    return user


async def general_count(deps: Deps) -> int:
    async with deps.reader() as uow:
        room = await uow.rooms.find_room("GENERAL")
    assert room is not None
    return room.users_count


# users.update ------------------------------------------------------------------------------


async def test_admin_updates_another_user(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await update(
        client,
        admin,
        alice.id,
        name="Alice Liddell",
        username="alice2",
        email="alice2@example.com",
        nickname="al",
        bio="down the rabbit hole",
        statusText="curious",
        verified=True,
        requirePasswordChange=True,
        customFields={"team": "wonder"},
    )
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert r.json()["success"] is True
    assert user["_id"] == alice.id
    assert user["name"] == "Alice Liddell"
    assert user["username"] == "alice2"
    assert user["emails"] == [{"address": "alice2@example.com", "verified": True}]
    assert user["nickname"] == "al"
    assert user["bio"] == "down the rabbit hole"
    assert user["statusText"] == "curious"
    assert user["requirePasswordChange"] is True
    assert user["customFields"] == {"team": "wonder"}
    assert "services" not in user
    # The new username logs in; the old one is gone.
    await log_in(client, "alice2")
    r = await client.post(f"{API}/login", json={"user": "alice", "password": PASSWORD})
    assert_error(r, 401)


async def test_update_emits_user_updated(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    with deps.bus.capture() as published:  # type: ignore[attr-defined]
        r = await update(client, admin, alice.id, name="Alice L")
    assert r.status_code == 200, r.text
    assert UserUpdated(user_id=alice.id, fields=("name",)) in published


async def test_user_may_edit_own_basic_fields(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await update(client, alice, alice.id, name="Just Alice", bio="hi")
    assert r.status_code == 200, r.text
    assert r.json()["user"]["name"] == "Just Alice"


async def test_user_cannot_update_someone_else(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    r = await update(client, alice, bob.id, name="Mallory")
    assert_error(r, 403, "error-action-not-allowed")
    assert (await info(client, alice, "bob"))["name"] == "Bob"


async def test_user_cannot_grant_self_roles_activation_or_verification(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    assert_error(await update(client, alice, alice.id, roles=["admin", "user"]), 403)
    assert_error(await update(client, alice, alice.id, verified=True), 403)
    assert_error(await update(client, alice, alice.id, active=False), 403)
    me = (await client.get(f"{API}/me", headers=alice.headers)).json()
    assert me["roles"] == ["user"] and me["emails"][0]["verified"] is False


async def test_settings_gate_self_edits_but_not_admins(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    deps.settings.set("Accounts_AllowUsernameChange", False, deps.clock.now())
    deps.settings.set("Accounts_AllowRealNameChange", False, deps.clock.now())
    assert_error(
        await update(client, alice, alice.id, username="alicia"), 400, "error-action-not-allowed"
    )
    assert_error(await update(client, alice, alice.id, name="A"), 400, "error-action-not-allowed")
    # Sending the current value is not a change, so it is not refused.
    assert (await update(client, alice, alice.id, username="alice")).status_code == 200
    r = await update(client, admin, alice.id, username="alicia")
    assert r.status_code == 200, r.text


async def test_update_validates_username_and_email(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    assert_error(
        await update(client, admin, alice.id, username="bob"), 400, "error-field-unavailable"
    )
    assert_error(
        await update(client, admin, alice.id, username="BOB"), 400, "error-field-unavailable"
    )
    assert_error(
        await update(client, admin, alice.id, email="bob@example.com"),
        400,
        "error-field-unavailable",
    )
    assert_error(
        await update(client, admin, alice.id, username="no spaces"),
        400,
        "error-input-is-not-a-valid-field",
    )
    assert_error(await update(client, admin, alice.id, email="nope"), 400, "error-invalid-email")
    assert_error(
        await update(client, admin, alice.id, bio="x" * 261), 400, "error-bio-size-exceeded"
    )
    assert_error(
        await update(client, admin, alice.id, nickname="x" * 121),
        400,
        "error-nickname-size-exceeded",
    )


async def test_update_bad_input_is_400(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    assert_error(await update(client, admin, "nobody-here", name="x"), 400, "error-invalid-user")
    r = await client.post(f"{API}/users.update", json={"data": {}}, headers=admin.headers)
    assert_error(r, 400, "invalid-params")
    assert_error(await update(client, admin, alice.id, shoeSize=42), 400, "invalid-params")
    assert_error(await update(client, admin, alice.id, active="maybe"), 400, "invalid-params")
    assert_error(await update(client, admin, alice.id, roles=["wizard"]), 400, "error-invalid-role")
    assert_error(await update(client, admin, alice.id, roles=[]), 400, "invalid-params")
    assert_error(await update(client, admin, alice.id, username="x" * 121), 400, "invalid-params")
    assert_error(await update(client, admin, alice.id, password="   "), 400, "invalid-params")
    big = {f"k{i}": i for i in range(51)}
    assert_error(await update(client, admin, alice.id, customFields=big), 400, "invalid-params")
    nested = {"k": {"deep": True}}
    assert_error(await update(client, admin, alice.id, customFields=nested), 400, "invalid-params")


async def test_admin_assigns_roles(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await update(client, admin, alice.id, roles=["user", "moderator"])
    assert r.status_code == 200, r.text
    assert sorted(r.json()["user"]["roles"]) == ["moderator", "user"]


async def test_last_admin_cannot_lose_admin_role(client: httpx.AsyncClient, admin: Persona) -> None:
    r = await update(client, admin, admin.id, roles=["user"])
    assert_error(r, 400, "error-action-not-allowed")


async def test_admin_password_change_ends_every_session_of_the_user(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    other = await log_in(client, "alice")
    r = await update(client, admin, alice.id, password="a brand new secret")
    assert r.status_code == 200, r.text
    assert_error(await client.get(f"{API}/me", headers=alice.headers), 401)
    assert_error(await client.get(f"{API}/me", headers=other.headers), 401)
    assert (await client.get(f"{API}/me", headers=admin.headers)).status_code == 200
    await log_in(client, "alice", "a brand new secret")
    r = await client.post(f"{API}/login", json={"user": "alice", "password": PASSWORD})
    assert_error(r, 401)


async def test_own_password_change_needs_password_and_keeps_this_session(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    other = await log_in(client, "alice")
    r = await update(client, alice, alice.id, password="another secret")
    assert_error(r, 400, "totp-required")
    r = await client.post(
        f"{API}/users.update",
        json={"userId": alice.id, "data": {"password": "another secret"}},
        headers={**alice.headers, "X-2FA-Code": "wrong"},
    )
    assert_error(r, 400, "totp-invalid")
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    r = await client.post(
        f"{API}/users.update",
        json={"userId": alice.id, "data": {"password": "another secret"}},
        headers={**alice.headers, "X-2FA-Code": digest},
    )
    assert r.status_code == 200, r.text
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    assert_error(await client.get(f"{API}/me", headers=other.headers), 401)


async def test_other_users_password_needs_its_own_permission(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    # A helper who may edit profiles but not passwords.
    deps.grants.by_permission["edit-other-user-info"] = ("admin", "moderator")
    await update(client, admin, alice.id, roles=["user", "moderator"])
    alice = await log_in(client, "alice")
    assert (await update(client, alice, bob.id, name="Robert")).status_code == 200
    r = await update(client, alice, bob.id, password="taken over")
    assert_error(r, 403, "error-action-not-allowed")


async def test_deactivating_through_update_ends_sessions(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await update(client, admin, alice.id, active=False)
    assert r.status_code == 200 and r.json()["user"]["active"] is False
    assert_error(await client.get(f"{API}/me", headers=alice.headers), 401)


# users.setActiveStatus ---------------------------------------------------------------------


async def set_active(
    client: httpx.AsyncClient, who: Persona, user_id: str, active: bool
) -> httpx.Response:
    return await client.post(
        f"{API}/users.setActiveStatus",
        json={"userId": user_id, "activeStatus": active},
        headers=who.headers,
    )


async def test_deactivation_ends_sessions_and_blocks_login(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    with deps.bus.capture() as published:  # type: ignore[attr-defined]
        r = await set_active(client, admin, alice.id, False)
    assert r.status_code == 200, r.text
    assert r.json() == {"user": {"_id": alice.id, "active": False}, "success": True}
    assert UserLoggedOut(user_id=alice.id) in published
    assert_error(await client.get(f"{API}/me", headers=alice.headers), 401)
    r = await client.post(f"{API}/login", json={"user": "alice", "password": PASSWORD})
    assert_error(r, 401)
    assert r.json()["error"] == "error-user-is-not-activated"
    r = await set_active(client, admin, alice.id, True)
    assert r.json()["user"] == {"_id": alice.id, "active": True}
    await log_in(client, "alice")


async def test_admin_approves_manually_approved_signups(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    deps.settings.set("Accounts_ManuallyApproveNewUsers", True, deps.clock.now())
    body = {
        "username": "newbie",
        "email": "newbie@example.com",
        "pass": PASSWORD,
        "name": "Newbie",
        "reason": "let me in",
    }
    r = await client.post(f"{API}/users.register", json=body)
    user = r.json()["user"]
    assert user["active"] is False and user["reason"] == "let me in"
    r = await client.post(f"{API}/login", json={"user": "newbie", "password": PASSWORD})
    assert_error(r, 401)
    assert (await set_active(client, admin, user["_id"], True)).status_code == 200
    await log_in(client, "newbie")
    assert "reason" not in await info(client, admin, "newbie")


async def test_set_active_status_needs_permission(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    assert_error(await set_active(client, alice, bob.id, False), 403)
    assert (await client.get(f"{API}/me", headers=bob.headers)).status_code == 200


async def test_moderators_with_manage_moderation_actions_may_deactivate(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    deps.grants.by_permission["manage-moderation-actions"] = ("admin", "user")
    assert (await set_active(client, alice, bob.id, False)).status_code == 200


async def test_last_active_admin_cannot_be_deactivated(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    assert_error(await set_active(client, admin, admin.id, False), 400, "error-action-not-allowed")
    await update(client, admin, alice.id, roles=["user", "admin"])
    assert (await set_active(client, admin, admin.id, False)).status_code == 200


async def test_set_active_status_bad_input(client: httpx.AsyncClient, admin: Persona) -> None:
    assert_error(await set_active(client, admin, "ghost", False), 400, "error-invalid-user")
    r = await client.post(
        f"{API}/users.setActiveStatus", json={"userId": "x"}, headers=admin.headers
    )
    assert_error(r, 400, "invalid-params")
    r = await client.post(
        f"{API}/users.setActiveStatus",
        json={"userId": "x", "activeStatus": "sometimes"},
        headers=admin.headers,
    )
    assert_error(r, 400, "invalid-params")


async def test_deactivation_hands_sole_owned_rooms_on(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    async with deps.uow() as uow:  # alice owns GENERAL alone; bob joined after her
        await uow.rooms.set_subscription_roles("GENERAL", alice.id, ["owner"], deps.clock.now())
    r = await set_active(client, admin, alice.id, False)
    body = assert_error(r, 400, "user-last-owner")
    assert body["details"] == {"rooms": ["general"]}
    r = await client.post(
        f"{API}/users.setActiveStatus",
        json={"userId": alice.id, "activeStatus": False, "confirmRelinquish": True},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    async with deps.reader() as uow:  # the admin joined first, so the admin inherits it
        heir = await uow.rooms.find_subscription("GENERAL", admin.id)
        other = await uow.rooms.find_subscription("GENERAL", bob.id)
    assert heir is not None and "owner" in heir.roles
    assert other is not None and "owner" not in other.roles


# users.deactivateIdle ----------------------------------------------------------------------


async def test_deactivate_idle_counts_and_locks_out(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    long_ago = deps.clock.now() - timedelta(days=40)
    async with deps.uow() as uow:
        await uow.users.update_user(alice.id, {"last_login": long_ago, "created_at": long_ago})
    r = await client.post(
        f"{API}/users.deactivateIdle", json={"daysIdle": 30}, headers=admin.headers
    )
    assert r.json() == {"count": 1, "success": True}
    assert_error(await client.get(f"{API}/me", headers=alice.headers), 401)
    assert (await client.get(f"{API}/me", headers=bob.headers)).status_code == 200


async def test_deactivate_idle_permission_and_input(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    r = await client.post(
        f"{API}/users.deactivateIdle", json={"daysIdle": 1}, headers=alice.headers
    )
    assert_error(r, 403)
    for bad in ({}, {"daysIdle": -1}, {"daysIdle": "soon"}):
        r = await client.post(f"{API}/users.deactivateIdle", json=bad, headers=admin.headers)
        assert_error(r, 400, "invalid-params")


# users.delete ------------------------------------------------------------------------------


async def test_admin_deletes_user(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    before = await general_count(deps)
    with deps.bus.capture() as published:  # type: ignore[attr-defined]
        r = await client.post(
            f"{API}/users.delete", json={"username": "alice"}, headers=admin.headers
        )
    assert r.json() == {"success": True}
    assert UserDeleted(user_id=alice.id) in published
    assert await general_count(deps) == before - 1
    r = await client.get(f"{API}/users.info", params={"userId": alice.id}, headers=admin.headers)
    assert_error(r, 400, "error-invalid-user")
    assert_error(await client.get(f"{API}/me", headers=alice.headers), 401)
    async with deps.reader() as uow:
        left = await uow.conn.execute(
            sa.select(sa.func.count())
            .select_from(subscriptions)
            .where(subscriptions.c.user_id == alice.id)
        )
        rows = await uow.conn.execute(
            sa.select(sa.func.count()).select_from(users).where(users.c.id == alice.id)
        )
    assert left.scalar_one() == 0
    assert rows.scalar_one() == 0


async def test_user_cannot_delete(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> None:
    r = await client.post(f"{API}/users.delete", json={"userId": bob.id}, headers=alice.headers)
    assert_error(r, 403)
    assert (await client.get(f"{API}/me", headers=bob.headers)).status_code == 200


async def test_delete_refuses_last_admin_rocket_cat_and_bad_params(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    post = f"{API}/users.delete"
    r = await client.post(post, json={"userId": admin.id}, headers=admin.headers)
    assert_error(r, 400, "error-action-not-allowed")
    r = await client.post(post, json={"userId": "rocket.cat"}, headers=admin.headers)
    assert_error(r, 400, "error-action-not-allowed")
    r = await client.post(post, json={}, headers=admin.headers)
    assert_error(r, 400, "error-user-param-not-provided")
    r = await client.post(post, json={"username": "ghost"}, headers=admin.headers)
    assert_error(r, 400, "error-invalid-user")


# users.deleteOwnAccount --------------------------------------------------------------------


async def test_delete_own_account_is_off_by_default(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await client.post(
        f"{API}/users.deleteOwnAccount", json={"password": PASSWORD}, headers=alice.headers
    )
    assert_error(r, 400, "error-not-allowed")


async def test_delete_own_account_with_digest_or_plain_password(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    deps.settings.set("Accounts_AllowDeleteOwnAccount", True, deps.clock.now())
    post = f"{API}/users.deleteOwnAccount"
    r = await client.post(post, json={"password": "wrong"}, headers=alice.headers)
    assert_error(r, 400, "error-invalid-password")
    assert_error(await client.post(post, json={}, headers=alice.headers), 400, "invalid-params")
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    r = await client.post(post, json={"password": digest}, headers=alice.headers)
    assert r.json() == {"success": True}
    r = await client.post(post, json={"password": PASSWORD}, headers=bob.headers)
    assert r.json() == {"success": True}
    async with deps.reader() as uow:
        assert await uow.users.find_by_username("alice") is None
        assert await uow.users.find_by_username("bob") is None


# users.getUsernameSuggestion ---------------------------------------------------------------


async def test_username_suggestion_is_free_and_derived_from_the_name(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    await sign_up(client, "jane.doe", name="Jane Doe", email="jd@example.com")
    jane2 = await sign_up(client, "jane2", name="Jane Doe", email="j2@example.com")
    r = await client.get(f"{API}/users.getUsernameSuggestion", headers=jane2.headers)
    assert r.status_code == 200, r.text
    result = r.json()["result"]
    assert result == "jdoe"  # "jane.doe" is taken, so the initial and surname come next
    r = await client.get(f"{API}/users.getUsernameSuggestion")
    assert_error(r, 401)


async def test_username_suggestion_numbers_when_all_taken(
    client: httpx.AsyncClient, admin: Persona
) -> None:
    taken = ["zed", "zed-1", "zed.example", "zed2"]
    for name in taken[:-1]:
        await sign_up(client, name, email=f"{name}@elsewhere.org")
    zed = await sign_up(client, "zed2", name="Zed", email="zed@example.com")
    r = await client.get(f"{API}/users.getUsernameSuggestion", headers=zed.headers)
    assert r.json()["result"] == "zed-2"
