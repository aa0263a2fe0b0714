"""Abuse detection through the REST API: invite caps and pauses, invites.stats, sign-up
bursts, young-account limits, room creation caps, and the admins' alerts room."""

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from chinwag.actions.alerts import ALERTS_ROOM_ID, BOT_ID
from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Clock, Deps
from chinwag.storage.tables import users
from tests.conftest import PASSWORD, Persona, assert_error, log_in, sign_up
from tests.conftest_helpers import room_ids_of, set_setting, user_named


class ShiftedClock(Clock):
    def __init__(self, by: timedelta) -> None:
        self.by = by

    def now(self) -> datetime:
        return super().now() + self.by


async def register(
    client: httpx.AsyncClient, username: str, domain: str = "example.com", **extra: Any
) -> httpx.Response:
    body = {
        "username": username,
        "email": f"{username}@{domain}",
        "pass": PASSWORD,
        "name": username.title(),
        **extra,
    }
    return await client.post("/api/v1/users.register", json=body)


async def invite(client: httpx.AsyncClient, who: Persona, **terms: int) -> httpx.Response:
    body = {"rid": GENERAL_ID, "days": terms.get("days", 7), "maxUses": terms.get("maxUses", 0)}
    return await client.post("/api/v1/findOrCreateInvite", json=body, headers=who.headers)


async def alerts(client: httpx.AsyncClient, admin: Persona) -> list[str]:
    """What chinwag.bot has said in the alerts room, oldest first, as an admin reads it."""
    query = f"/api/v1/groups.history?roomId={ALERTS_ROOM_ID}"
    r = await client.get(query, headers=admin.headers)
    assert r.status_code == 200, r.text
    return [m["msg"] for m in reversed(r.json()["messages"]) if m["u"]["_id"] == BOT_ID]


async def backdate(deps: Deps, user_id: str, minutes: int) -> None:
    async with deps.uow() as uow:
        user = await uow.users.find_by_id(user_id)
        assert user is not None
        await uow.users.update_user(
            user_id, {"created_at": user.created_at - timedelta(minutes=minutes)}
        )
    deps.auth_cache.forget_user(user_id)  # what a signed-in caller is, read afresh


# --- invite links ---


async def test_invite_terms_past_the_caps_are_refused_for_everyone(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Accounts_Min_Age_To_Invite_Minutes", 0)
    await set_setting(deps, "Invites_Max_Days", 7)
    await set_setting(deps, "Invites_Max_Uses", 25)
    for days in (0, 15, 30):
        body = assert_error(await invite(client, admin, days=days), 400, "invalid-number-of-days")
        assert "7 days" in str(body["error"])
    for uses in (0, 50, 100):
        r = await invite(client, admin, maxUses=uses)
        assert_error(r, 400, "invalid-number-of-uses")
    r = await invite(client, admin, days=7, maxUses=25)
    assert r.status_code == 200, r.text
    assert r.json()["paused"] is False


async def test_a_link_that_fills_too_fast_pauses_alerts_admins_and_resumes(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await set_setting(deps, "Invites_Pause_After_Joins", 3)
    token = (await invite(client, admin)).json()["_id"]
    for n in range(3):
        r = await register(client, f"guest{n}", secretURL=token)
        assert r.status_code == 200, r.text
    r = await register(client, "guest3", secretURL=token)
    assert_error(r, 400, "error-invite-paused")
    listed = (await client.get("/api/v1/listInvites", headers=admin.headers)).json()
    assert [(i["_id"], i["paused"]) for i in listed] == [(token, True)]
    valid = await client.post("/api/v1/validateInviteToken", json={"token": token})
    assert valid.json()["valid"] is False

    [alert] = await alerts(client, admin)
    assert token in alert and "paused" in alert
    assert ALERTS_ROOM_ID in await room_ids_of(deps, admin.id)
    assert ALERTS_ROOM_ID not in await room_ids_of(deps, alice.id)

    body = {"inviteId": token}
    r = await client.post("/api/v1/invites.resume", json=body, headers=alice.headers)
    assert_error(r, 403)
    r = await client.post("/api/v1/invites.resume", json=body, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["invite"]["paused"] is False
    assert (await register(client, "guest3", secretURL=token)).status_code == 200
    assert GENERAL_ID in await room_ids_of(deps, (await user_named(deps, "guest3")).id)


async def test_an_invite_only_server_says_the_link_is_paused(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Invites_Pause_After_Joins", 1)
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    token = (await invite(client, admin)).json()["_id"]
    assert (await register(client, "early", secretURL=token)).status_code == 200
    body = assert_error(await register(client, "late", secretURL=token), 400)
    assert body["errorType"] == "error-invite-paused" and "paused" in str(body["error"])


async def test_a_paused_link_refuses_members_joining_through_it(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    await set_setting(deps, "Invites_Pause_After_Joins", 1)
    r = await client.post("/api/v1/groups.create", json={"name": "club"}, headers=admin.headers)
    rid = r.json()["group"]["_id"]
    body = {"rid": rid, "days": 1, "maxUses": 0}
    token = (
        await client.post("/api/v1/findOrCreateInvite", json=body, headers=admin.headers)
    ).json()["_id"]
    r = await client.post("/api/v1/useInviteToken", json={"token": token}, headers=alice.headers)
    assert r.status_code == 200, r.text
    r = await client.post("/api/v1/useInviteToken", json={"token": token}, headers=bob.headers)
    assert_error(r, 400, "error-invite-paused")
    assert rid not in await room_ids_of(deps, bob.id)


async def test_invite_stats_show_joins_accounts_domains_and_networks(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    token = (await invite(client, admin)).json()["_id"]
    for name, domain in (("ann", "spam.test"), ("ben", "spam.test"), ("cat", "example.org")):
        assert (await register(client, name, domain, secretURL=token)).status_code == 200
    r = await client.get(f"/api/v1/invites.stats?inviteId={token}", headers=alice.headers)
    assert_error(r, 403)
    r = await client.get(f"/api/v1/invites.stats?inviteId={token}", headers=admin.headers)
    assert r.status_code == 200, r.text
    stats = r.json()
    assert stats["invite"]["_id"] == token and stats["invite"]["uses"] == 3
    assert [j["count"] for j in stats["joins"]] == [3]
    assert [a["username"] for a in stats["accounts"]] == ["ann", "ben", "cat"]
    ann = stats["accounts"][0]
    assert ann["emails"] == [{"address": "ann@spam.test", "verified": False}]
    # The test client calls from 127.0.0.1: the network is kept, not the address.
    assert ann["network"] == "127.0.0.0/24" and ann["createdAt"]
    assert stats["domains"] == [
        {"domain": "spam.test", "count": 2},
        {"domain": "example.org", "count": 1},
    ]
    assert stats["networks"] == [{"network": "127.0.0.0/24", "count": 3}]
    r = await client.get("/api/v1/invites.stats?inviteId=nope", headers=admin.headers)
    assert_error(r, 400, "invalid-invitation-id")


# --- sign-up bursts ---


async def status(client: httpx.AsyncClient, who: Persona) -> dict[str, Any]:
    r = await client.get("/api/v1/moderation.signupStatus", headers=who.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_a_burst_of_signups_holds_new_accounts_until_an_admin_ends_it(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await set_setting(deps, "Accounts_Signup_Burst_Per_Minute", 3)
    assert (await status(client, admin))["approvalRequired"] is False
    actives = [(await register(client, f"rush{n}")).json()["user"]["active"] for n in range(5)]
    assert actives == [True, True, True, False, False]  # the 4th in a minute trips it
    now = await status(client, admin)
    assert now["approvalRequired"] is True and now["manualApproval"] is False
    assert "more than 3 sign-ups in a minute" in now["burst"]["reason"]
    [alert] = await alerts(client, admin)
    assert "Sign-up burst" in alert

    assert_error(await client.get("/api/v1/moderation.signupStatus", headers=alice.headers), 403)
    r = await client.post("/api/v1/moderation.endSignupBurst", headers=alice.headers)
    assert_error(r, 403)
    r = await client.post("/api/v1/moderation.endSignupBurst", headers=admin.headers)
    assert r.status_code == 200 and r.json()["burst"] is None
    assert (await register(client, "calm")).json()["user"]["active"] is True
    assert len(await alerts(client, admin)) == 2


async def test_a_burst_ends_by_itself_after_the_cool_down(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Accounts_Signup_Burst_Per_Network_Per_Minute", 1)
    await set_setting(deps, "Accounts_Signup_Burst_Cooldown_Minutes", 30)
    assert (await register(client, "first")).json()["user"]["active"] is True
    assert (await register(client, "second")).json()["user"]["active"] is False
    reason = (await status(client, admin))["burst"]["reason"]
    assert "127.0.0.0/24" in reason
    await set_setting(deps, "Accounts_Signup_Burst_Per_Network_Per_Minute", 0)
    assert (await register(client, "third")).json()["user"]["active"] is False
    deps.clock = ShiftedClock(timedelta(minutes=31))
    assert (await status(client, admin))["burst"] is None
    assert (await register(client, "fourth")).json()["user"]["active"] is True


async def test_a_burst_from_one_email_domain_is_caught(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await set_setting(deps, "Accounts_Signup_Burst_Per_Domain_Per_Minute", 2)
    held = [
        (await register(client, f"d{n}", "spam.test")).json()["user"]["active"] for n in range(3)
    ]
    assert held == [True, True, False]
    assert "@spam.test" in (await status(client, admin))["burst"]["reason"]


# --- young accounts and room creation ---


async def test_young_accounts_wait_to_invite_and_create_rooms(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await set_setting(deps, "Accounts_Min_Age_To_Invite_Minutes", 60)
    await set_setting(deps, "Accounts_Min_Age_To_Create_Rooms_Minutes", 120)
    r = await client.post("/api/v1/channels.create", json={"name": "mine"}, headers=alice.headers)
    body = assert_error(r, 403, "error-account-too-new")
    assert "120 minutes" in str(body["error"])
    r = await client.post("/api/v1/groups.create", json={"name": "mine"}, headers=alice.headers)
    assert_error(r, 403, "error-account-too-new")
    assert (await invite(client, admin)).status_code == 200  # admins are exempt

    await backdate(deps, alice.id, 90)
    r = await client.post("/api/v1/channels.create", json={"name": "mine"}, headers=alice.headers)
    assert_error(r, 403, "error-account-too-new")
    group = {"name": "ours", "members": ["alice"]}
    r = await client.post("/api/v1/groups.create", json=group, headers=admin.headers)
    rid = r.json()["group"]["_id"]
    owner = {"roomId": rid, "userId": alice.id}
    r = await client.post("/api/v1/groups.addOwner", json=owner, headers=admin.headers)
    assert r.status_code == 200, r.text
    body = {"rid": rid, "days": 7, "maxUses": 0}
    r = await client.post("/api/v1/findOrCreateInvite", json=body, headers=alice.headers)
    assert r.status_code == 200, r.text  # 90 minutes old: may invite, not yet create rooms

    await backdate(deps, alice.id, 60)
    r = await client.post("/api/v1/channels.create", json={"name": "mine"}, headers=alice.headers)
    assert r.status_code == 200, r.text


async def make_hermit(client: httpx.AsyncClient, admin: Persona, username: str) -> Persona:
    """An account in no room at all."""
    body = {
        "username": username,
        "email": f"{username}@example.com",
        "password": PASSWORD,
        "name": username.title(),
        "joinDefaultChannels": False,
    }
    r = await client.post("/api/v1/users.create", json=body, headers=admin.headers)
    assert r.status_code == 200, r.text
    return await log_in(client, username)


async def say(client: httpx.AsyncClient, who: Persona, rid: str, text: str) -> httpx.Response:
    message = {"message": {"rid": rid, "msg": text}}
    return await client.post("/api/v1/chat.sendMessage", json=message, headers=who.headers)


async def test_young_accounts_may_not_start_conversations_with_strangers(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    await set_setting(deps, "Accounts_Min_Age_To_Message_Strangers_Minutes", 30)
    hermit = await make_hermit(client, admin, "hermit")
    await make_hermit(client, admin, "loner")

    r = await client.post("/api/v1/im.create", json={"username": "hermit"}, headers=alice.headers)
    body = assert_error(r, 403, "error-account-too-new")
    assert "share no room" in str(body["error"])
    # Bob shares #general with alice: a young account may write to him.
    r = await client.post("/api/v1/im.create", json={"username": "bob"}, headers=alice.headers)
    assert r.status_code == 200, r.text
    with_bob = r.json()["room"]["_id"]
    assert (await say(client, alice, with_bob, "hi bob")).status_code == 200
    # Once bob leaves the only room they shared, alice may not go on in the DM she opened.
    r = await client.post(
        "/api/v1/channels.leave", json={"roomId": GENERAL_ID}, headers=bob.headers
    )
    assert r.status_code == 200, r.text
    assert_error(await say(client, alice, with_bob, "still there?"), 403, "error-account-too-new")
    # Someone (old enough) else opening the conversation is fine, and so is answering it.
    await backdate(deps, hermit.id, 60)
    r = await client.post("/api/v1/im.create", json={"username": "alice"}, headers=hermit.headers)
    assert r.status_code == 200, r.text
    assert (await say(client, alice, r.json()["room"]["_id"], "hello")).status_code == 200
    # Admins are exempt, however new.
    r = await client.post("/api/v1/im.create", json={"username": "loner"}, headers=admin.headers)
    assert r.status_code == 200, r.text

    await backdate(deps, alice.id, 31)
    r = await client.post("/api/v1/im.create", json={"username": "loner"}, headers=alice.headers)
    assert r.status_code == 200, r.text
    assert (await say(client, alice, with_bob, "back again")).status_code == 200


async def test_room_creation_is_capped_per_account(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await set_setting(deps, "Rooms_Created_Per_User_Per_Hour", 2)
    for name in ("one", "two"):
        r = await client.post("/api/v1/channels.create", json={"name": name}, headers=alice.headers)
        assert r.status_code == 200, r.text
    r = await client.post("/api/v1/groups.create", json={"name": "three"}, headers=alice.headers)
    body = assert_error(r, 429, "error-too-many-rooms")
    assert "2 rooms" in str(body["error"])
    for name in ("a1", "a2", "a3"):  # admins are exempt
        r = await client.post("/api/v1/channels.create", json={"name": name}, headers=admin.headers)
        assert r.status_code == 200, r.text


# --- the alerts room follows the admin role ---


async def test_the_alerts_room_follows_who_is_admin(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    await set_setting(deps, "Invites_Pause_After_Joins", 1)
    token = (await invite(client, admin)).json()["_id"]
    assert (await register(client, "guest", secretURL=token)).status_code == 200
    assert await alerts(client, admin)
    grant = {"roleName": "admin", "username": "alice"}
    r = await client.post("/api/v1/roles.addUserToRole", json=grant, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert ALERTS_ROOM_ID in await room_ids_of(deps, alice.id)
    r = await client.post("/api/v1/roles.removeUserFromRole", json=grant, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert ALERTS_ROOM_ID not in await room_ids_of(deps, alice.id)
    assert ALERTS_ROOM_ID not in await room_ids_of(deps, bob.id)
    # The bot cannot log in.
    r = await client.post("/api/v1/login", json={"user": "chinwag.bot", "password": ""})
    assert r.status_code in (400, 401)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/invites.stats?inviteId=x", "GET"),
        ("/api/v1/invites.resume", "POST"),
        ("/api/v1/moderation.signupStatus", "GET"),
        ("/api/v1/moderation.endSignupBurst", "POST"),
    ],
)
async def test_admin_endpoints_refuse_others(
    client: httpx.AsyncClient, alice: Persona, path: str, method: str
) -> None:
    body = {"inviteId": "x"} if method == "POST" else None
    r = await client.request(method, path, json=body, headers=alice.headers)
    assert_error(r, 403)


async def test_signups_keep_the_network_not_the_address(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await sign_up(client, "netty")
    async with deps.reader() as uow:
        query = sa.select(users.c.signup_network).where(users.c.username == "netty")
        assert (await uow.conn.execute(query)).scalar_one() == "127.0.0.0/24"
