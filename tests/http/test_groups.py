"""groups.*: private groups behave like channels for members and do not exist for others."""

import httpx
import pytest

from tests.conftest import Persona, assert_error, sign_up
from tests.http.rooms_support import (
    assert_hidden,
    create,
    get,
    history_types,
    ok_get,
    ok_post,
    post,
    say,
)

# Every groups.* endpoint that names a room, with the rest of a well-formed call.
READS = {
    "groups.info": {},
    "groups.history": {},
    "groups.messages": {},
    "groups.members": {},
    "groups.counters": {},
    "groups.roles": {},
    "groups.moderators": {},
    "groups.online": {},
    "groups.files": {},
}
WRITES = {
    "groups.invite": {"username": "carol"},
    "groups.kick": {"username": "bob"},
    "groups.leave": {},
    "groups.open": {},
    "groups.close": {},
    "groups.archive": {},
    "groups.unarchive": {},
    "groups.rename": {"name": "stolen"},
    "groups.setTopic": {"topic": "x"},
    "groups.setDescription": {"description": "x"},
    "groups.setPurpose": {"purpose": "x"},
    "groups.setAnnouncement": {"announcement": "x"},
    "groups.setReadOnly": {"readOnly": True},
    "groups.setType": {"type": "c"},
    "groups.setCustomFields": {"customFields": {"a": 1}},
    "groups.addOwner": {"username": "carol"},
    "groups.removeOwner": {"username": "alice"},
    "groups.addModerator": {"username": "bob"},
    "groups.removeModerator": {"username": "bob"},
    "groups.addLeader": {"username": "bob"},
    "groups.removeLeader": {"username": "bob"},
    "groups.delete": {},
}


@pytest.fixture
async def board(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> dict[str, str]:
    room = await create(client, alice, "groups", "board", "bob")
    await say(client, alice, room["_id"], "quarterly numbers")
    return {"_id": room["_id"], "name": "board"}


@pytest.mark.parametrize("endpoint", sorted(READS))
async def test_outsiders_cannot_read_a_group(
    client: httpx.AsyncClient, board: dict[str, str], endpoint: str
) -> None:
    carol = await sign_up(client, "carol")
    for params in ({"roomId": board["_id"]}, {"roomName": "board"}):
        if endpoint == "groups.online":
            params = {"_id": board["_id"]}
        r = await get(client, carol, endpoint, **params, **READS[endpoint])
        assert_hidden(r, board["_id"], "quarterly", "board")


@pytest.mark.parametrize("endpoint", sorted(WRITES))
async def test_outsiders_cannot_change_a_group(
    client: httpx.AsyncClient, admin: Persona, board: dict[str, str], endpoint: str
) -> None:
    carol = await sign_up(client, "carol")
    for who in (carol, admin):  # not even an admin who is not in it
        r = await post(client, who, endpoint, roomId=board["_id"], **WRITES[endpoint])
        assert_hidden(r, "quarterly", "board")
    info = (await ok_get(client, admin, "groups.listAll"))["groups"]
    assert [g["name"] for g in info] == ["board"]  # unchanged


async def test_members_see_everything(
    client: httpx.AsyncClient, board: dict[str, str], bob: Persona
) -> None:
    group = (await ok_get(client, bob, "groups.info", roomName="board"))["group"]
    assert group["t"] == "p" and group["lastMessage"]["msg"] == "quarterly numbers"
    history = await ok_get(client, bob, "groups.history", roomId=board["_id"])
    assert [m["msg"] for m in history["messages"]] == ["quarterly numbers"]
    members = await ok_get(client, bob, "groups.members", roomId=board["_id"])
    assert [m["username"] for m in members["members"]] == ["alice", "bob"]
    messages = await ok_get(client, bob, "groups.messages", roomId=board["_id"])
    assert messages["total"] == 1


async def test_list_is_the_callers_groups_and_list_all_is_for_admins(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    await create(client, alice, "groups", "one", "bob")
    await create(client, alice, "groups", "two")
    await create(client, alice, "channels", "public")
    mine = await ok_get(client, bob, "groups.list")
    assert [g["name"] for g in mine["groups"]] == ["one"]
    assert (mine["count"], mine["offset"], mine["total"]) == (1, 0, 1)
    assert_error(await get(client, bob, "groups.listAll"), 403)
    every = await ok_get(client, admin, "groups.listAll", sort='{"name":-1}')
    assert [g["name"] for g in every["groups"]] == ["two", "one"]
    carol = await sign_up(client, "carol")
    assert (await ok_get(client, carol, "groups.list"))["groups"] == []


async def test_invite_kick_and_leave_answer_as_rocket_chat_does(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    carol = await sign_up(client, "carol")
    room = await create(client, alice, "groups", "inner", "bob")
    rid = room["_id"]
    invited = await ok_post(client, alice, "groups.invite", roomId=rid, userId=carol.id)
    assert invited["group"]["usersCount"] == 3
    assert (await ok_get(client, carol, "groups.info", roomId=rid))["group"]["_id"] == rid
    assert await ok_post(client, alice, "groups.kick", roomId=rid, userId=carol.id) == {
        "success": True
    }
    assert_hidden(await get(client, carol, "groups.info", roomId=rid))
    assert await ok_post(client, bob, "groups.leave", roomName="inner") == {"success": True}
    kinds = await history_types(client, alice, "groups", rid)
    assert ("au", "carol") in kinds and ("ru", "carol") in kinds and ("ul", "bob") in kinds
    r = await post(client, alice, "groups.leave", roomId=rid)
    assert_error(r, 400, "error-you-are-last-owner")


async def test_groups_do_not_refuse_unchanged_texts_but_do_type(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    room = await create(client, alice, "groups", "same")
    rid = room["_id"]
    for _ in range(2):
        await ok_post(client, alice, "groups.setTopic", roomId=rid, topic="t")
    r = await post(client, alice, "groups.setType", roomId=rid, type="p")
    assert_error(r, 400, "error-room-setting-unchanged")
    found = await ok_post(client, alice, "groups.setType", roomId=rid, type="c")
    assert found["group"]["t"] == "c"
    assert ("room_changed_privacy", "public") in await history_types(client, alice, "channels", rid)


async def test_group_archive_delete_and_roles(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "groups", "cycle", "bob")
    rid = room["_id"]
    await ok_post(client, alice, "groups.addModerator", roomId=rid, userId=bob.id)
    roles = (await ok_get(client, alice, "groups.roles", roomId=rid))["roles"]
    assert {r["u"]["username"]: r["roles"] for r in roles} == {
        "alice": ["owner"],
        "bob": ["moderator"],
    }
    await ok_post(client, alice, "groups.archive", roomId=rid)
    r = await post(client, bob, "groups.setTopic", roomId=rid, topic="nope")
    assert_error(r, 400, "error-room-archived")
    assert_error(await post(client, bob, "groups.delete", roomId=rid), 403)
    await ok_post(client, alice, "groups.delete", roomId=rid)
    assert_hidden(await get(client, alice, "groups.info", roomId=rid))
