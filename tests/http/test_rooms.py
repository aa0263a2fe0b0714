"""rooms.*: any room by id or name; a private group stays invisible to outsiders."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from chinwag.actions.deps import Deps
from chinwag.events.types import RoomHistoryCleaned
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


def when(delta: timedelta = timedelta(0)) -> str:
    return (datetime.now(UTC) + delta).isoformat().replace("+00:00", "Z")


@pytest.fixture
async def board(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> str:
    room = await create(client, alice, "groups", "board", "bob")
    await say(client, alice, room["_id"], "quarterly numbers")
    rid: str = room["_id"]
    return rid


async def test_outsiders_cannot_use_rooms_calls_on_a_group(
    client: httpx.AsyncClient, admin: Persona, board: str
) -> None:
    carol = await sign_up(client, "carol")
    for who in (carol, admin):
        for endpoint, params in (
            ("rooms.info", {"roomId": board}),
            ("rooms.info", {"roomName": "board"}),
            ("rooms.getDiscussions", {"roomId": board}),
            ("rooms.roles", {"rid": board}),
        ):
            assert_hidden(await get(client, who, endpoint, **params), "quarterly", "board")
        for endpoint, body in (
            ("rooms.favorite", {"roomId": board, "favorite": True}),
            ("rooms.leave", {"roomId": board}),
            ("rooms.saveRoomSettings", {"rid": board, "roomTopic": "x"}),
            ("rooms.createDiscussion", {"prid": board, "t_name": "spy"}),
        ):
            assert_hidden(await post(client, who, endpoint, **body), "quarterly", "board")
    body = {"roomId": board, "latest": when(), "oldest": when(-timedelta(days=1))}
    assert_hidden(await post(client, carol, "rooms.cleanHistory", **body), "quarterly")
    assert board not in str(await ok_get(client, carol, "rooms.get"))


async def test_info_answers_any_type_with_its_parent(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, board: str
) -> None:
    room = (await ok_get(client, bob, "rooms.info", roomId=board))["room"]
    assert room["_id"] == board and room["t"] == "p"
    assert room["lastMessage"]["msg"] == "quarterly numbers"
    assert (await ok_get(client, bob, "rooms.info", roomName="general"))["room"]["_id"] == "GENERAL"
    made = await ok_post(
        client, alice, "rooms.createDiscussion", prid=board, t_name="side", users=["bob"]
    )
    found = await ok_get(client, bob, "rooms.info", roomId=made["discussion"]["_id"])
    assert found["parent"] == {
        "_id": board,
        "name": "board",
        "fname": "board",
        "t": "p",
        "u": {"_id": alice.id, "username": "alice"},
    }
    assert_error(await get(client, bob, "rooms.info"), 400, "error-roomid-param-not-provided")


async def test_get_lists_the_callers_rooms_and_what_changed(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, board: str
) -> None:
    everything = await ok_get(client, bob, "rooms.get")
    assert {r["_id"] for r in everything["update"]} == {"GENERAL", board}
    assert everything["remove"] == []
    mark = when()
    assert (await ok_get(client, bob, "rooms.get", updatedSince=mark))["update"] == []
    await say(client, alice, board, "more")
    other = await create(client, alice, "channels", "elsewhere", "bob")
    changed = await ok_get(client, bob, "rooms.get", updatedSince=mark)
    assert {r["_id"] for r in changed["update"]} == {board, other["_id"]}
    await ok_post(client, bob, "rooms.leave", roomId=other["_id"])
    after = await ok_get(client, bob, "rooms.get", updatedSince=mark)
    assert [r["_id"] for r in after["remove"]] == [other["_id"]]
    assert after["remove"][0]["_deletedAt"] >= mark
    r = await get(client, bob, "rooms.get", updatedSince="yesterday")
    assert_error(r, 400, "error-updatedSince-param-invalid")


async def test_favorite_stars_the_subscription(
    client: httpx.AsyncClient, bob: Persona, board: str
) -> None:
    await ok_post(client, bob, "rooms.favorite", roomId=board, favorite=True)
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=board))["subscription"]
    assert sub["f"] is True
    await ok_post(client, bob, "rooms.favorite", roomName="board", favorite=False)
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=board))["subscription"]
    assert "f" not in sub
    assert_error(await post(client, bob, "rooms.favorite", roomId=board), 400)
    r = await post(client, bob, "rooms.favorite", roomId="GENERAL", favorite=True)
    assert r.status_code == 200
    carol = await sign_up(client, "carol")
    await ok_post(client, carol, "rooms.leave", roomId="GENERAL")
    r = await post(client, carol, "rooms.favorite", roomId="GENERAL", favorite=True)
    assert_error(r, 400, "error-invalid-subscription")


async def test_leave_any_room_but_not_a_dm(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, board: str
) -> None:
    await ok_post(client, bob, "rooms.leave", roomId=board)
    assert (await ok_get(client, bob, "subscriptions.getOne", roomId=board))["subscription"] is None
    dm = (await ok_post(client, alice, "dm.create", username="bob"))["room"]
    r = await post(client, alice, "rooms.leave", roomId=dm["_id"])
    assert_error(r, 400, "error-not-allowed")


async def test_clean_history_deletes_a_window_and_leaves_tombstones(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "tidy", "bob")
    rid = room["_id"]
    start = when(-timedelta(seconds=1))
    kept = await say(client, alice, rid, "keep me")
    await ok_post(client, alice, "chat.pinMessage", messageId=kept["_id"])
    gone = [await say(client, bob, rid, f"noise {i}") for i in range(3)]
    mine = await say(client, alice, rid, "alice too")
    body = {"roomId": rid, "latest": when(timedelta(seconds=1)), "oldest": start}
    assert_error(await post(client, alice, "rooms.cleanHistory", **body), 403, "error-not-allowed")
    with deps.bus.capture() as published:
        found = await ok_post(
            client, admin, "rooms.cleanHistory", **body, users=["bob"], excludePinned=True
        )
    assert found == {"_id": rid, "count": 3, "success": True}
    assert published == [RoomHistoryCleaned(room_id=rid, message_ids=tuple(m["_id"] for m in gone))]
    left = [m for _, m in await history_types(client, alice, "channels", rid)]
    assert "keep me" in left and "alice too" in left and "noise 0" not in left
    deleted = await ok_get(client, alice, "chat.getDeletedMessages", roomId=rid, since=start)
    assert {m["_id"] for m in deleted["messages"]} == {m["_id"] for m in gone}
    limited = await ok_post(client, admin, "rooms.cleanHistory", **body, limit=1)
    assert limited["count"] == 1
    info = (await ok_get(client, alice, "channels.info", roomId=rid))["channel"]
    assert info["lastMessage"]["_id"] == mine["_id"]
    assert_error(await post(client, admin, "rooms.cleanHistory", roomId=rid), 400)


async def test_admin_rooms_filters_by_name_and_type(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    await create(client, alice, "channels", "proj-open")
    group = await create(client, alice, "groups", "proj-closed")
    await ok_post(client, alice, "rooms.createDiscussion", prid=group["_id"], t_name="proj-talk")
    assert_error(await get(client, alice, "rooms.adminRooms"), 403)
    found = await ok_get(client, admin, "rooms.adminRooms", filter="proj")
    assert sorted(r.get("fname") for r in found["rooms"]) == [
        "proj-closed",
        "proj-open",
        "proj-talk",
    ]
    assert found["total"] == 3 and found["count"] == 3 and found["offset"] == 0
    private = await ok_get(client, admin, "rooms.adminRooms", filter="proj", types=["p"])
    assert [r["fname"] for r in private["rooms"]] == ["proj-closed"]
    talks = await ok_get(client, admin, "rooms.adminRooms", types=["discussions"])
    assert [r["fname"] for r in talks["rooms"]] == ["proj-talk"]


async def test_save_room_settings_changes_several_at_once(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "settings", "bob")
    rid = room["_id"]
    found = await ok_post(
        client,
        alice,
        "rooms.saveRoomSettings",
        rid=rid,
        roomName="settled",
        roomTopic="topic",
        roomAnnouncement="news",
        roomDescription="about",
        readOnly=True,
        reactWhenReadOnly=True,
        joinCode="code",
    )
    assert found == {"rid": rid, "success": True}
    info = (await ok_get(client, bob, "rooms.info", roomId=rid))["room"]
    assert (info["name"], info["topic"], info["announcement"], info["description"]) == (
        "settled",
        "topic",
        "news",
        "about",
    )
    assert info["ro"] is True and info["reactWhenReadOnly"] is True
    assert info["joinCodeRequired"] is True
    kinds = [t for t, _ in await history_types(client, bob, "channels", rid)]
    for kind in ("r", "room_changed_topic", "room_changed_announcement", "room-set-read-only"):
        assert kind in kinds
    r = await post(client, bob, "rooms.saveRoomSettings", rid=rid, roomTopic="mine")
    assert_error(r, 403, "error-action-not-allowed")
    r = await post(client, alice, "rooms.saveRoomSettings", rid=rid, nonsense=1)
    assert_error(r, 400, "error-invalid-settings")
    r = await post(client, alice, "rooms.saveRoomSettings", rid=rid, default=True)
    assert_error(r, 403, "error-action-not-allowed")
    await ok_post(client, admin, "rooms.saveRoomSettings", rid=rid, default=True, roomType="p")
    info = (await ok_get(client, bob, "rooms.info", roomId=rid))["room"]
    assert info["default"] is True and info["t"] == "p"
    r = await post(client, alice, "rooms.saveRoomSettings", rid="missing", roomTopic="x")
    assert_error(r, 400, "error-room-not-found")


async def test_roles_lists_role_holders(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, board: str
) -> None:
    await ok_post(client, alice, "groups.addLeader", roomId=board, username="bob")
    roles = (await ok_get(client, bob, "rooms.roles", rid=board))["roles"]
    assert sorted((r["u"]["username"], r["roles"][0]) for r in roles) == [
        ("alice", "owner"),
        ("bob", "leader"),
    ]
    assert all(set(r) == {"_id", "rid", "u", "roles"} for r in roles)
    assert_error(await get(client, bob, "rooms.roles"), 400)


async def test_create_discussion_from_a_message(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    carol = await sign_up(client, "carol")
    room = await create(client, alice, "channels", "parent", "bob")
    rid = room["_id"]
    question = await say(client, bob, rid, "shall we talk about logos?")
    made = await ok_post(
        client,
        alice,
        "rooms.createDiscussion",
        prid=rid,
        pmid=question["_id"],
        t_name="logos",
        users=["carol"],
        reply="let's",
    )
    discussion = made["discussion"]
    assert discussion["prid"] == rid and discussion["fname"] == "logos"
    assert discussion["t"] == "c" and discussion["rid"] == discussion["_id"]
    assert discussion["description"] == "shall we talk about logos?"
    assert discussion["usersCount"] == 3  # alice, the question's author bob, carol
    assert discussion["lastMessage"]["msg"] == "let's"
    parent_history = await ok_get(client, bob, "channels.history", roomId=rid)
    created = [m for m in parent_history["messages"] if m.get("t") == "discussion-created"]
    assert len(created) == 1 and created[0]["drid"] == discussion["_id"]
    assert created[0]["msg"] == "logos"
    asked = next(m for m in parent_history["messages"] if m["_id"] == question["_id"])
    assert asked["drid"] == discussion["_id"] and asked["dcount"] == 1 and asked["dlm"]
    await say(client, carol, discussion["_id"], "round logo")
    again = await ok_get(client, bob, "channels.history", roomId=rid)
    asked = next(m for m in again["messages"] if m["_id"] == question["_id"])
    assert asked["dcount"] == 2
    listed = await ok_get(client, carol, "rooms.getDiscussions", roomId=rid)
    assert [d["fname"] for d in listed["discussions"]] == ["logos"] and listed["total"] == 1
    r = await post(client, alice, "rooms.createDiscussion", prid=discussion["_id"], t_name="nested")
    assert_error(r, 400, "error-nested-discussion")
    r = await post(client, alice, "rooms.createDiscussion", prid=rid, t_name="")
    assert_error(r, 400)
    other = await create(client, alice, "channels", "other")
    r = await post(
        client, alice, "rooms.createDiscussion", prid=other["_id"], pmid=question["_id"], t_name="x"
    )
    assert_error(r, 400, "error-invalid-arguments")


async def test_discussions_of_a_dm_are_private_and_deleted_with_it(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    dm = (await ok_post(client, alice, "dm.create", username="bob"))["room"]
    made = await ok_post(client, alice, "rooms.createDiscussion", prid=dm["_id"], t_name="aside")
    assert made["discussion"]["t"] == "p"
    await ok_post(client, admin, "dm.delete", roomId=dm["_id"])
    assert_hidden(await get(client, alice, "rooms.info", roomId=made["discussion"]["_id"]))


async def test_discussions_can_be_switched_off(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    from tests.conftest_helpers import set_setting

    await set_setting(deps, "Discussion_enabled", False)
    r = await post(client, alice, "rooms.createDiscussion", prid="GENERAL", t_name="x")
    assert_error(r, 400, "error-action-not-allowed")


async def test_history_shows_join_and_leave_through_rooms_calls(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "door")
    rid = room["_id"]
    await ok_post(client, bob, "channels.join", roomId=rid)
    await ok_post(client, bob, "rooms.leave", roomId=rid)
    kinds = await history_types(client, alice, "channels", rid)
    assert kinds[:2] == [("ul", "bob"), ("uj", "bob")]
