"""subscriptions.*: a member's view of their rooms: unread counts, mentions, read, unread,
catching up; and the cost of a post staying flat whatever the room's size."""

from datetime import UTC, datetime

import httpx

from chinwag.actions.accounts import add_member
from chinwag.actions.deps import Deps
from chinwag.actions.messages import NewMessage, send_message
from chinwag.domain.ids import random_id
from chinwag.domain.models import RoomType
from chinwag.events.types import SubscriptionChanged
from tests.conftest import Persona, assert_error, sign_up
from tests.conftest_helpers import make_room, user_named
from tests.http.rooms_support import create, get, ok_get, ok_post, post, say


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


async def one(client: httpx.AsyncClient, who: Persona, rid: str) -> dict[str, object]:
    sub: dict[str, object] = (await ok_get(client, who, "subscriptions.getOne", roomId=rid))[
        "subscription"
    ]
    return sub


async def test_get_one_shapes_the_subscription(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "shape", "bob")
    sub = await one(client, bob, room["_id"])
    assert set(sub) == {
        "_id",
        "rid",
        "u",
        "t",
        "name",
        "fname",
        "ts",
        "ls",
        "_updatedAt",
        "open",
        "alert",
        "unread",
        "userMentions",
        "groupMentions",
        "tunread",
    }
    assert (sub["rid"], sub["t"], sub["name"], sub["open"]) == (room["_id"], "c", "shape", True)
    assert sub["u"] == {"_id": bob.id, "username": "bob"}
    assert (sub["unread"], sub["alert"], sub["userMentions"]) == (0, False, 0)
    carol = await sign_up(client, "carol")
    assert await ok_get(client, carol, "subscriptions.getOne", roomId=room["_id"]) == {
        "subscription": None,
        "success": True,
    }
    group = await create(client, alice, "groups", "secret")
    found = await get(client, carol, "subscriptions.getOne", roomId=group["_id"])
    assert found.json() == {"subscription": None, "success": True}
    assert_error(await get(client, carol, "subscriptions.getOne"), 400)


async def test_unread_mentions_and_read(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "chatter", "bob")
    rid = room["_id"]
    for text in ("one", "two", "three"):
        await say(client, bob, rid, text)
    sub = await one(client, alice, rid)
    assert (sub["unread"], sub["alert"], sub["userMentions"]) == (3, True, 0)
    assert (await one(client, bob, rid))["unread"] == 0  # one's own posts are read
    await say(client, bob, rid, "hey @alice")
    sub = await one(client, alice, rid)
    assert (sub["unread"], sub["userMentions"]) == (4, 1)
    await say(client, bob, rid, "everyone @all")
    assert (await one(client, alice, rid))["groupMentions"] == 1
    with deps.bus.capture() as published:
        assert await ok_post(client, alice, "subscriptions.read", rid=rid) == {"success": True}
    assert published == [SubscriptionChanged(room_id=rid, user_id=alice.id)]
    sub = await one(client, alice, rid)
    assert (sub["unread"], sub["alert"], sub["userMentions"], sub["groupMentions"]) == (
        0,
        False,
        0,
        0,
    )
    assert sub["ls"] >= sub["ts"]
    await ok_post(client, alice, "subscriptions.read", roomId=rid, readThreads=True)
    carol = await sign_up(client, "carol")
    r = await post(client, carol, "subscriptions.read", rid=rid)
    assert_error(r, 400, "error-invalid-subscription")


async def test_thread_replies_are_not_unread_in_the_room(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "threads", "bob")
    rid = room["_id"]
    root = await say(client, bob, rid, "a question")
    await ok_post(client, alice, "subscriptions.read", rid=rid)
    await say(client, bob, rid, "reply in thread", tmid=root["_id"])
    assert (await one(client, alice, rid))["unread"] == 0
    await say(client, bob, rid, "also in the room", tmid=root["_id"], tshow=True)
    assert (await one(client, alice, rid))["unread"] == 1


async def test_unread_marks_from_a_message_or_the_last_one(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "again", "bob")
    rid = room["_id"]
    sent = [await say(client, bob, rid, f"m{i}") for i in range(4)]
    await ok_post(client, alice, "subscriptions.read", rid=rid)
    await ok_post(client, alice, "subscriptions.unread", firstUnreadMessage={"_id": sent[1]["_id"]})
    assert (await one(client, alice, rid))["unread"] == 3
    await ok_post(client, alice, "subscriptions.read", rid=rid)
    await ok_post(client, alice, "subscriptions.unread", roomId=rid)
    sub = await one(client, alice, rid)
    assert (sub["unread"], sub["alert"], sub["open"]) == (1, True, True)
    r = await post(client, bob, "subscriptions.unread", firstUnreadMessage={"_id": sent[0]["_id"]})
    assert_error(r, 400, "error-action-not-allowed")  # one's own message
    assert_error(await post(client, alice, "subscriptions.unread"), 400)
    empty = await create(client, alice, "channels", "empty")
    r = await post(client, alice, "subscriptions.unread", roomId=empty["_id"])
    assert_error(r, 400, "error-no-message-for-unread")


async def test_get_shows_each_room_as_get_one_does(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    """subscriptions.get reads only what a subscription shows of its room (its position,
    last change, archived, parent); getOne reads the whole room: the same entries."""
    chatter = await create(client, alice, "channels", "chatter", "bob")
    for text in ("one", "two"):
        await say(client, bob, chatter["_id"], text)
    shelved = await create(client, alice, "channels", "shelved", "bob")
    await ok_post(client, alice, "channels.archive", roomId=shelved["_id"])
    side = await ok_post(
        client, alice, "rooms.createDiscussion", prid=chatter["_id"], t_name="side", users=["bob"]
    )
    rids = (chatter["_id"], shelved["_id"], side["discussion"]["_id"])
    for who in (alice, bob):
        entries = (await ok_get(client, who, "subscriptions.get"))["update"]
        by_room = {e["rid"]: e for e in entries}
        for rid in rids:
            assert by_room[rid] == await one(client, who, rid)
    assert by_room[chatter["_id"]]["unread"] == 1  # bob's own two are read; alice's notice
    assert by_room[shelved["_id"]]["archived"] is True
    assert by_room[side["discussion"]["_id"]]["prid"] == chatter["_id"]


async def test_get_returns_all_or_what_changed_and_what_ended(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "sync", "bob")
    rid = room["_id"]
    every = await ok_get(client, bob, "subscriptions.get")
    assert {s["rid"] for s in every["update"]} == {"GENERAL", rid} and every["remove"] == []
    mark = now()
    assert (await ok_get(client, bob, "subscriptions.get", updatedSince=mark))["update"] == []
    await say(client, alice, rid, "news")  # changes bob's unread, so his subscription
    changed = await ok_get(client, bob, "subscriptions.get", updatedSince=mark)
    assert [(s["rid"], s["unread"]) for s in changed["update"]] == [(rid, 1)]
    old_id = (await one(client, bob, rid))["_id"]
    await ok_post(client, bob, "channels.leave", roomId=rid)
    after = await ok_get(client, bob, "subscriptions.get", updatedSince=mark)
    assert after["update"] == []
    assert [s["_id"] for s in after["remove"]] == [old_id]
    assert after["remove"][0]["_deletedAt"] >= mark
    r = await get(client, bob, "subscriptions.get", updatedSince="not a date")
    assert_error(r, 400)


async def _crowd(deps: Deps, size: int) -> str:
    """A channel with `size` members, made directly in storage (signing up is slow)."""
    owner = await user_named(deps, "alice")
    room = await make_room(deps, f"crowd-{size}", Persona(owner.id, "alice", ""), RoomType.CHANNEL)
    now_ = deps.clock.now()
    async with deps.uow() as uow:
        for i in range(size - 1):
            user_id = random_id()
            username = f"m{size}x{i}"
            await uow.users.insert_user(
                {
                    "id": user_id,
                    "username": username,
                    "name": username,
                    "type": "user",
                    "active": True,
                    "created_at": now_,
                    "updated_at": now_,
                },
                ["user"],
            )
            current = await uow.rooms.find_room(room.id)
            assert current is not None
            await add_member(deps, uow, current, user_id, username)
    return room.id


async def _statements(deps: Deps, room_id: str, text: str) -> list[str]:
    poster = await user_named(deps, "alice")
    with deps.db.statement_counter() as seen:
        await send_message(deps, poster, NewMessage(room_id, text))
    return seen


async def test_posting_costs_the_same_in_a_room_of_5_and_of_200(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    small, large = await _crowd(deps, 5), await _crowd(deps, 200)
    for text in ("plain words", "hello @m5x0 @m200x0 and @all"):
        in_small = await _statements(deps, small, text)
        in_large = await _statements(deps, large, text)
        assert len(in_small) == len(in_large), (in_small, in_large)
        assert len(in_small) > 0
    async with deps.reader() as uow:
        members = await uow.rooms.list_member_ids(large)
    assert members[1] == 200
    sub = await one(client, alice, large)
    assert sub["unread"] == 0  # her own posts
