"""chat.react, chat.pinMessage / unPinMessage, chat.starMessage / unStarMessage and the
pinned, starred and mentioned lists."""

import asyncio
import re
from typing import Any

import httpx
import orjson
import pytest

from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from chinwag.domain.models import Room, RoomType
from chinwag.events.types import MessagePinned, MessageSent, MessageStarred, ReactionChanged
from tests.conftest import Persona, assert_error, sign_up
from tests.conftest_helpers import join_room, make_room, set_setting
from tests.http.chat_support import call, fetch, ok, post
from tests.http.test_chat import set_room

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
async def team(deps: Deps, alice: Persona, bob: Persona) -> Room:
    room = await make_room(deps, "team", alice)
    await join_room(deps, room, bob)
    return room


async def react(
    client: httpx.AsyncClient, who: Persona, message_id: str, emoji: str, **extra: object
) -> httpx.Response:
    return await call(client, who, "chat.react", messageId=message_id, emoji=emoji, **extra)


async def reactions(client: httpx.AsyncClient, who: Persona, message_id: str) -> Any:
    return (await fetch(client, who, message_id)).get("reactions")


# chat.react -----------------------------------------------------------------------------------


async def test_reacting_toggles(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    mid = (await post(client, alice, GENERAL_ID, "lunch?"))["_id"]
    with deps.bus.capture() as published:
        r = await react(client, bob, mid, "smile")
    assert r.status_code == 200 and r.json() == {"success": True}
    assert published == [
        ReactionChanged(
            room_id=GENERAL_ID, message_id=mid, emoji=":smile:", username="bob", reacted=True
        )
    ]
    assert await reactions(client, alice, mid) == {":smile:": {"usernames": ["bob"]}}
    assert (await react(client, alice, mid, ":smile:")).status_code == 200
    assert (await react(client, alice, mid, "+1")).status_code == 200
    assert await reactions(client, alice, mid) == {
        ":smile:": {"usernames": ["bob", "alice"]},
        ":+1:": {"usernames": ["alice"]},
    }
    await react(client, bob, mid, "smile")  # toggles off
    await react(client, alice, mid, "smile")
    await react(client, alice, mid, ":+1:")
    assert await reactions(client, alice, mid) is None


async def test_should_react_sets_rather_than_toggles(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    mid = (await post(client, alice, GENERAL_ID, "vote"))["_id"]
    for _ in range(2):
        r = await call(client, bob, "chat.react", messageId=mid, reaction="tada", shouldReact=True)
        assert r.status_code == 200, r.text
    assert await reactions(client, bob, mid) == {":tada:": {"usernames": ["bob"]}}
    with deps.bus.capture() as published:
        await react(client, bob, mid, "tada", shouldReact=True)
        await react(client, alice, mid, "tada", shouldReact=False)
    assert published == []
    await react(client, bob, mid, "tada", shouldReact=False)
    assert await reactions(client, bob, mid) is None


async def test_react_refuses_bad_input(client: httpx.AsyncClient, alice: Persona) -> None:
    mid = (await post(client, alice, GENERAL_ID, "hi"))["_id"]
    for emoji in ("not an emoji!", "::", "<script>", "a" * 65):
        assert_error(await react(client, alice, mid, emoji), 400, "error-not-allowed")
    r = await call(client, alice, "chat.react", messageId=mid)
    assert_error(r, 400, "error-emoji-param-not-provided")
    assert_error(await call(client, alice, "chat.react", emoji="smile"), 400, "invalid-params")
    assert_error(await react(client, alice, "missing", "smile"), 400, "error-message-not-found")
    r = await call(client, alice, "chat.react", messageId=mid, emoji="x", shouldReact="maybe")
    assert_error(r, 400, "invalid-params")
    assert await reactions(client, alice, mid) is None


async def test_read_only_rooms_take_reactions_only_when_allowed(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona, team: Room
) -> None:
    mid = (await post(client, alice, team.id, "announcement"))["_id"]
    await set_room(deps, team.id, read_only=True)
    assert_error(await react(client, bob, mid, "smile"), 400, "error-action-not-allowed")
    assert (await react(client, alice, mid, "smile")).status_code == 200  # owner: post-readonly
    await set_room(deps, team.id, react_when_read_only=True)
    assert (await react(client, bob, mid, "smile")).status_code == 200
    await set_room(deps, team.id, muted=["bob"])
    assert_error(await react(client, bob, mid, "heart"), 400, "error-not-allowed")
    await set_room(deps, team.id, muted=[], archived=True)
    assert_error(await react(client, bob, mid, "heart"), 400, "error-room-archived")


async def test_concurrent_reactions_are_all_kept(client: httpx.AsyncClient, alice: Persona) -> None:
    mid = (await post(client, alice, GENERAL_ID, "pile on"))["_id"]
    people = [await sign_up(client, f"fan{i}") for i in range(5)]
    results = await asyncio.gather(*(react(client, p, mid, "heart") for p in people))
    assert all(r.status_code == 200 for r in results)
    got = (await reactions(client, alice, mid))[":heart:"]["usernames"]
    assert sorted(got) == sorted(p.username for p in people)


# chat.pinMessage / chat.unPinMessage ----------------------------------------------------------


async def test_pinning_posts_a_notice_quoting_the_message(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "pin *this*")
    with deps.bus.capture() as published:
        body = await ok(client, admin, "chat.pinMessage", messageId=sent["_id"])
    notice = body["message"]
    assert notice["t"] == "message_pinned" and notice["msg"] == "" and notice["rid"] == GENERAL_ID
    assert notice["u"] == {"_id": admin.id, "username": "boss", "name": "Boss"}
    assert notice["attachments"] == [
        {
            "text": "pin *this*",
            "author_name": "alice",
            "author_icon": "/avatar/alice",
            "ts": sent["ts"],
            "attachments": [],
        }
    ]
    assert published == [
        MessagePinned(room_id=GENERAL_ID, message_id=sent["_id"], by=admin.id),
        MessageSent(room_id=GENERAL_ID, message_id=notice["_id"]),
    ]
    pinned = await fetch(client, alice, sent["_id"])
    assert pinned["pinned"] is True and ISO.match(pinned["pinnedAt"])
    assert pinned["pinnedBy"] == {"_id": admin.id, "username": "boss"}
    # Pinning again answers the pinned message itself and posts nothing.
    again = await ok(client, admin, "chat.pinMessage", messageId=sent["_id"])
    assert again["message"]["_id"] == sent["_id"]
    listed = await ok(client, alice, "chat.getPinnedMessages", roomId=GENERAL_ID)
    assert [m["_id"] for m in listed["messages"]] == [sent["_id"]]
    assert (listed["count"], listed["offset"], listed["total"]) == (1, 0, 1)


async def test_unpinning(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "briefly pinned")
    await ok(client, admin, "chat.pinMessage", messageId=sent["_id"])
    with deps.bus.capture() as published:
        body = await ok(client, admin, "chat.unPinMessage", messageId=sent["_id"])
    assert body == {"success": True}
    assert published == [
        MessagePinned(room_id=GENERAL_ID, message_id=sent["_id"], by=admin.id, pinned=False)
    ]
    assert "pinned" not in await fetch(client, alice, sent["_id"])
    listed = await ok(client, alice, "chat.getPinnedMessages", roomId=GENERAL_ID)
    assert listed["messages"] == [] and listed["total"] == 0


async def test_pinning_needs_pin_message_and_the_setting(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona, team: Room
) -> None:
    sent = await post(client, bob, GENERAL_ID, "pin?")
    for endpoint in ("chat.pinMessage", "chat.unPinMessage"):
        r = await call(client, bob, endpoint, messageId=sent["_id"])
        assert_error(r, 403, "not-authorized")
    in_team = await post(client, bob, team.id, "team news")
    assert (
        await call(client, alice, "chat.pinMessage", messageId=in_team["_id"])
    ).status_code == 200
    await set_setting(deps, "Message_AllowPinning", False)
    for endpoint in ("chat.pinMessage", "chat.unPinMessage"):
        r = await call(client, admin, endpoint, messageId=sent["_id"])
        assert_error(r, 400, "error-action-not-allowed")
    assert_error(await call(client, admin, "chat.pinMessage"), 400, "invalid-params")
    assert_error(await call(client, admin, "chat.pinMessage", messageId=""), 400, "invalid-params")


async def test_pinning_in_an_archived_room_is_refused(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, team: Room
) -> None:
    sent = await post(client, alice, team.id, "old news")
    await set_room(deps, team.id, archived=True)
    r = await call(client, alice, "chat.pinMessage", messageId=sent["_id"])
    assert_error(r, 400, "error-room-archived")


# chat.starMessage / chat.unStarMessage ---------------------------------------------------------


async def test_starring_is_personal(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "remember this")
    with deps.bus.capture() as published:
        assert await ok(client, bob, "chat.starMessage", messageId=sent["_id"]) == {"success": True}
        await ok(client, bob, "chat.starMessage", messageId=sent["_id"])  # twice: no change
    assert published == [
        MessageStarred(room_id=GENERAL_ID, message_id=sent["_id"], user_id=bob.id, starred=True)
    ]
    assert (await fetch(client, alice, sent["_id"]))["starred"] == [{"_id": bob.id}]
    bobs = await ok(client, bob, "chat.getStarredMessages", roomId=GENERAL_ID)
    assert [m["_id"] for m in bobs["messages"]] == [sent["_id"]] and bobs["total"] == 1
    alices = await ok(client, alice, "chat.getStarredMessages", roomId=GENERAL_ID)
    assert alices["messages"] == [] and alices["total"] == 0
    await ok(client, bob, "chat.unStarMessage", messageId=sent["_id"])
    assert "starred" not in await fetch(client, alice, sent["_id"])
    assert (await ok(client, bob, "chat.getStarredMessages", roomId=GENERAL_ID))["total"] == 0


async def test_only_members_star_and_only_when_allowed(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    lobby = await make_room(deps, "lobby", alice, RoomType.CHANNEL)
    sent = await post(client, alice, lobby.id, "public but not joined")
    r = await call(client, bob, "chat.starMessage", messageId=sent["_id"])
    assert_error(r, 400, "error-not-allowed")
    await set_setting(deps, "Message_AllowStarring", False)
    r = await call(client, alice, "chat.starMessage", messageId=sent["_id"])
    assert_error(r, 400, "error-action-not-allowed")
    r = await call(client, alice, "chat.starMessage", messageId="missing")
    assert_error(r, 400, "error-action-not-allowed")
    await set_setting(deps, "Message_AllowStarring", True)
    r = await call(client, alice, "chat.starMessage", messageId="missing")
    assert_error(r, 400, "error-message-not-found")


# pinned / starred / mentioned lists ------------------------------------------------------------


async def test_mentioned_messages_are_paged_and_sorted(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    texts = ["@bob first", "nothing for bob", "hey @bob second", "@bob third"]
    for text in texts:
        await post(client, alice, GENERAL_ID, text)
    listed = await ok(client, bob, "chat.getMentionedMessages", roomId=GENERAL_ID)
    assert [m["msg"] for m in listed["messages"]] == ["@bob third", "hey @bob second", "@bob first"]
    assert (listed["count"], listed["offset"], listed["total"]) == (3, 0, 3)
    page = await ok(
        client,
        bob,
        "chat.getMentionedMessages",
        roomId=GENERAL_ID,
        sort=orjson.dumps({"ts": 1}).decode(),
        count=2,
        offset=1,
    )
    assert [m["msg"] for m in page["messages"]] == ["hey @bob second", "@bob third"]
    assert (page["count"], page["offset"], page["total"]) == (2, 1, 3)
    assert (await ok(client, alice, "chat.getMentionedMessages", roomId=GENERAL_ID))["total"] == 0


async def test_lists_refuse_bad_input(client: httpx.AsyncClient, alice: Persona) -> None:
    for endpoint in (
        "chat.getPinnedMessages",
        "chat.getStarredMessages",
        "chat.getMentionedMessages",
    ):
        assert_error(await call(client, alice, endpoint), 400, "invalid-params")
        r = await call(client, alice, endpoint, roomId=GENERAL_ID, sort='{"msg": 1}')
        assert_error(r, 400, "error-invalid-sort")
        r = await call(client, alice, endpoint, roomId=GENERAL_ID, sort="[")
        assert_error(r, 400, "error-invalid-sort")
        r = await call(client, alice, endpoint, roomId=GENERAL_ID, count=-1)
        assert_error(r, 400, "invalid-params")
        r = await call(client, alice, endpoint, roomId="no-such-room")
        assert_error(r, 400, "error-not-allowed")
