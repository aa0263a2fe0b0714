"""chat.update, chat.delete and chat.getMessage: who may change which message, and when."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from chinwag.actions.bootstrap import GENERAL_ID
from chinwag.actions.deps import Deps
from chinwag.domain.models import Room, RoomType
from chinwag.events.types import MessageDeleted, MessageUpdated
from chinwag.storage.tables import rooms
from tests.conftest import Persona, assert_error
from tests.conftest_helpers import join_room, make_room, room_by_id, set_permission, set_setting
from tests.http.chat_support import call, fetch, ok, post, shift_clock

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def set_room(deps: Deps, room_id: str, **values: object) -> None:
    async with deps.uow() as uow:
        await uow.conn.execute(rooms.update().where(rooms.c.id == room_id).values(**values))


@pytest.fixture
async def team(deps: Deps, alice: Persona, bob: Persona) -> Room:
    """A private group alice owns and bob belongs to."""
    room = await make_room(deps, "team", alice)
    await join_room(deps, room, bob)
    return room


async def update(
    client: httpx.AsyncClient, who: Persona, message: dict[str, Any], text: str, **extra: object
) -> httpx.Response:
    return await call(
        client, who, "chat.update", roomId=message["rid"], msgId=message["_id"], text=text, **extra
    )


async def delete(
    client: httpx.AsyncClient, who: Persona, message: dict[str, Any], **extra: object
) -> httpx.Response:
    return await call(
        client, who, "chat.delete", roomId=message["rid"], msgId=message["_id"], **extra
    )


# chat.update ----------------------------------------------------------------------------------


async def test_author_edits_their_message(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "hello world")
    with deps.bus.capture() as published:
        r = await update(client, alice, sent, "hello @bob, see #general", customFields={"k": 1})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    edited = body["message"]
    assert edited["_id"] == sent["_id"] and edited["rid"] == GENERAL_ID
    assert edited["msg"] == "hello @bob, see #general"
    assert ISO.match(edited["editedAt"])
    assert edited["editedBy"] == {"_id": alice.id, "username": "alice"}
    assert edited["ts"] == sent["ts"]
    assert edited["_updatedAt"] >= sent["_updatedAt"]
    assert edited["mentions"] == [{"_id": bob.id, "username": "bob", "name": "Bob", "type": "user"}]
    assert edited["channels"] == [{"_id": GENERAL_ID, "name": "general"}]
    assert edited["customFields"] == {"k": 1}
    assert edited["md"] != sent["md"] and edited["md"][0]["type"] == "PARAGRAPH"
    assert await fetch(client, bob, sent["_id"]) == edited
    assert published == [MessageUpdated(room_id=GENERAL_ID, message_id=sent["_id"])]


async def test_the_same_text_is_not_an_edit(client: httpx.AsyncClient, alice: Persona) -> None:
    sent = await post(client, alice, GENERAL_ID, "unchanged")
    r = await update(client, alice, sent, "unchanged")
    assert r.status_code == 200, r.text
    assert "editedAt" not in r.json()["message"]


async def test_editing_a_file_message_changes_its_caption(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    body = {
        "message": {
            "rid": GENERAL_ID,
            "msg": "",
            "attachments": [{"title": "cat.png", "description": "a cat", "type": "file"}],
        }
    }
    r = await client.post("/api/v1/chat.sendMessage", json=body, headers=alice.headers)
    assert r.status_code == 200, r.text
    sent = r.json()["message"]
    r = await update(client, alice, sent, "a very fat cat")
    assert r.status_code == 200, r.text
    edited = r.json()["message"]
    assert edited["msg"] == ""
    assert edited["attachments"] == [
        {"title": "cat.png", "description": "a very fat cat", "type": "file"}
    ]
    assert edited["editedBy"]["username"] == "alice"


async def test_others_messages_need_edit_message(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "mine")
    assert_error(await update(client, bob, sent, "hijacked"), 403, "error-action-not-allowed")
    assert (await fetch(client, bob, sent["_id"]))["msg"] == "mine"
    r = await update(client, admin, sent, "moderated")
    assert r.status_code == 200, r.text
    assert r.json()["message"]["editedBy"] == {"_id": admin.id, "username": "boss"}


async def test_room_owner_may_edit_members_messages(
    client: httpx.AsyncClient, alice: Persona, bob: Persona, team: Room
) -> None:
    sent = await post(client, bob, team.id, "typo here")
    r = await update(client, alice, sent, "no typo here")
    assert r.status_code == 200, r.text


async def test_editing_can_be_switched_off(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "draft")
    await set_setting(deps, "Message_AllowEditing", False)
    assert_error(await update(client, alice, sent, "final"), 403, "error-action-not-allowed")
    assert (await update(client, admin, sent, "final")).status_code == 200


async def test_the_edit_window(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "draft")
    await set_setting(deps, "Message_AllowEditing_BlockEditInMinutes", 5)
    shift_clock(deps, timedelta(minutes=4, seconds=50))
    assert (await update(client, alice, sent, "in time")).status_code == 200
    shift_clock(deps, timedelta(minutes=5, seconds=1))
    assert_error(
        await update(client, alice, sent, "too late"), 400, "error-message-editing-blocked"
    )
    # The window binds moderators too; bypass-time-limit-edit-and-delete lifts it.
    assert_error(await update(client, admin, sent, "late"), 400, "error-message-editing-blocked")
    await set_permission(deps, "bypass-time-limit-edit-and-delete", ("user",))
    assert (await update(client, alice, sent, "bypassed")).status_code == 200
    await set_setting(deps, "Message_AllowEditing_BlockEditInMinutes", 0)
    shift_clock(deps, timedelta(days=30))
    await set_permission(deps, "bypass-time-limit-edit-and-delete", ())
    assert (await update(client, alice, sent, "no limit")).status_code == 200


async def test_system_messages_cannot_be_edited(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "pin me")
    notice = (await ok(client, admin, "chat.pinMessage", messageId=sent["_id"]))["message"]
    assert notice["t"] == "message_pinned"
    assert_error(await update(client, admin, notice, "rewritten"), 403, "error-action-not-allowed")


async def test_update_refuses_bad_input(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, team: Room
) -> None:
    sent = await post(client, alice, GENERAL_ID, "hello")
    r = await call(client, alice, "chat.update", roomId=GENERAL_ID, msgId=sent["_id"])
    assert_error(r, 400, "invalid-params")
    r = await call(client, alice, "chat.update", roomId=GENERAL_ID, msgId="nope", text="x")
    assert_error(r, 400, "error-message-not-found")
    r = await call(client, alice, "chat.update", roomId=team.id, msgId=sent["_id"], text="x")
    assert_error(r, 400, "error-invalid-room")
    assert_error(await update(client, alice, sent, "   "), 400, "error-invalid-message")
    await set_setting(deps, "Message_MaxAllowedSize", 10)
    assert_error(await update(client, alice, sent, "x" * 11), 400, "error-message-size-exceeded")
    r = await client.post(
        "/api/v1/chat.update",
        content=b"{",
        headers={**alice.headers, "content-type": "application/json"},
    )
    assert_error(r, 400, "invalid-params")
    assert (await fetch(client, alice, sent["_id"]))["msg"] == "hello"


async def test_archived_and_read_only_rooms_refuse_edits(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona, team: Room
) -> None:
    sent = await post(client, bob, team.id, "before")
    await set_room(deps, team.id, read_only=True)
    assert_error(await update(client, bob, sent, "after"), 400, "error-action-not-allowed")
    await set_room(deps, team.id, read_only=False, archived=True)
    assert_error(await update(client, bob, sent, "after"), 400, "error-room-archived")
    assert_error(await delete(client, bob, sent), 400, "error-room-archived")


async def test_outsiders_cannot_tell_a_private_message_exists(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, team: Room
) -> None:
    sent = await post(client, alice, team.id, "secret plans")
    for r in (
        await update(client, admin, sent, "leaked?"),
        await delete(client, admin, sent),
        await call(client, admin, "chat.getMessage", msgId=sent["_id"]),
    ):
        body = assert_error(r, 400, "error-message-not-found")
        assert "secret" not in r.text and "message" not in body
    assert (await fetch(client, alice, sent["_id"]))["msg"] == "secret plans"


# chat.delete ----------------------------------------------------------------------------------


async def test_author_deletes_their_message(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, alice, GENERAL_ID, "oops")
    msgs = (await room_by_id(deps, GENERAL_ID)).msgs
    with deps.bus.capture() as published:
        r = await delete(client, alice, sent)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"_id", "ts", "message", "success"}
    assert body["_id"] == sent["_id"]
    assert isinstance(body["ts"], str) and body["ts"].isdigit()
    assert body["message"] == {
        "_id": sent["_id"],
        "rid": GENERAL_ID,
        "u": {"_id": alice.id, "username": "alice", "name": "Alice"},
    }
    assert published == [MessageDeleted(room_id=GENERAL_ID, message_id=sent["_id"])]
    assert_error(await call(client, bob, "chat.getMessage", msgId=sent["_id"]), 400)
    assert (await room_by_id(deps, GENERAL_ID)).msgs == msgs - 1
    assert_error(await delete(client, alice, sent), 400, "error-message-not-found")


async def test_others_messages_need_delete_message(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona, team: Room
) -> None:
    sent = await post(client, alice, GENERAL_ID, "mine")
    assert_error(await delete(client, bob, sent), 403, "error-action-not-allowed")
    assert (await delete(client, admin, sent)).status_code == 200
    # A room owner holds delete-message in their room.
    theirs = await post(client, bob, team.id, "in the team")
    assert (await delete(client, alice, theirs)).status_code == 200


async def test_deleting_can_be_switched_off_but_not_for_force_delete(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    first = await post(client, alice, GENERAL_ID, "one")
    second = await post(client, alice, GENERAL_ID, "two")
    await set_setting(deps, "Message_AllowDeleting", False)
    assert_error(await delete(client, alice, first), 403, "error-action-not-allowed")
    assert (await delete(client, admin, first)).status_code == 200
    await set_setting(deps, "Message_AllowDeleting", True)
    await set_permission(deps, "delete-own-message", ("admin",))
    assert_error(await delete(client, alice, second), 403, "error-action-not-allowed")


async def test_the_delete_window(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    first = await post(client, alice, GENERAL_ID, "one")
    second = await post(client, alice, GENERAL_ID, "two")
    await set_setting(deps, "Message_AllowDeleting_BlockDeleteInMinutes", 5)
    shift_clock(deps, timedelta(minutes=5, seconds=20))  # rounds to 5: still allowed
    assert (await delete(client, alice, first)).status_code == 200
    shift_clock(deps, timedelta(minutes=6))
    assert_error(await delete(client, alice, second), 400, "error-message-deleting-blocked")
    assert (await delete(client, admin, second)).status_code == 200  # force-delete-message


async def test_delete_as_the_author(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    sent = await post(client, bob, GENERAL_ID, "bob's")
    assert_error(await delete(client, alice, sent, asUser=True), 403, "error-action-not-allowed")
    r = await delete(client, admin, sent, asUser=True)
    assert r.status_code == 200, r.text
    assert r.json()["message"]["u"]["_id"] == bob.id


async def test_deleting_a_reply_counts_down_its_thread(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    root = await post(client, alice, GENERAL_ID, "root")
    first = await post(client, bob, GENERAL_ID, "first reply", tmid=root["_id"])
    await post(client, bob, GENERAL_ID, "second reply", tmid=root["_id"])
    assert (await fetch(client, alice, root["_id"]))["tcount"] == 2
    assert (await delete(client, bob, first)).status_code == 200
    assert (await fetch(client, alice, root["_id"]))["tcount"] == 1


async def test_deleting_a_thread_start_leaves_a_placeholder(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    root = await post(client, alice, GENERAL_ID, "root with replies")
    await post(client, bob, GENERAL_ID, "a reply", tmid=root["_id"])
    with deps.bus.capture() as published:
        assert (await delete(client, alice, root)).status_code == 200
    assert published == [
        MessageDeleted(room_id=GENERAL_ID, message_id=root["_id"], placeholder=True)
    ]
    kept = await fetch(client, bob, root["_id"])
    assert kept["t"] == "rm" and kept["msg"] == "" and kept["tcount"] == 1
    assert kept["editedBy"] == {"_id": alice.id, "username": "alice"}
    replies = await ok(client, bob, "chat.getThreadMessages", tmid=root["_id"])
    assert [m["msg"] for m in replies["messages"]] == ["a reply"]


async def test_show_deleted_status_keeps_placeholders(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    await set_setting(deps, "Message_ShowDeletedStatus", True)
    sent = await post(client, alice, GENERAL_ID, "soon gone")
    assert (await delete(client, alice, sent)).status_code == 200
    kept = await fetch(client, alice, sent["_id"])
    assert kept["t"] == "rm" and kept["msg"] == ""


async def test_delete_refuses_bad_input(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona, team: Room
) -> None:
    sent = await post(client, alice, GENERAL_ID, "hello")
    assert_error(await call(client, alice, "chat.delete", msgId=sent["_id"]), 400, "invalid-params")
    r = await call(client, alice, "chat.delete", roomId=team.id, msgId=sent["_id"])
    assert_error(r, 400, "error-invalid-room")
    theirs = await post(client, bob, team.id, "read only soon")
    await set_room(deps, team.id, read_only=True)
    assert_error(await delete(client, bob, theirs), 400, "error-action-not-allowed")
    assert (await delete(client, alice, theirs)).status_code == 200  # owner: force-delete


async def test_a_reused_id_can_be_deleted_again(client: httpx.AsyncClient, alice: Persona) -> None:
    for _ in range(2):
        body = {"message": {"_id": "client-chosen-id", "rid": GENERAL_ID, "msg": "again"}}
        r = await client.post("/api/v1/chat.sendMessage", json=body, headers=alice.headers)
        assert r.status_code == 200, r.text
        message = r.json()["message"]
        assert (await delete(client, alice, message)).status_code == 200


async def test_deleting_the_last_message_restores_the_previous_one(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    before = await post(client, alice, GENERAL_ID, "before")
    last = await post(client, alice, GENERAL_ID, "last")
    assert (await room_by_id(deps, GENERAL_ID)).last_message_id == last["_id"]
    assert (await delete(client, alice, last)).status_code == 200
    assert (await room_by_id(deps, GENERAL_ID)).last_message_id == before["_id"]


# chat.getMessage ------------------------------------------------------------------------------


async def test_get_message(client: httpx.AsyncClient, alice: Persona, bob: Persona) -> None:
    sent = await post(client, alice, GENERAL_ID, "hello *world*")
    body = await ok(client, bob, "chat.getMessage", msgId=sent["_id"])
    assert set(body) == {"message", "success"}
    message = body["message"]
    assert message == sent
    assert {"_id", "rid", "msg", "ts", "u", "_updatedAt", "md", "mentions", "channels"} <= set(
        message
    )
    assert message["u"] == {"_id": alice.id, "username": "alice", "name": "Alice"}


async def test_get_message_errors(client: httpx.AsyncClient, alice: Persona) -> None:
    assert_error(await client.get("/api/v1/chat.getMessage", headers=alice.headers), 400)
    r = await call(client, alice, "chat.getMessage", msgId="missing")
    assert_error(r, 400, "error-message-not-found")
    assert_error(await client.get("/api/v1/chat.getMessage?msgId=x"), 401)


async def test_public_channels_are_readable_without_joining(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    lobby = await make_room(deps, "lobby", alice, RoomType.CHANNEL)
    sent = await post(client, alice, lobby.id, "welcome")
    assert (await fetch(client, bob, sent["_id"]))["msg"] == "welcome"
    # ...but not changeable by outsiders.
    assert_error(await update(client, bob, sent, "x"), 403, "error-action-not-allowed")


async def test_update_and_delete_need_a_login(client: httpx.AsyncClient) -> None:
    for endpoint in ("chat.update", "chat.delete"):
        r = await client.post(f"/api/v1/{endpoint}", json={"roomId": "r", "msgId": "m"})
        assert_error(r, 401)


async def test_links_in_a_message_are_its_urls(client: httpx.AsyncClient, alice: Persona) -> None:
    text = "see https://example.com/a?b=1, and (http://docs.example.org/x) twice https://example.com/a?b=1"
    r = await client.post(
        "/api/v1/chat.postMessage",
        headers=alice.headers,
        json={"channel": "#general", "text": text},
    )
    message = r.json()["message"]
    assert message["urls"] == [
        {"url": "https://example.com/a?b=1"},
        {"url": "http://docs.example.org/x"},
    ]
    edited = await client.post(
        "/api/v1/chat.update",
        headers=alice.headers,
        json={"roomId": "GENERAL", "msgId": message["_id"], "text": "now https://chinwag.example"},
    )
    assert edited.json()["message"]["urls"] == [{"url": "https://chinwag.example"}]
