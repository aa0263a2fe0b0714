"""chat.getThreadsList, chat.getThreadMessages, chat.syncThreadsList, chat.syncThreadMessages,
chat.followMessage and chat.unfollowMessage."""

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest

from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from chinwag.events.types import ThreadFollowed
from chinwag.storage.tables import subscriptions
from tests.conftest import Persona, assert_error
from tests.conftest_helpers import subscriptions_of
from tests.http.chat_support import call, fetch, ok, post


async def a_moment() -> str:
    """Now, as an ISO date strictly between what was written before and what comes after."""
    await asyncio.sleep(0.005)
    moment = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.005)
    return moment


async def threads(client: httpx.AsyncClient, who: Persona, **params: object) -> dict[str, Any]:
    return await ok(client, who, "chat.getThreadsList", rid=GENERAL_ID, **params)


@pytest.fixture
async def two_threads(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two threads alice started; bob replied to the second, then (last) to the first."""
    first = await post(client, alice, GENERAL_ID, "Release notes draft")
    second = await post(client, alice, GENERAL_ID, "lunch plans")
    await post(client, alice, GENERAL_ID, "not a thread")
    await post(client, bob, GENERAL_ID, "pizza", tmid=second["_id"])
    await post(client, bob, GENERAL_ID, "looks good", tmid=first["_id"])
    await post(client, alice, GENERAL_ID, "thanks", tmid=first["_id"])
    return first, second


async def test_threads_list_newest_activity_first(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, two_threads: Any
) -> None:
    first, second = two_threads
    body = await threads(client, bob)
    assert [t["_id"] for t in body["threads"]] == [first["_id"], second["_id"]]
    assert (body["count"], body["offset"], body["total"]) == (2, 0, 2)
    top = body["threads"][0]
    assert top["tcount"] == 2 and top["msg"] == "Release notes draft"
    assert top["tlm"] >= top["ts"] and sorted(top["replies"]) == sorted([bob.id, alice.id])
    page = await threads(client, bob, count=1, offset=1)
    assert [t["_id"] for t in page["threads"]] == [second["_id"]]
    assert (page["count"], page["offset"], page["total"]) == (1, 1, 2)
    oldest = await threads(client, bob, sort=orjson.dumps({"ts": 1}).decode())
    assert [t["_id"] for t in oldest["threads"]] == [first["_id"], second["_id"]]


async def test_threads_list_filters(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona, two_threads: Any
) -> None:
    first, second = two_threads
    found = await threads(client, bob, text="RELEASE")
    assert [t["_id"] for t in found["threads"]] == [first["_id"]] and found["total"] == 1
    for text in ("%", "_", "no such words"):
        assert (await threads(client, bob, text=text))["threads"] == []
    # Following: bob replied to both, alice to the first until she follows the second.
    following = await threads(client, bob, type="following")
    assert [t["_id"] for t in following["threads"]] == [first["_id"], second["_id"]]
    assert (await threads(client, alice, type="following"))["total"] == 1  # replied to first
    await ok(client, alice, "chat.followMessage", mid=second["_id"])
    assert (await threads(client, alice, type="following"))["total"] == 2
    # Unread: the threads listed in the member's subscription.
    assert (await threads(client, bob, type="unread"))["threads"] == []
    async with deps.uow() as uow:
        await uow.conn.execute(
            subscriptions.update()
            .where(subscriptions.c.room_id == GENERAL_ID, subscriptions.c.user_id == bob.id)
            .values(thread_unread=[second["_id"]])
        )
    unread = await threads(client, bob, type="unread")
    assert [t["_id"] for t in unread["threads"]] == [second["_id"]]
    assert (await threads(client, bob, type="all"))["total"] == 2
    # Unfollowing also clears the thread from the member's unread threads.
    await ok(client, bob, "chat.unfollowMessage", mid=second["_id"])
    assert (await threads(client, bob, type="unread"))["threads"] == []
    bobs = [s for s in await subscriptions_of(deps, bob.id) if s.room_id == GENERAL_ID]
    assert bobs[0].thread_unread == ()


async def test_threads_list_refuses_bad_input(client: httpx.AsyncClient, alice: Persona) -> None:
    assert_error(await call(client, alice, "chat.getThreadsList"), 400, "invalid-params")
    r = await call(client, alice, "chat.getThreadsList", rid=GENERAL_ID, type="mine")
    assert_error(r, 400, "invalid-params")
    r = await call(client, alice, "chat.getThreadsList", rid="nowhere")
    assert_error(r, 400, "error-not-allowed")


async def test_thread_messages_oldest_first(
    client: httpx.AsyncClient, bob: Persona, two_threads: Any
) -> None:
    first, _ = two_threads
    body = await ok(client, bob, "chat.getThreadMessages", tmid=first["_id"])
    assert [m["msg"] for m in body["messages"]] == ["looks good", "thanks"]
    assert all(m["tmid"] == first["_id"] for m in body["messages"])
    assert (body["count"], body["offset"], body["total"]) == (2, 0, 2)
    page = await ok(client, bob, "chat.getThreadMessages", tmid=first["_id"], count=1, offset=1)
    assert [m["msg"] for m in page["messages"]] == ["thanks"] and page["total"] == 2
    newest = await ok(client, bob, "chat.getThreadMessages", tmid=first["_id"], sort='{"ts": -1}')
    assert [m["msg"] for m in newest["messages"]] == ["thanks", "looks good"]
    r = await call(client, bob, "chat.getThreadMessages", tmid="missing")
    assert_error(r, 400, "error-invalid-message")
    assert_error(await call(client, bob, "chat.getThreadMessages"), 400, "invalid-params")


async def test_following_and_unfollowing(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    root = await post(client, alice, GENERAL_ID, "a question")
    reply = await post(client, bob, GENERAL_ID, "an answer", tmid=root["_id"])
    with deps.bus.capture() as published:
        assert await ok(client, alice, "chat.followMessage", mid=reply["_id"]) == {"success": True}
        await ok(client, alice, "chat.followMessage", mid=root["_id"])  # already following
    assert published == [
        ThreadFollowed(room_id=GENERAL_ID, thread_id=root["_id"], user_id=alice.id, following=True)
    ]
    assert sorted((await fetch(client, bob, root["_id"]))["replies"]) == sorted([bob.id, alice.id])
    await ok(client, bob, "chat.unfollowMessage", mid=root["_id"])
    assert (await fetch(client, bob, root["_id"]))["replies"] == [alice.id]
    assert (await threads(client, bob, type="following"))["threads"] == []
    r = await call(client, alice, "chat.followMessage", mid="missing")
    assert_error(r, 400, "error-invalid-message")
    assert_error(await call(client, alice, "chat.unfollowMessage"), 400, "invalid-params")


async def test_sync_threads_list(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> None:
    since = await a_moment()
    old = await post(client, alice, GENERAL_ID, "old thread")
    await post(client, bob, GENERAL_ID, "old reply", tmid=old["_id"])
    body = await ok(client, bob, "chat.syncThreadsList", rid=GENERAL_ID, updatedSince=since)
    assert set(body) == {"threads", "success"}
    assert [t["_id"] for t in body["threads"]["update"]] == [old["_id"]]
    later = await a_moment()
    fresh = await post(client, alice, GENERAL_ID, "new thread")
    await post(client, bob, GENERAL_ID, "new reply", tmid=fresh["_id"])
    gone = await post(client, alice, GENERAL_ID, "to delete")
    await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=gone["_id"])
    body = await ok(client, bob, "chat.syncThreadsList", rid=GENERAL_ID, updatedSince=later)
    assert [t["_id"] for t in body["threads"]["update"]] == [fresh["_id"]]
    removed = body["threads"]["remove"]
    assert [r["_id"] for r in removed] == [gone["_id"]] and set(removed[0]) == {"_id", "_deletedAt"}
    r = await call(client, bob, "chat.syncThreadsList", rid=GENERAL_ID, updatedSince="yesterday")
    assert_error(r, 400, "error-updatedSince-param-invalid")
    assert_error(await call(client, bob, "chat.syncThreadsList", rid=GENERAL_ID), 400)


async def test_sync_thread_messages(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    root = await post(client, alice, GENERAL_ID, "root")
    before = await post(client, bob, GENERAL_ID, "before", tmid=root["_id"])
    since = await a_moment()
    after = await post(client, bob, GENERAL_ID, "after", tmid=root["_id"])
    await ok(client, bob, "chat.update", roomId=GENERAL_ID, msgId=before["_id"], text="edited")
    await post(client, bob, GENERAL_ID, "elsewhere")
    body = await ok(client, alice, "chat.syncThreadMessages", tmid=root["_id"], updatedSince=since)
    assert set(body) == {"messages", "success"}
    assert [m["_id"] for m in body["messages"]["update"]] == [after["_id"], before["_id"]]
    assert body["messages"]["remove"] == []
    r = await call(client, alice, "chat.syncThreadMessages", tmid="missing", updatedSince=since)
    assert_error(r, 400, "error-invalid-message")
    r = await call(client, alice, "chat.syncThreadMessages", tmid=root["_id"], updatedSince="x")
    assert_error(r, 400, "error-updatedSince-param-invalid")


async def test_a_thread_outlives_its_replies(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    root = await post(client, alice, GENERAL_ID, "short thread")
    reply = await post(client, bob, GENERAL_ID, "only reply", tmid=root["_id"])
    await ok(client, bob, "chat.delete", roomId=GENERAL_ID, msgId=reply["_id"])
    listed = await threads(client, alice)
    assert [t["_id"] for t in listed["threads"]] == [root["_id"]]
    assert listed["threads"][0]["tcount"] == 0
    # Deleting its first message then leaves a placeholder, as for any thread.
    await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=root["_id"])
    assert (await fetch(client, alice, root["_id"]))["t"] == "rm"
    assert "tcount" not in await post(client, alice, GENERAL_ID, "no thread here")
