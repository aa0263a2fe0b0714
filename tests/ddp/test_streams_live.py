"""Rocket.Chat's streams and the rest of its DDP methods on a live server: the user's own
document, __my_messages__, notifications, presence, sidebar and admin events, and history,
member, status and room-setting methods."""

import asyncio
from typing import Any

import pytest

from tests.clients.live import ADMIN
from tests.ddp.ddp_client import DdpClient, connect, digest, make_user, rest, rest_login

pytestmark = pytest.mark.e2e


def changed_on(collection: str, event_name: str | None = None, text: str | None = None) -> Any:
    """Matches a `changed` frame of this stream (and eventName, and message text)."""

    def match(m: dict[str, Any]) -> bool:
        if m.get("msg") != "changed" or m.get("collection") != collection:
            return False
        if text is not None and m["fields"]["args"][0].get("msg") != text:
            return False
        return event_name is None or m["fields"].get("eventName") == event_name

    return match


async def log_in(client: DdpClient, headers: dict[str, str]) -> str:
    answer = await client.call("login", {"resume": headers["X-Auth-Token"]})
    uid: str = answer["result"]["id"]
    return uid


async def post(server_url: str, headers: dict[str, str], rid: str, text: str) -> dict[str, Any]:
    answer = await rest(
        server_url,
        "POST",
        "/chat.postMessage",
        headers=headers,
        json={"roomId": rid, "text": text},
    )
    assert answer["success"], answer
    message: dict[str, Any] = answer["message"]
    return message


async def test_own_user_document_is_published_and_kept_current(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    dora = await make_user(server_url, admin, "dora")
    async with connect(server_url) as client:
        uid = await log_in(client, dora)
        added = await client.expect(lambda m: m.get("msg") == "added")
        assert added["collection"] == "users" and added["id"] == uid
        assert added["fields"]["username"] == "dora" and "$date" in added["fields"]["_updatedAt"]
        assert "services" in added["fields"] and "_id" not in added["fields"]
        await client.sub("stream-notify-user", f"{uid}/userData", False)
        await client.sub("stream-notify-logged", "Users:NameChanged", False)
        await rest(
            server_url,
            "POST",
            "/users.update",
            headers=admin,
            json={"userId": uid, "data": {"name": "Dora Explorer"}},
        )
        own = await client.expect(
            lambda m: m.get("msg") == "changed" and m["collection"] == "users"
        )
        assert own["id"] == uid and own["fields"]["name"] == "Dora Explorer"
        data = await client.expect(changed_on("stream-notify-user", f"{uid}/userData"))
        assert data["fields"]["args"][0]["type"] == "updated"
        assert data["fields"]["args"][0]["diff"]["name"] == "Dora Explorer"
        renamed = await client.expect(changed_on("stream-notify-logged", "Users:NameChanged"))
        assert renamed["fields"]["args"] == [
            {"_id": uid, "name": "Dora Explorer", "username": "dora"}
        ]
        await client.call("logout")
        gone = await client.expect(lambda m: m.get("msg") == "removed")
        assert gone == {"msg": "removed", "collection": "users", "id": uid}


async def test_my_messages_follows_membership(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    eve = await make_user(server_url, admin, "eve")
    made = await rest(
        server_url, "POST", "/groups.create", headers=admin, json={"name": "later-room"}
    )
    gid = made["group"]["_id"]
    async with connect(server_url) as client:
        await log_in(client, eve)
        ready = await client.sub("stream-room-messages", "__my_messages__", False)
        assert ready["msg"] == "ready"
        await post(server_url, admin, "GENERAL", "to everyone")
        seen = await client.expect(changed_on("stream-room-messages", "__my_messages__"))
        assert seen["fields"]["args"][0]["msg"] == "to everyone"
        await post(server_url, admin, gid, "before joining")
        await rest(
            server_url,
            "POST",
            "/groups.invite",
            headers=admin,
            json={"roomId": gid, "username": "eve"},
        )
        await post(server_url, admin, gid, "after joining")
        await client.expect(changed_on("stream-room-messages", "__my_messages__", "after joining"))
        await rest(
            server_url,
            "POST",
            "/groups.kick",
            headers=admin,
            json={"roomId": gid, "username": "eve"},
        )
        await asyncio.sleep(0.1)
        await post(server_url, admin, gid, "after leaving")
        await post(server_url, admin, "GENERAL", "still here")
        await client.expect(changed_on("stream-room-messages", "__my_messages__", "still here"))
        assert not [m for m in client.inbox if m.get("msg") == "nosub"]
        heard = [
            m["fields"]["args"][0].get("msg")
            for m in client.inbox
            if m.get("collection") == "stream-room-messages"
        ]
        assert "before joining" not in heard and "after leaving" not in heard


async def test_direct_messages_and_mentions_notify(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    fay = await make_user(server_url, admin, "fay")
    await make_user(server_url, admin, "gus")
    async with connect(server_url) as client:
        uid = await log_in(client, fay)
        await client.sub("stream-notify-user", f"{uid}/notification", False)
        dm = await rest(server_url, "POST", "/im.create", headers=admin, json={"username": "fay"})
        await post(server_url, admin, dm["room"]["_id"], "psst")
        notice = await client.expect(changed_on("stream-notify-user", f"{uid}/notification"))
        body = notice["fields"]["args"][0]
        assert body["title"] == ADMIN[0] and body["text"] == "psst"
        assert body["payload"]["rid"] == dm["room"]["_id"] and body["payload"]["type"] == "d"
        await post(server_url, admin, "GENERAL", "hello @gus")
        await post(server_url, admin, "GENERAL", "hello @fay")
        mention = await client.expect(changed_on("stream-notify-user", f"{uid}/notification"))
        assert mention["fields"]["args"][0]["title"] == "#general"
        assert mention["fields"]["args"][0]["text"] == f"{ADMIN[0]}: hello @fay"
        assert not [m for m in client.inbox if m.get("collection") == "stream-notify-user"]


async def test_user_presence_stream_watches_a_set_of_users(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    hal = await make_user(server_url, admin, "hal")
    ida = await make_user(server_url, admin, "ida")
    async with connect(server_url) as watcher:
        await log_in(watcher, admin)
        hal_id, ida_id = hal["X-User-Id"], ida["X-User-Id"]
        first = await watcher.sub("stream-user-presence", "", {"added": [hal_id]})
        assert first["msg"] == "ready"
        again = await watcher.sub("stream-user-presence", "", {"added": [ida_id]})
        assert again["msg"] == "nosub" and "error" not in again
        async with connect(server_url) as hal_socket:
            await log_in(hal_socket, hal)
            online = await watcher.expect(changed_on("stream-user-presence"))
            assert online["id"] == hal_id
            assert online["fields"] == {"uid": hal_id, "args": ["hal", 1, ""], "eventName": hal_id}
            await watcher.sub("stream-user-presence", "", {"removed": [hal_id]})
            async with connect(server_url) as ida_socket:
                await log_in(ida_socket, ida)
                seen = await watcher.expect(changed_on("stream-user-presence"))
                assert seen["id"] == ida_id
        with pytest.raises(TimeoutError):  # hal going offline is no longer watched
            await watcher.expect(
                lambda m: changed_on("stream-user-presence")(m) and m["id"] == hal_id, within=0.5
            )


async def test_sidebar_and_admin_events(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    jo = await make_user(server_url, admin, "jo")
    made = await rest(
        server_url, "POST", "/channels.create", headers=admin, json={"name": "renamed-soon"}
    )
    rid = made["channel"]["_id"]
    async with connect(server_url) as client:
        uid = await log_in(client, admin)
        await client.sub("stream-notify-user", f"{uid}/rooms-changed", False)
        await client.sub("stream-notify-logged", "roles-change", False)
        await client.sub("stream-notify-logged", "permissions-changed", False)
        await client.sub("stream-notify-logged", "Users:Deleted", False)
        await rest(
            server_url,
            "POST",
            "/channels.setTopic",
            headers=admin,
            json={"roomId": rid, "topic": "fresh topic"},
        )
        room = await client.expect(changed_on("stream-notify-user", f"{uid}/rooms-changed"))
        assert room["fields"]["args"][0] == "updated"
        assert room["fields"]["args"][1]["topic"] == "fresh topic"
        await rest(
            server_url,
            "POST",
            "/roles.addUserToRole",
            headers=admin,
            json={"roleId": "bot", "username": "jo"},
        )
        role = await client.expect(changed_on("stream-notify-logged", "roles-change"))
        assert role["fields"]["args"][0]["type"] == "added"
        assert role["fields"]["args"][0]["_id"] == "bot"
        assert role["fields"]["args"][0]["u"]["username"] == "jo"
        await rest(
            server_url,
            "POST",
            "/permissions.update",
            headers=admin,
            json={"permissions": [{"_id": "create-c", "roles": ["admin", "user", "bot"]}]},
        )
        perm = await client.expect(changed_on("stream-notify-logged", "permissions-changed"))
        assert perm["fields"]["args"][0] == "updated"
        assert perm["fields"]["args"][1]["_id"] == "create-c"
        await rest(
            server_url, "POST", "/users.delete", headers=admin, json={"userId": jo["X-User-Id"]}
        )
        deleted = await client.expect(changed_on("stream-notify-logged", "Users:Deleted"))
        assert deleted["fields"]["args"] == [{"userId": jo["X-User-Id"]}]


async def test_history_member_and_room_methods(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    await make_user(server_url, admin, "kim")
    async with connect(server_url) as client:
        await log_in(client, admin)
        created = await client.call("createChannel", "methods-room", ["kim"], False)
        rid = created["result"]["rid"]
        sent = []
        for i in range(7):
            sent.append((await client.call("sendMessage", {"rid": rid, "msg": f"m{i}"}))["result"])
            # loadNextMessages pages by time, in milliseconds, as Rocket.Chat's does: two
            # posts in one millisecond are one position to it.
            await asyncio.sleep(0.002)
        following = await client.call("loadNextMessages", rid, sent[2]["ts"], 3)
        assert [m["msg"] for m in following["result"]["messages"]] == ["m3", "m4", "m5"]
        around = await client.call("loadSurroundingMessages", {"_id": sent[3]["_id"]}, 5)
        got = around["result"]
        assert [m["msg"] for m in got["messages"]] == ["m5", "m4", "m3", "m2", "m1"]
        assert got["moreBefore"] is True and got["moreAfter"] is True
        members = await client.call("getUsersOfRoom", rid, True, {"limit": 10, "skip": 0}, "")
        assert members["result"]["total"] == 2
        assert {u["username"] for u in members["result"]["records"]} == {ADMIN[0], "kim"}
        present = await client.call("getUsersOfRoom", rid, False)
        assert [u["username"] for u in present["result"]["records"]] == [ADMIN[0]]

        saved = await client.call(
            "saveRoomSettings", rid, {"roomTopic": "via ddp", "readOnly": True}
        )
        assert saved["result"] == {"result": True, "rid": rid}
        info = await rest(
            server_url, "GET", "/channels.info", headers=admin, params={"roomId": rid}
        )
        assert info["channel"]["topic"] == "via ddp" and info["channel"]["ro"] is True
        one = await client.call("saveRoomSettings", rid, "roomDescription", "described")
        assert "error" not in one
        bad = await client.call("saveRoomSettings", rid, {"roomTopic": "x", "noSuchKey": 1})
        assert bad["error"]["error"] == "error-invalid-settings"
        typed = await client.call("saveRoomSettings", rid, {"readOnly": "yes"})
        assert typed["error"]["error"] == "error-invalid-settings"
        info = await rest(
            server_url, "GET", "/channels.info", headers=admin, params={"roomId": rid}
        )
        assert info["channel"]["topic"] == "via ddp"  # nothing of a refused call is saved

        assert (await client.call("hideRoom", rid))["result"] == 1
        subs = await rest(
            server_url, "GET", "/subscriptions.getOne", headers=admin, params={"roomId": rid}
        )
        assert subs["subscription"]["open"] is False
        assert (await client.call("openRoom", rid))["result"] == 1
        assert (await client.call("eraseRoom", rid))["result"] is True
        gone = await rest(
            server_url, "GET", "/channels.info", headers=admin, params={"roomId": rid}
        )
        assert gone["success"] is False


async def test_default_status_idle_away_and_signalling(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    lu = await make_user(server_url, admin, "lu")
    await rest(
        server_url,
        "POST",
        "/users.setPreferences",
        headers=lu,
        json={"data": {"idleTimeLimit": 1, "enableAutoAway": True}},
    )

    async def status() -> str:
        body = await rest(
            server_url, "GET", "/users.getPresence", headers=admin, params={"username": "lu"}
        )
        presence: str = body["presence"]
        return presence

    async with connect(server_url) as client, connect(server_url) as caller:
        uid = await log_in(client, lu)
        await client.sub("stream-notify-user", f"{uid}/webrtc", False)
        assert await status() == "online"
        await asyncio.sleep(1.5)
        assert await status() == "away"  # idle past the user's limit
        await client.call("getUsersOfRoom", "GENERAL", False)
        assert await status() == "online"  # any request is activity
        assert (await client.call("UserPresence:setDefaultStatus", "busy"))["result"] is True
        assert await status() == "busy"
        bad = await client.call("UserPresence:setDefaultStatus", "sleepy")
        assert bad["error"]["error"] == "error-invalid-status"

        await log_in(caller, admin)
        refused = await caller.call("stream-notify-user", f"{uid}/webrtc", {"type": "call"})
        assert refused["error"]["error"] == "not-allowed"  # no direct message shared yet
        await rest(server_url, "POST", "/im.create", headers=admin, json={"username": "lu"})
        relayed = await caller.call("stream-notify-user", f"{uid}/webrtc", {"type": "call"})
        assert "error" not in relayed
        signal = await client.expect(changed_on("stream-notify-user", f"{uid}/webrtc"))
        assert signal["fields"]["args"] == [{"type": "call"}]


async def test_a_deactivated_users_socket_loses_its_login(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    max_ = await make_user(server_url, admin, "max")
    async with connect(server_url) as client:
        await log_in(client, max_)
        assert (await client.sub("stream-room-messages", "GENERAL", False))["msg"] == "ready"
        await rest(
            server_url,
            "POST",
            "/users.setActiveStatus",
            headers=admin,
            json={"userId": max_["X-User-Id"], "activeStatus": False},
        )
        # At once, without waiting for the socket's next request.
        assert await client.expect(lambda m: m.get("msg") == "nosub")
        assert await client.expect(lambda m: m.get("msg") == "removed")
        refused = await client.call("sendMessage", {"rid": "GENERAL", "msg": "still here?"})
        assert refused["error"]["error"] == "not-authorized"
        again = await client.call(
            "login", {"user": {"username": "max"}, "password": digest("max-pass-1")}
        )
        assert "error" in again


async def test_ending_other_sessions_signs_out_only_the_others(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    nan = await make_user(server_url, admin, "nan")
    other = await rest_login(server_url, "nan", "nan-pass-1")
    async with connect(server_url) as kept, connect(server_url) as ended:
        uid = await log_in(kept, nan)
        await log_in(ended, other)
        for socket in (kept, ended):
            await socket.sub("stream-notify-user", f"{uid}/force_logout", False)
        answer = await rest(server_url, "POST", "/users.removeOtherTokens", headers=nan)
        assert answer["success"], answer
        told = await ended.expect(changed_on("stream-notify-user", f"{uid}/force_logout"))
        assert told["fields"]["args"] == []
        assert await ended.expect(lambda m: m.get("msg") == "nosub")
        with pytest.raises(TimeoutError):
            await kept.expect(lambda m: m.get("msg") in ("nosub", "changed"), within=0.5)
        assert "error" not in await kept.call("getUsersOfRoom", "GENERAL", False)
