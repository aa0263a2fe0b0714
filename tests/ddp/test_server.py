"""The /websocket DDP endpoint on a live server, driven by a plain WebSocket client."""

import asyncio

import pytest

from tests.clients.live import ADMIN
from tests.ddp.ddp_client import connect, digest, rest, rest_login

pytestmark = pytest.mark.e2e


async def test_login_subscribe_and_receive_a_rest_post(server_url: str) -> None:
    async with connect(server_url) as client:
        result = await client.call(
            "login", {"user": {"username": ADMIN[0]}, "password": digest(ADMIN[1])}
        )
        assert result["result"]["type"] == "password" and result["result"]["token"]
        assert (
            await client.sub(
                "stream-room-messages", "GENERAL", {"useCollection": False, "args": []}
            )
        )["msg"] == "ready"
        headers = await rest_login(server_url, ADMIN[0], ADMIN[1])
        await rest(
            server_url,
            "POST",
            "/chat.postMessage",
            headers=headers,
            json={"channel": "#general", "text": "over REST"},
        )
        change = await client.expect(lambda m: m.get("msg") == "changed")
        assert change["collection"] == "stream-room-messages"
        assert change["id"] == "id" and change["fields"]["eventName"] == "GENERAL"
        message = change["fields"]["args"][0]
        assert message["msg"] == "over REST" and "$date" in message["ts"]


async def test_resume_token_and_send_over_ddp(server_url: str) -> None:
    headers = await rest_login(server_url, ADMIN[0], ADMIN[1])
    async with connect(server_url) as client:
        result = await client.call("login", {"resume": headers["X-Auth-Token"]})
        assert (
            result["result"]["id"] == headers["X-User-Id"] and result["result"]["type"] == "resume"
        )
        sent = await client.call(
            "sendMessage", {"rid": "GENERAL", "msg": "over DDP", "_id": "ddpmessage0000001"}
        )
        assert sent["result"]["_id"] == "ddpmessage0000001"
        history = await rest(
            server_url, "GET", "/channels.history", headers=headers, params={"roomId": "GENERAL"}
        )
        assert history["messages"][0]["msg"] == "over DDP"
        loaded = await client.call("loadHistory", "GENERAL", None, 5, None)
        assert loaded["result"]["messages"][0]["_id"] == "ddpmessage0000001"


async def test_errors_are_meteor_errors(server_url: str) -> None:
    async with connect(server_url) as client:
        bad = await client.call(
            "login", {"user": {"username": ADMIN[0]}, "password": digest("wrong")}
        )
        assert bad["error"]["error"] == 403 and bad["error"]["errorType"] == "Meteor.Error"
        unknown = await client.call("noSuchMethod")
        assert unknown["error"]["error"] == 404
        anonymous = await client.call("sendMessage", {"rid": "GENERAL", "msg": "hi"})
        assert anonymous["error"]["error"] == "not-authorized"
        refused = await client.sub("stream-room-messages", "GENERAL", False)
        assert refused["msg"] == "nosub"


async def test_private_room_stream_is_refused_to_outsiders(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    await rest(
        server_url,
        "POST",
        "/users.create",
        headers=admin,
        json={
            "email": "out@example.com",
            "name": "Out",
            "password": "out-pass-1",
            "username": "outsider",
        },
    )
    made = await rest(
        server_url, "POST", "/groups.create", headers=admin, json={"name": "inner-circle"}
    )
    group = made["group"]
    async with connect(server_url) as client:
        await client.call(
            "login", {"user": {"username": "outsider"}, "password": digest("out-pass-1")}
        )
        refused = await client.sub("stream-room-messages", group["_id"], False)
        assert refused["msg"] == "nosub"
        await rest(
            server_url,
            "POST",
            "/chat.postMessage",
            headers=admin,
            json={"roomId": group["_id"], "text": "secret"},
        )
        with pytest.raises(TimeoutError):
            await client.expect(lambda m: m.get("msg") == "changed", within=0.5)


async def test_typing_reaches_other_members(server_url: str) -> None:
    headers = await rest_login(server_url, ADMIN[0], ADMIN[1])
    async with connect(server_url) as watcher:
        await watcher.call("login", {"resume": headers["X-Auth-Token"]})
        await watcher.sub(
            "stream-notify-room", "GENERAL/user-activity", {"useCollection": False, "args": []}
        )
        async with connect(server_url) as typist:
            await typist.call("login", {"resume": headers["X-Auth-Token"]})
            done = await typist.call(
                "stream-notify-room", "GENERAL/user-activity", ADMIN[0], ["user-typing"], {}
            )
            assert "error" not in done
            change = await watcher.expect(lambda m: m.get("msg") == "changed")
            assert change["fields"] == {
                "eventName": "GENERAL/user-activity",
                "args": [ADMIN[0], ["user-typing"], {}],
            }


async def test_presence_follows_sockets(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    await rest(
        server_url,
        "POST",
        "/users.create",
        headers=admin,
        json={
            "email": "pres@example.com",
            "name": "Pres",
            "password": "pres-pass-1",
            "username": "pres",
        },
    )

    async def presence() -> str:
        body = await rest(
            server_url, "GET", "/users.getPresence", headers=admin, params={"username": "pres"}
        )
        status: str = body["presence"]
        return status

    assert await presence() == "offline"
    async with connect(server_url) as watcher:
        await watcher.call("login", {"resume": admin["X-Auth-Token"]})
        await watcher.sub(
            "stream-notify-logged", "user-status", {"useCollection": False, "args": []}
        )
        async with connect(server_url) as first, connect(server_url) as second:
            for socket in (first, second):
                await socket.call(
                    "login", {"user": {"username": "pres"}, "password": digest("pres-pass-1")}
                )
            change = await watcher.expect(lambda m: m.get("msg") == "changed")
            assert change["fields"]["args"][0][1:3] == ["pres", 1]
            assert await presence() == "online"
            await first.call("UserPresence:away")
            assert await presence() == "online"  # the other socket is still active
            await second.call("UserPresence:away")
            assert await presence() == "away"
        await asyncio.sleep(0.2)  # the server notices both sockets closing
        assert await presence() == "offline"


async def test_a_kicked_member_stops_receiving_at_once(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    await rest(
        server_url,
        "POST",
        "/users.create",
        headers=admin,
        json={
            "email": "kick@example.com",
            "name": "Kick",
            "password": "kick-pass-1",
            "username": "kickme",
        },
    )
    made = await rest(
        server_url,
        "POST",
        "/groups.create",
        headers=admin,
        json={"name": "ops", "members": ["kickme"]},
    )
    gid = made["group"]["_id"]
    async with connect(server_url) as member:
        await member.call(
            "login", {"user": {"username": "kickme"}, "password": digest("kick-pass-1")}
        )
        assert (await member.sub("stream-room-messages", gid, False))["msg"] == "ready"
        rooms = (await member.call("rooms/get"))["result"]
        assert gid in {r["_id"] for r in rooms}
        await rest(
            server_url,
            "POST",
            "/chat.postMessage",
            headers=admin,
            json={"roomId": gid, "text": "before"},
        )
        seen = await member.expect(lambda m: m.get("msg") == "changed")
        assert seen["fields"]["args"][0]["msg"] == "before"
        await rest(
            server_url,
            "POST",
            "/groups.kick",
            headers=admin,
            json={"roomId": gid, "username": "kickme"},
        )
        await member.expect(lambda m: m.get("msg") == "nosub")
        await rest(
            server_url,
            "POST",
            "/chat.postMessage",
            headers=admin,
            json={"roomId": gid, "text": "after"},
        )
        with pytest.raises(TimeoutError):
            await member.expect(
                lambda m: (
                    m.get("msg") == "changed" and m["fields"]["args"][0].get("msg") == "after"
                ),
                within=0.7,
            )


async def test_edits_and_deletions_are_streamed(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    async with connect(server_url) as client:
        await client.call("login", {"resume": admin["X-Auth-Token"]})
        await client.sub("stream-room-messages", "GENERAL", False)
        await client.sub("stream-notify-room", "GENERAL/deleteMessage", False)
        posted = await rest(
            server_url,
            "POST",
            "/chat.postMessage",
            headers=admin,
            json={"roomId": "GENERAL", "text": "draft"},
        )
        mid = posted["message"]["_id"]
        await client.expect(
            lambda m: m.get("msg") == "changed" and m["fields"]["args"][0]["msg"] == "draft"
        )
        await rest(
            server_url,
            "POST",
            "/chat.update",
            headers=admin,
            json={"roomId": "GENERAL", "msgId": mid, "text": "final"},
        )
        edited = await client.expect(
            lambda m: m.get("msg") == "changed" and m["fields"]["args"][0].get("msg") == "final"
        )
        assert "editedAt" in edited["fields"]["args"][0]
        await rest(
            server_url,
            "POST",
            "/chat.delete",
            headers=admin,
            json={"roomId": "GENERAL", "msgId": mid},
        )
        gone = await client.expect(lambda m: m.get("collection") == "stream-notify-room")
        assert gone["fields"] == {"eventName": "GENERAL/deleteMessage", "args": [{"_id": mid}]}


async def test_message_methods_and_sidebar_events(server_url: str) -> None:
    admin = await rest_login(server_url, ADMIN[0], ADMIN[1])
    async with connect(server_url) as client:
        me = (await client.call("login", {"resume": admin["X-Auth-Token"]}))["result"]["id"]
        await client.sub("stream-notify-user", f"{me}/subscriptions-changed", False)
        created = await client.call("createChannel", "ddp-made", [], False)
        rid = created["result"]["rid"]
        joined = await client.expect(
            lambda m: (
                m.get("collection") == "stream-notify-user"
                and m["fields"]["args"][1].get("rid") == rid
            )
        )
        assert joined["fields"]["args"][0] == "inserted"
        sent = await client.call("sendMessage", {"rid": rid, "msg": "first"})
        mid = sent["result"]["_id"]
        assert "error" not in await client.call(
            "updateMessage", {"_id": mid, "rid": rid, "msg": "second"}
        )
        single = await client.call("getSingleMessage", mid)
        assert single["result"]["msg"] == "second" and "$date" in single["result"]["editedAt"]
        assert "error" not in await client.call(
            "starMessage", {"_id": mid, "rid": rid, "starred": True}
        )
        pinned = await client.call("pinMessage", {"_id": mid, "rid": rid})
        assert pinned["result"]["t"] == "message_pinned"
        assert "error" not in await client.call("deleteMessage", {"_id": mid})
        gone = await client.call("getSingleMessage", mid)
        assert gone["error"]["error"] == "error-message-not-found"
