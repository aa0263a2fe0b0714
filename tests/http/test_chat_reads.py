"""chat.search, chat.syncMessages, chat.getDeletedMessages, chat.ignoreUser, chat.reportMessage,
chat.getMessageReadReceipts, and the rule every chat read keeps: a private room's messages do
not exist for outsiders."""

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from chinwag.domain.models import Room
from chinwag.events.types import MessageReported, UserIgnored
from chinwag.storage.tables import message_reports
from tests.conftest import Persona, assert_error, sign_up
from tests.conftest_helpers import join_room, make_room, subscriptions_of
from tests.http.chat_support import call, ok, post


@pytest.fixture
async def team(deps: Deps, alice: Persona, bob: Persona) -> Room:
    room = await make_room(deps, "team", alice)
    await join_room(deps, room, bob)
    return room


async def a_moment() -> str:
    await asyncio.sleep(0.005)
    moment = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.005)
    return moment


async def search(client: httpx.AsyncClient, who: Persona, room_id: str, text: str) -> list[str]:
    body = await ok(client, who, "chat.search", roomId=room_id, searchText=text)
    assert set(body) == {"messages", "success"}
    return [m["msg"] for m in body["messages"]]


# chat.search ----------------------------------------------------------------------------------


async def test_search_words_prefixes_and_case(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    await post(client, alice, GENERAL_ID, "The quarterly Forecast is ready")
    await post(client, bob, GENERAL_ID, "forecast: rain, then sun")
    await post(client, bob, GENERAL_ID, "nothing to see")
    assert await search(client, bob, GENERAL_ID, "forecast") == [
        "forecast: rain, then sun",
        "The quarterly Forecast is ready",
    ]
    assert await search(client, bob, GENERAL_ID, "quarter") == ["The quarterly Forecast is ready"]
    assert await search(client, bob, GENERAL_ID, "FORECAST ready") == [
        "The quarterly Forecast is ready"
    ]
    assert await search(client, bob, GENERAL_ID, "ready forecast") == [
        "The quarterly Forecast is ready"
    ]
    assert await search(client, bob, GENERAL_ID, "uarterly") == []
    assert await search(client, bob, GENERAL_ID, "forecast snow") == []


async def test_search_is_safe_with_punctuation_and_query_syntax(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    await post(client, alice, GENERAL_ID, "don't panic: it's (only) a \"test\" -- ok?")
    await post(client, alice, GENERAL_ID, "café naïve résumé")
    hostile = [
        '"',
        "'",
        "(",
        ")",
        "*",
        "-",
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "msg:panic",
        "room_id:GENERAL",
        '"unterminated',
        "a'; DROP TABLE messages; --",
        "\\",
        ":*",
        "&|!",
        "%_",
        "\u0000",
        "x" * 2000,
    ]
    for text in hostile:
        r = await call(client, alice, "chat.search", roomId=GENERAL_ID, searchText=text)
        assert r.status_code == 200, (text, r.text)
        assert isinstance(r.json()["messages"], list)
    assert await search(client, alice, GENERAL_ID, 'panic"') == [
        "don't panic: it's (only) a \"test\" -- ok?"
    ]
    assert await search(client, alice, GENERAL_ID, "(only) test") != []
    assert await search(client, alice, GENERAL_ID, "don't") != []
    assert await search(client, alice, GENERAL_ID, "café") == ["café naïve résumé"]
    assert await search(client, alice, GENERAL_ID, "RÉSUMÉ") == ["café naïve résumé"]


async def test_search_never_crosses_rooms(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, team: Room
) -> None:
    await post(client, alice, team.id, "the secret launch codes")
    await post(client, alice, GENERAL_ID, "a public launch party")
    assert await search(client, alice, GENERAL_ID, "launch") == ["a public launch party"]
    assert await search(client, alice, team.id, "launch") == ["the secret launch codes"]
    assert await search(client, alice, GENERAL_ID, "secret") == []
    # An outsider cannot search a private group, and learns nothing from trying.
    r = await call(client, admin, "chat.search", roomId=team.id, searchText="secret")
    body = assert_error(r, 400, "error-not-allowed")
    assert "messages" not in body and "secret" not in r.text


async def test_search_follows_edits_and_deletions(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "meeting on monday")
    await ok(client, alice, "chat.update", roomId=GENERAL_ID, msgId=sent["_id"], text="tuesday")
    assert await search(client, bob, GENERAL_ID, "monday") == []
    assert await search(client, bob, GENERAL_ID, "tuesday") == ["tuesday"]
    await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=sent["_id"])
    assert await search(client, bob, GENERAL_ID, "tuesday") == []


async def test_search_pages(client: httpx.AsyncClient, alice: Persona) -> None:
    for i in range(5):
        await post(client, alice, GENERAL_ID, f"item number {i}")
    body = await ok(
        client, alice, "chat.search", roomId=GENERAL_ID, searchText="item", count=2, offset=1
    )
    assert [m["msg"] for m in body["messages"]] == ["item number 3", "item number 2"]


async def test_search_requires_its_params(client: httpx.AsyncClient, alice: Persona) -> None:
    r = await call(client, alice, "chat.search", searchText="x")
    assert_error(r, 400, "error-roomId-param-not-provided")
    r = await call(client, alice, "chat.search", roomId=GENERAL_ID)
    assert_error(r, 400, "error-searchText-param-not-provided")
    r = await call(client, alice, "chat.search", roomId=GENERAL_ID, searchText="")
    assert_error(r, 400, "error-searchText-param-not-provided")
    r = await call(client, alice, "chat.search", roomId="nowhere", searchText="x")
    assert_error(r, 400, "error-not-allowed")


# chat.syncMessages ----------------------------------------------------------------------------


async def test_sync_messages_since_a_date(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    old = await post(client, alice, GENERAL_ID, "old")
    edited = await post(client, alice, GENERAL_ID, "to edit")
    gone = await post(client, alice, GENERAL_ID, "to delete")
    since = await a_moment()
    new = await post(client, bob, GENERAL_ID, "new")
    await ok(client, alice, "chat.update", roomId=GENERAL_ID, msgId=edited["_id"], text="edited")
    await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=gone["_id"])
    body = await ok(client, bob, "chat.syncMessages", roomId=GENERAL_ID, lastUpdate=since)
    assert set(body) == {"result", "success"}
    result = body["result"]
    assert set(result) == {"updated", "deleted"}
    assert [m["_id"] for m in result["updated"]] == [new["_id"], edited["_id"]]  # newest ts first
    assert old["_id"] not in [m["_id"] for m in result["updated"]]
    assert [d["_id"] for d in result["deleted"]] == [gone["_id"]]
    assert set(result["deleted"][0]) == {"_id", "_deletedAt"}
    # An unencoded `+` in the offset arrives as a space; that date still parses.
    r = await client.get(
        f"/api/v1/chat.syncMessages?roomId={GENERAL_ID}&lastUpdate={since}", headers=bob.headers
    )
    assert r.status_code == 200, r.text
    assert len(r.json()["result"]["updated"]) == 2


async def test_sync_messages_by_cursor(client: httpx.AsyncClient, alice: Persona) -> None:
    since = await a_moment()
    sent = []
    for i in range(5):
        sent.append((await post(client, alice, GENERAL_ID, f"m{i}"))["_id"])
        await asyncio.sleep(0.002)
    pages: list[list[str]] = []
    cursor: dict[str, Any] = {}
    params: dict[str, object] = {"roomId": GENERAL_ID, "type": "UPDATED", "count": 2}
    ms = int(datetime.fromisoformat(since).timestamp() * 1000)
    params["next"] = str(ms)
    while True:
        body = await ok(client, alice, "chat.syncMessages", **params)
        pages.append([m["_id"] for m in body["result"]["updated"]])
        cursor = body["result"]["cursor"]
        assert body["result"]["deleted"] == []
        if cursor["next"] is None:
            break
        params["next"] = cursor["next"]
    assert pages == [sent[0:2], sent[2:4], sent[4:5]]
    # Walking back from the newest.
    back = await ok(
        client,
        alice,
        "chat.syncMessages",
        roomId=GENERAL_ID,
        type="UPDATED",
        count=2,
        previous=str(ms + 10**7),
    )
    assert [m["_id"] for m in back["result"]["updated"]] == [sent[4], sent[3]]
    await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=sent[0])
    deleted = await ok(
        client, alice, "chat.syncMessages", roomId=GENERAL_ID, type="DELETED", next=str(ms)
    )
    assert [d["_id"] for d in deleted["result"]["deleted"]] == [sent[0]]
    assert deleted["result"]["updated"] == []
    assert deleted["result"]["cursor"]["next"] is None


async def test_sync_messages_refuses_bad_input(client: httpx.AsyncClient, alice: Persona) -> None:
    cases: list[tuple[dict[str, object], str]] = [
        ({"lastUpdate": "2024-01-01T00:00:00Z"}, "error-param-required"),
        ({"roomId": GENERAL_ID}, "error-param-required"),
        ({"roomId": GENERAL_ID, "lastUpdate": "someday"}, "error-lastUpdate-param-invalid"),
        ({"roomId": GENERAL_ID, "type": "SOMETIMES"}, "invalid-params"),
        ({"roomId": GENERAL_ID, "type": "UPDATED", "next": "abc"}, "invalid-params"),
        (
            {"roomId": GENERAL_ID, "type": "UPDATED", "next": "1", "previous": "2"},
            "error-cursor-conflict",
        ),
        (
            {"roomId": GENERAL_ID, "lastUpdate": "2024-01-01T00:00:00Z", "next": "1"},
            "error-cursor-and-lastUpdate-conflict",
        ),
        ({"roomId": GENERAL_ID, "type": "UPDATED", "count": 0}, "invalid-params"),
        ({"roomId": "nowhere", "lastUpdate": "2024-01-01T00:00:00Z"}, "error-not-allowed"),
    ]
    for params, code in cases:
        assert_error(await call(client, alice, "chat.syncMessages", **params), 400, code)


# chat.getDeletedMessages ----------------------------------------------------------------------


async def test_deleted_messages_since(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    early = await post(client, alice, GENERAL_ID, "early")
    await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=early["_id"])
    since = await a_moment()
    ids = []
    for i in range(3):
        m = await post(client, alice, GENERAL_ID, f"gone {i}")
        await ok(client, alice, "chat.delete", roomId=GENERAL_ID, msgId=m["_id"])
        ids.append(m["_id"])
        await asyncio.sleep(0.002)  # one deletion per millisecond keeps the order certain
    body = await ok(client, bob, "chat.getDeletedMessages", roomId=GENERAL_ID, since=since)
    assert body["messages"] == [{"_id": i} for i in ids]
    assert (body["count"], body["offset"], body["total"]) == (3, 0, 3)
    page = await ok(
        client, bob, "chat.getDeletedMessages", roomId=GENERAL_ID, since=since, count=1, offset=2
    )
    assert page["messages"] == [{"_id": ids[2]}]
    assert (page["count"], page["offset"], page["total"]) == (1, 2, 3)
    r = await call(client, bob, "chat.getDeletedMessages", roomId=GENERAL_ID)
    assert_error(r, 400, "invalid-params")
    r = await call(client, bob, "chat.getDeletedMessages", roomId=GENERAL_ID, since="never")
    assert_error(r, 400, "invalid-params")


# chat.ignoreUser ------------------------------------------------------------------------------


async def test_ignoring_a_member(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona, team: Room
) -> None:
    async def ignored() -> tuple[str, ...]:
        subs = [s for s in await subscriptions_of(deps, bob.id) if s.room_id == team.id]
        return subs[0].ignored

    with deps.bus.capture() as published:
        body = await ok(client, bob, "chat.ignoreUser", rid=team.id, userId=alice.id, ignore=True)
    assert body == {"success": True}
    assert published == [
        UserIgnored(room_id=team.id, user_id=bob.id, ignored_user_id=alice.id, ignored=True)
    ]
    assert await ignored() == (alice.id,)
    await ok(client, bob, "chat.ignoreUser", rid=team.id, userId=alice.id, ignore=True)
    assert await ignored() == (alice.id,)
    await ok(client, bob, "chat.ignoreUser", rid=team.id, userId=alice.id, ignore=False)
    assert await ignored() == ()


async def test_ignoring_needs_both_to_be_members(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona, team: Room
) -> None:
    r = await call(client, admin, "chat.ignoreUser", rid=team.id, userId=alice.id, ignore=True)
    assert_error(r, 400, "error-invalid-subscription")
    r = await call(client, bob, "chat.ignoreUser", rid=team.id, userId=admin.id, ignore=True)
    assert_error(r, 400, "error-invalid-subscription")
    r = await call(client, bob, "chat.ignoreUser", userId=alice.id, ignore=True)
    assert_error(r, 400, "error-room-id-param-not-provided")
    r = await call(client, bob, "chat.ignoreUser", rid=team.id, ignore=True)
    assert_error(r, 400, "error-user-id-param-not-provided")


# chat.reportMessage ---------------------------------------------------------------------------


async def test_reporting_keeps_a_copy(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "buy cheap watches")
    with deps.bus.capture() as published:
        body = await ok(
            client, bob, "chat.reportMessage", messageId=sent["_id"], description="spam"
        )
    assert body == {"success": True}
    await ok(client, alice, "chat.update", roomId=GENERAL_ID, msgId=sent["_id"], text="fixed")
    async with deps.reader() as uow:
        rows = (await uow.conn.execute(sa.select(message_reports))).all()
    assert len(rows) == 1
    report = rows[0]._mapping
    assert report["message_id"] == sent["_id"] and report["room_id"] == GENERAL_ID
    assert report["reported_by"] == bob.id and report["description"] == "spam"
    assert report["message"]["msg"] == "buy cheap watches"  # the copy does not follow edits
    assert report["message"]["user_id"] == alice.id and isinstance(report["message"]["ts"], int)
    assert published == [
        MessageReported(
            report_id=report["id"], message_id=sent["_id"], room_id=GENERAL_ID, by=bob.id
        )
    ]


async def test_report_refuses_bad_input(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, team: Room
) -> None:
    sent = await post(client, alice, GENERAL_ID, "hello")
    for description in ("", "   "):
        r = await call(
            client, alice, "chat.reportMessage", messageId=sent["_id"], description=description
        )
        assert_error(r, 400, "error-invalid-description")
    r = await call(client, alice, "chat.reportMessage", messageId=sent["_id"])
    assert_error(r, 400, "invalid-params")
    r = await call(client, alice, "chat.reportMessage", messageId="missing", description="bad")
    assert_error(r, 400, "error-invalid-message_id")
    secret = await post(client, alice, team.id, "private")
    r = await call(client, admin, "chat.reportMessage", messageId=secret["_id"], description="x")
    assert_error(r, 400, "error-invalid-message_id")


# chat.getMessageReadReceipts ------------------------------------------------------------------


async def test_read_receipts_answer_as_community_edition(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "read me")
    r = await call(client, alice, "chat.getMessageReadReceipts", messageId=sent["_id"])
    body = assert_error(r, 400, "error-action-not-allowed")
    assert body["error"] == "This is an enterprise feature [error-action-not-allowed]"
    assert_error(await call(client, alice, "chat.getMessageReadReceipts"), 400, "invalid-params")


# outsiders ------------------------------------------------------------------------------------


@pytest.fixture
async def secret(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, team: Room
) -> dict[str, str]:
    """A private group full of things: a thread, a pin, a star, a mention, a deletion."""
    root = await post(client, alice, team.id, "secret thread about @bob")
    await post(client, bob, team.id, "secret reply", tmid=root["_id"])
    await ok(client, alice, "chat.pinMessage", messageId=root["_id"])
    await ok(client, alice, "chat.starMessage", messageId=root["_id"])
    gone = await post(client, alice, team.id, "secret to delete")
    await ok(client, alice, "chat.delete", roomId=team.id, msgId=gone["_id"])
    return {"rid": team.id, "mid": root["_id"], "deleted": gone["_id"]}


SINCE = "2000-01-01T00:00:00.000Z"
# endpoint, params naming the private things, params naming nothing that exists
OUTSIDER_CASES: list[tuple[str, dict[str, str], dict[str, str]]] = [
    ("chat.getMessage", {"msgId": "{mid}"}, {"msgId": "missing"}),
    (
        "chat.search",
        {"roomId": "{rid}", "searchText": "secret"},
        {"roomId": "missing", "searchText": "secret"},
    ),
    ("chat.getPinnedMessages", {"roomId": "{rid}"}, {"roomId": "missing"}),
    ("chat.getStarredMessages", {"roomId": "{rid}"}, {"roomId": "missing"}),
    ("chat.getMentionedMessages", {"roomId": "{rid}"}, {"roomId": "missing"}),
    ("chat.getThreadsList", {"rid": "{rid}"}, {"rid": "missing"}),
    ("chat.getThreadMessages", {"tmid": "{mid}"}, {"tmid": "missing"}),
    (
        "chat.syncThreadsList",
        {"rid": "{rid}", "updatedSince": SINCE},
        {"rid": "missing", "updatedSince": SINCE},
    ),
    (
        "chat.syncThreadMessages",
        {"tmid": "{mid}", "updatedSince": SINCE},
        {"tmid": "missing", "updatedSince": SINCE},
    ),
    (
        "chat.syncMessages",
        {"roomId": "{rid}", "lastUpdate": SINCE},
        {"roomId": "missing", "lastUpdate": SINCE},
    ),
    (
        "chat.syncMessages",
        {"roomId": "{rid}", "type": "DELETED"},
        {"roomId": "missing", "type": "DELETED"},
    ),
    (
        "chat.getDeletedMessages",
        {"roomId": "{rid}", "since": SINCE},
        {"roomId": "missing", "since": SINCE},
    ),
    (
        "chat.react",
        {"messageId": "{mid}", "emoji": "smile"},
        {"messageId": "missing", "emoji": "smile"},
    ),
    ("chat.pinMessage", {"messageId": "{mid}"}, {"messageId": "missing"}),
    ("chat.unPinMessage", {"messageId": "{mid}"}, {"messageId": "missing"}),
    ("chat.starMessage", {"messageId": "{mid}"}, {"messageId": "missing"}),
    ("chat.unStarMessage", {"messageId": "{mid}"}, {"messageId": "missing"}),
    ("chat.followMessage", {"mid": "{mid}"}, {"mid": "missing"}),
    ("chat.unfollowMessage", {"mid": "{mid}"}, {"mid": "missing"}),
    (
        "chat.reportMessage",
        {"messageId": "{mid}", "description": "x"},
        {"messageId": "missing", "description": "x"},
    ),
    (
        "chat.update",
        {"roomId": "{rid}", "msgId": "{mid}", "text": "x"},
        {"roomId": "{rid}", "msgId": "missing", "text": "x"},
    ),
    ("chat.delete", {"roomId": "{rid}", "msgId": "{mid}"}, {"roomId": "{rid}", "msgId": "missing"}),
]


@pytest.mark.parametrize(("endpoint", "private", "missing"), OUTSIDER_CASES)
async def test_outsiders_see_private_things_as_missing(
    client: httpx.AsyncClient,
    admin: Persona,
    alice: Persona,
    secret: dict[str, str],
    endpoint: str,
    private: dict[str, str],
    missing: dict[str, str],
) -> None:
    outsider = await sign_up(client, "mallory")
    for who in (outsider, admin):  # not even an admin sees into a group they are not in
        asked = {k: v.format(**secret) for k, v in private.items()}
        nothing = {k: v.format(**secret) for k, v in missing.items()}
        r = await call(client, who, endpoint, **asked)
        baseline = await call(client, who, endpoint, **nothing)
        body = assert_error(r, 400)
        assert r.status_code == baseline.status_code
        assert body == baseline.json()
        for leak in ("secret", "@bob", secret["deleted"], alice.id):
            assert leak not in r.text
    # ...while the members get on with it.
    member = await call(
        client, alice, endpoint, **{k: v.format(**secret) for k, v in private.items()}
    )
    assert member.status_code == 200, member.text
