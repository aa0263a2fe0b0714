"""dm.* and im.*: direct messages, the same handlers under both prefixes."""

import httpx
import pytest

from tests.conftest import Persona, assert_error, sign_up
from tests.http.rooms_support import assert_hidden, get, ok_get, ok_post, post, say


async def open_dm(client: httpx.AsyncClient, who: Persona, other: str) -> str:
    room = (await ok_post(client, who, "dm.create", username=other))["room"]
    rid: str = room["rid"]
    return rid


@pytest.mark.parametrize("prefix", ["dm", "im"])
async def test_create_answers_the_room_with_rid_and_members(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, prefix: str
) -> None:
    room = (await ok_post(client, alice, f"{prefix}.create", username="bob"))["room"]
    assert room["_id"] == room["rid"] == "".join(sorted([alice.id, bob.id]))
    assert room["t"] == "d"
    assert room["usernames"] == ["alice", "bob"] and set(room["uids"]) == {alice.id, bob.id}
    assert "name" not in room
    again = (await ok_post(client, bob, f"{prefix}.create", username="alice"))["room"]
    assert again["_id"] == room["_id"]


async def test_create_a_group_dm_and_exclude_self(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    await sign_up(client, "carol")
    room = (await ok_post(client, alice, "dm.create", usernames="bob, carol"))["room"]
    assert room["usernames"] == ["alice", "bob", "carol"] and room["usersCount"] == 3
    without = (await ok_post(client, alice, "dm.create", usernames="bob,carol", excludeSelf=True))[
        "room"
    ]
    assert without["usernames"] == ["bob", "carol"]
    r = await post(client, alice, "dm.create", username="ghost")
    assert_error(r, 400, "error-invalid-user")
    assert_error(await post(client, alice, "dm.create"), 400)


async def test_list_history_messages_members_counters(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    rid = await open_dm(client, alice, "bob")
    for text in ("one", "two", "@bob three"):
        await say(client, alice, rid, text)
    ims = await ok_get(client, bob, "im.list")
    assert [i["_id"] for i in ims["ims"]] == [rid]
    assert ims["ims"][0]["lastMessage"]["msg"] == "@bob three" and ims["total"] == 1
    history = await ok_get(client, bob, "dm.history", roomId=rid)
    assert [m["msg"] for m in history["messages"]] == ["@bob three", "two", "one"]
    mentioned = await ok_get(client, bob, "dm.messages", username="alice", mentionIds=bob.id)
    assert [m["msg"] for m in mentioned["messages"]] == ["@bob three"]
    assert mentioned["total"] == 1
    members = await ok_get(client, bob, "im.members", roomId=rid)
    assert [m["username"] for m in members["members"]] == ["alice", "bob"]
    counters = await ok_get(client, bob, "dm.counters", roomId=rid)
    assert counters["joined"] is True and counters["unreads"] == 3
    assert counters["userMentions"] == 1 and counters["members"] == 2
    files = await ok_get(client, bob, "dm.files", roomId=rid)
    assert files == {"files": [], "count": 0, "offset": 0, "total": 0, "success": True}


async def test_outsiders_never_see_a_dm(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    rid = await open_dm(client, alice, "bob")
    await say(client, alice, rid, "between us")
    carol = await sign_up(client, "carol")
    for endpoint in ("dm.history", "dm.messages", "dm.members", "dm.counters", "dm.files"):
        assert_hidden(await get(client, carol, endpoint, roomId=rid), "between us")
    for endpoint, body in (("dm.open", {}), ("dm.close", {}), ("dm.setTopic", {"topic": "x"})):
        assert_hidden(await post(client, carol, endpoint, roomId=rid, **body), "between us")
    assert_hidden(await get(client, admin, "dm.history", roomId=rid), "between us")
    assert_hidden(await get(client, alice, "channels.info", roomId=rid))
    assert [i["_id"] for i in (await ok_get(client, carol, "dm.list"))["ims"]] == []


async def test_close_and_open_the_sidebar_entry(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    rid = await open_dm(client, alice, "bob")
    await ok_post(client, bob, "dm.close", roomId=rid)
    assert_error(await post(client, bob, "dm.close", roomId=rid), 400)
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["open"] is False
    await say(client, alice, rid, "ping")  # a new message brings it back
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["open"] is True
    await ok_post(client, bob, "im.open", roomId=rid)  # already open: no error for DMs
    assert_error(await post(client, bob, "dm.open"), 400, "error-room-param-not-provided")


async def test_set_topic_needs_edit_room(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    rid = await open_dm(client, alice, "boss")
    r = await post(client, alice, "dm.setTopic", roomId=rid, topic="plans")
    assert_error(r, 403, "error-action-not-allowed")
    assert (await ok_post(client, admin, "dm.setTopic", roomId=rid, topic="plans")) == {
        "topic": "plans",
        "success": True,
    }
    found = await ok_get(client, alice, "dm.history", roomId=rid)
    assert [(m["t"], m["msg"]) for m in found["messages"]] == [("room_changed_topic", "plans")]


async def test_delete_needs_delete_d(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    rid = await open_dm(client, alice, "bob")
    r = await post(client, alice, "dm.delete", roomId=rid)
    assert_error(r, 403, "error-not-allowed")
    await ok_post(client, admin, "dm.delete", roomId=rid)  # room administrators see every DM
    assert_hidden(await get(client, alice, "dm.history", roomId=rid))
    r = await post(client, alice, "dm.delete", username="bob")
    assert_error(r, 400, "error-room-not-found")
