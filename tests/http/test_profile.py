"""users.updateOwnBasicInfo, preferences, status and presence, avatars."""

import hashlib
from datetime import timedelta

import httpx

from chinwag.actions.deps import Deps
from chinwag.events.types import UserStatusChanged
from chinwag.http.avatar import colour, initials, render_svg
from tests.conftest import PASSWORD, Persona, assert_error, log_in

API = "/api/v1"
DIGEST = hashlib.sha256(PASSWORD.encode()).hexdigest()


async def own(client: httpx.AsyncClient, who: Persona, **data: object) -> httpx.Response:
    return await client.post(
        f"{API}/users.updateOwnBasicInfo", json={"data": data}, headers=who.headers
    )


# users.updateOwnBasicInfo ------------------------------------------------------------------


async def test_update_own_basic_info_returns_me(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post(
        f"{API}/users.updateOwnBasicInfo",
        json={
            "data": {
                "name": "Alice L",
                "username": "alice.l",
                "nickname": "ally",
                "bio": "hello",
                "statusText": "reading",
                "statusType": "away",
            },
            "customFields": {"city": "Oxford"},
        },
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert user["_id"] == alice.id
    assert (user["name"], user["username"], user["nickname"]) == ("Alice L", "alice.l", "ally")
    assert user["bio"] == "hello" and user["statusText"] == "reading"
    assert user["status"] == "away" and user["statusDefault"] == "away"
    assert user["customFields"] == {"city": "Oxford"}
    assert user["email"] == "alice@example.com"
    assert "preferences" in user["settings"]
    assert user["services"]["password"] == {"exists": True}


async def test_new_password_needs_current_password(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    other = await log_in(client, "alice")
    assert_error(await own(client, alice, newPassword="fresh one"), 400, "totp-required")
    r = await own(client, alice, newPassword="fresh one", currentPassword="wrong")
    assert_error(r, 400, "totp-invalid")
    r = await own(client, alice, newPassword=PASSWORD, currentPassword=DIGEST)
    assert_error(r, 400, "error-password-same-as-current")
    r = await own(client, alice, newPassword="fresh one", currentPassword=DIGEST)
    assert r.status_code == 200, r.text
    # This session stays; the other one ends; the new password works.
    assert (await client.get(f"{API}/me", headers=alice.headers)).status_code == 200
    assert_error(await client.get(f"{API}/me", headers=other.headers), 401)
    await log_in(client, "alice", "fresh one")


async def test_new_email_needs_current_password_and_is_unverified(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    assert_error(await own(client, alice, email="a@example.org"), 400, "totp-required")
    r = await own(client, alice, email="bob@example.com", currentPassword=PASSWORD)
    assert_error(r, 400, "error-field-unavailable")
    r = await own(client, alice, email="a@example.org", currentPassword=PASSWORD)
    assert r.json()["user"]["emails"] == [{"address": "a@example.org", "verified": False}]
    # Sending the unchanged address (as the web client's form does) needs no password.
    assert (await own(client, alice, email="a@example.org", name="A")).status_code == 200


async def test_update_own_basic_info_bad_input(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    assert_error(await own(client, alice, username="bob"), 400, "error-field-unavailable")
    assert_error(await own(client, alice, statusType="dancing"), 400, "error-invalid-status")
    assert_error(await own(client, alice, bio="b" * 300), 400, "error-bio-size-exceeded")
    assert_error(await own(client, alice, favourite="tea"), 400, "invalid-params")
    r = await client.post(f"{API}/users.updateOwnBasicInfo", json={}, headers=alice.headers)
    assert_error(r, 400, "invalid-params")
    deps.settings.set("Accounts_AllowUserProfileChange", False, deps.clock.now())
    assert_error(await own(client, alice, name="Nope"), 400, "error-not-allowed")


# preferences -------------------------------------------------------------------------------


async def test_set_and_get_preferences(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await client.post(
        f"{API}/users.setPreferences",
        json={"data": {"useEmojis": False, "idleTimeLimit": 600, "language": "de"}},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert set(user) == {"_id", "settings"} and user["_id"] == alice.id
    prefs = user["settings"]["preferences"]
    assert prefs["useEmojis"] is False and prefs["idleTimeLimit"] == 600
    assert prefs["language"] == "de"
    assert prefs["sendOnEnter"] is True  # defaults fill the rest
    got = (await client.get(f"{API}/users.getPreferences", headers=alice.headers)).json()
    assert got["success"] is True and got["preferences"] == prefs


async def test_preferences_are_type_checked(client: httpx.AsyncClient, alice: Persona) -> None:
    post = f"{API}/users.setPreferences"
    for data in (
        {"favouriteColour": "blue"},
        {"idleTimeLimit": "soon"},
        {"desktopNotifications": "always"},
        {"useEmojis": "perhaps"},
        {"language": 7},
    ):
        r = await client.post(post, json={"data": data}, headers=alice.headers)
        assert_error(r, 400, "invalid-params")
    assert_error(await client.post(post, json={}, headers=alice.headers), 400, "invalid-params")


async def test_preferences_of_others_need_permission(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    body = {"userId": bob.id, "data": {"useEmojis": False}}
    r = await client.post(f"{API}/users.setPreferences", json=body, headers=alice.headers)
    assert_error(r, 403)
    r = await client.post(f"{API}/users.setPreferences", json=body, headers=admin.headers)
    assert r.json()["user"]["settings"]["preferences"]["useEmojis"] is False
    body = {"userId": "ghost", "data": {}}
    r = await client.post(f"{API}/users.setPreferences", json=body, headers=admin.headers)
    assert_error(r, 400, "error-invalid-user")


# status and presence -----------------------------------------------------------------------


async def test_set_status_persists_status_and_default(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    with deps.bus.capture() as published:  # type: ignore[attr-defined]
        r = await client.post(
            f"{API}/users.setStatus",
            json={"status": "busy", "message": "in a meeting"},
            headers=alice.headers,
        )
    assert r.json() == {"success": True}
    assert published == [
        UserStatusChanged(
            user_id=alice.id, username="alice", status="busy", status_text="in a meeting"
        )
    ]
    me = (await client.get(f"{API}/me", headers=alice.headers)).json()
    assert (me["status"], me["statusDefault"], me["statusText"]) == ("busy", "busy", "in a meeting")
    r = await client.get(f"{API}/users.getStatus", headers=alice.headers)
    assert r.json() == {
        "_id": alice.id,
        "connectionStatus": "offline",
        "status": "busy",
        "success": True,
    }
    r = await client.get(f"{API}/users.getStatus", params={"userId": alice.id}, headers=bob.headers)
    assert r.json() == {"_id": alice.id, "status": "busy", "success": True}


async def test_set_status_message_only_keeps_status(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    await client.post(f"{API}/users.setStatus", json={"status": "away"}, headers=alice.headers)
    r = await client.post(
        f"{API}/users.setStatus", json={"message": "x" * 200}, headers=alice.headers
    )
    assert r.status_code == 200
    me = (await client.get(f"{API}/me", headers=alice.headers)).json()
    assert me["status"] == "away" and me["statusText"] == "x" * 120


async def test_set_status_bad_input_and_authorisation(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    post = f"{API}/users.setStatus"
    assert_error(await client.post(post, json={}, headers=alice.headers), 400, "invalid-params")
    r = await client.post(post, json={"status": "asleep"}, headers=alice.headers)
    assert_error(r, 400, "error-invalid-status")
    r = await client.post(post, json={"status": "away", "userId": bob.id}, headers=alice.headers)
    assert_error(r, 403)
    r = await client.post(post, json={"status": "away", "userId": bob.id}, headers=admin.headers)
    assert r.status_code == 200
    bob_status = await client.get(
        f"{API}/users.getStatus", params={"username": "bob"}, headers=alice.headers
    )
    assert bob_status.json()["status"] == "away"
    deps.settings.set("Accounts_AllowUserStatusMessageChange", False, deps.clock.now())
    r = await client.post(post, json={"message": "hi"}, headers=alice.headers)
    assert_error(r, 400, "error-not-allowed")


async def test_get_presence_shapes(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> None:
    r = await client.get(f"{API}/users.getPresence", headers=alice.headers)
    body = r.json()
    assert body["presence"] == "offline" and body["connectionStatus"] == "offline"
    assert body["lastLogin"].endswith("Z") and body["success"] is True
    r = await client.get(
        f"{API}/users.getPresence", params={"userId": bob.id}, headers=alice.headers
    )
    assert r.json() == {"presence": "offline", "success": True}
    r = await client.get(
        f"{API}/users.getPresence", params={"username": "ghost"}, headers=alice.headers
    )
    assert_error(r, 400, "error-invalid-user")


async def test_presence_lists_users_not_offline(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    await client.post(
        f"{API}/users.setStatus", json={"status": "online", "message": "hi"}, headers=bob.headers
    )
    r = await client.get(f"{API}/users.presence", headers=alice.headers)
    body = r.json()
    assert body["full"] is True and body["success"] is True
    by_id = {u["_id"]: u for u in body["users"]}
    assert by_id[bob.id] == {
        "_id": bob.id,
        "username": "bob",
        "name": "Bob",
        "status": "online",
        "statusText": "hi",
    }
    assert alice.id not in by_id  # offline
    assert "rocket.cat" in by_id  # the bot is always online
    r = await client.get(
        f"{API}/users.presence", params={"ids": f"{bob.id},{alice.id}"}, headers=alice.headers
    )
    assert r.json()["full"] is False and [u["_id"] for u in r.json()["users"]] == [bob.id]
    recent = (deps.clock.now() - timedelta(minutes=1)).isoformat()
    r = await client.get(f"{API}/users.presence", params={"from": recent}, headers=alice.headers)
    assert r.json()["full"] is False and bob.id in [u["_id"] for u in r.json()["users"]]
    old = (deps.clock.now() - timedelta(hours=1)).isoformat()
    r = await client.get(f"{API}/users.presence", params={"from": old}, headers=alice.headers)
    assert r.json()["full"] is True
    r = await client.get(
        f"{API}/users.presence", params={"from": "yesterday"}, headers=alice.headers
    )
    assert_error(r, 400, "invalid-params")


# avatars -----------------------------------------------------------------------------------


async def test_get_avatar_redirects_without_login(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await client.get(f"{API}/users.getAvatar", params={"userId": alice.id})
    assert r.status_code == 307
    assert r.headers["location"] == "http://chinwag.test/avatar/alice"
    r = await client.get(f"{API}/users.getAvatar", params={"username": "ghost"})
    assert_error(r, 400, "error-invalid-user")
    assert_error(await client.get(f"{API}/users.getAvatar"), 400, "error-user-param-not-provided")


async def test_avatar_is_an_initials_svg_with_cache_headers(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    r = await client.get("/avatar/rocket.cat")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert "max-age" in r.headers["cache-control"] and r.headers["etag"]
    assert ">RC</text>" in r.text and colour("rocket.cat") in r.text
    again = await client.get("/avatar/rocket.cat", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    svg = await client.get("/avatar/rocket.cat.svg")
    assert svg.text == r.text
    unknown = await client.get("/avatar/nobody-at-all")
    assert unknown.status_code == 200 and ">NA</text>" in unknown.text


async def test_avatar_escapes_what_comes_from_the_url(client: httpx.AsyncClient) -> None:
    r = await client.get("/avatar/%3Cscript%3E")
    assert r.status_code == 200
    assert "<script" not in r.text.lower() and "&lt;S" in r.text
    assert "<script" not in render_svg('"<a>').lower()


def test_initials_and_colours_are_stable() -> None:
    assert initials("alice") == "AL"
    assert initials("jane.doe") == "JD"
    assert initials("...") == "?"
    assert colour("alice") == colour("ALICE")
    assert len({colour(n) for n in ("alice", "bob", "carol", "dave", "erin")}) > 1
