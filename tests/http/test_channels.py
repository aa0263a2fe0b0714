"""channels.*: public channels, their members, settings, roles and system messages."""

import re

import httpx
import sqlalchemy as sa

from chinwag.actions.deps import Deps
from chinwag.events.types import (
    RoomDeleted,
    RoomUpdated,
    UserJoinedRoom,
    UserLeftRoom,
    UserRemovedFromRoom,
)
from chinwag.storage.tables import messages
from tests.conftest import Persona, assert_error, sign_up
from tests.conftest_helpers import room_by_id
from tests.http.rooms_support import (
    create,
    get,
    history_types,
    ok_get,
    ok_post,
    post,
    say,
)

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


# Reading ------------------------------------------------------------------------------------


async def test_info_shapes_the_channel_with_its_last_message(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "town", "bob")
    sent = await say(client, bob, room["_id"], "hello town")
    channel = (await ok_get(client, alice, "channels.info", roomName="town"))["channel"]
    volatile = {"ts", "_updatedAt", "lm"}
    assert all(ISO.match(channel[k]) for k in volatile)
    assert {k: v for k, v in channel.items() if k not in volatile | {"lastMessage"}} == {
        "_id": room["_id"],
        "t": "c",
        "name": "town",
        "fname": "town",
        "msgs": 1,
        "usersCount": 2,
        "default": False,
        "ro": False,
        "sysMes": True,
        "muted": [],
        "u": {"_id": alice.id, "username": "alice"},
    }
    assert channel["lastMessage"]["_id"] == sent["_id"]
    assert channel["lastMessage"]["msg"] == "hello town"
    by_id = (await ok_get(client, bob, "channels.info", roomId=room["_id"]))["channel"]
    assert by_id["_id"] == room["_id"]


async def test_info_of_a_group_or_nothing_is_not_found(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    group = await create(client, alice, "groups", "secret")
    for params in ({"roomId": group["_id"]}, {"roomName": "nope"}, {"roomId": "missing"}):
        assert_error(
            await get(client, alice, "channels.info", **params), 400, "error-room-not-found"
        )
    r = await get(client, alice, "channels.info")
    assert_error(r, 400, "error-roomid-param-not-provided")


async def test_list_pages_public_channels_and_list_joined_only_the_callers(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    for name in ("alpha", "beta", "gamma"):
        await create(client, alice, "channels", name)
    await create(client, alice, "groups", "hidden")
    found = await ok_get(client, bob, "channels.list", count=2, offset=1)
    assert [c["name"] for c in found["channels"]] == ["beta", "gamma"]
    assert (found["count"], found["offset"], found["total"]) == (2, 1, 4)  # with general
    reverse = await ok_get(client, bob, "channels.list", sort='{"name":-1}', count=1)
    assert reverse["channels"][0]["name"] == "general"
    joined = await ok_get(client, bob, "channels.list.joined")
    assert [c["name"] for c in joined["channels"]] == ["general"]
    mine = await ok_get(client, alice, "channels.list.joined")
    assert {c["name"] for c in mine["channels"]} == {"alpha", "beta", "gamma", "general"}
    one = await ok_get(client, bob, "channels.list", _id=mine["channels"][0]["_id"])
    assert one["total"] == 1


async def test_list_needs_view_c_room_or_view_joined_room(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    from tests.conftest_helpers import set_permission

    await create(client, alice, "channels", "open-plan")
    await set_permission(deps, "view-c-room", ("admin",))
    assert_error(await get(client, alice, "channels.list"), 403)
    await set_permission(deps, "view-joined-room", ("user",))
    found = await ok_get(client, alice, "channels.list")
    assert {c["name"] for c in found["channels"]} == {"open-plan", "general"}


async def test_messages_filters_by_mention_star_pin_with_total(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "filters", "bob")
    rid = room["_id"]
    await say(client, alice, rid, "one")
    await say(client, alice, rid, "hey @bob")
    await say(client, alice, rid, "three")
    everything = await ok_get(client, bob, "channels.messages", roomId=rid)
    assert [m["msg"] for m in everything["messages"]] == ["three", "hey @bob", "one"]
    assert everything["total"] == 3
    oldest_first = await ok_get(client, bob, "channels.messages", roomId=rid, sort='{"ts":1}')
    assert oldest_first["messages"][0]["msg"] == "one"
    mentioned = await ok_get(client, bob, "channels.messages", roomId=rid, mentionIds=bob.id)
    assert [m["msg"] for m in mentioned["messages"]] == ["hey @bob"]
    page = await ok_get(client, bob, "channels.messages", roomId=rid, count=1, offset=1)
    assert (page["count"], page["offset"], page["total"]) == (1, 1, 3)
    pinned = await ok_get(client, bob, "channels.messages", roomId=rid, pinned="true")
    assert pinned["messages"] == [] and pinned["total"] == 0


async def test_members_filter_sort_and_status(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    carol = await sign_up(client, "carol")
    room = await create(client, alice, "channels", "crew", "bob", "carol")
    rid = room["_id"]
    found = await ok_get(client, alice, "channels.members", roomId=rid)
    assert found["members"][0] == {
        "_id": alice.id,
        "username": "alice",
        "name": "Alice",
        "status": "offline",
        "statusText": "",
    }
    assert [m["username"] for m in found["members"]] == ["alice", "bob", "carol"]
    assert (found["count"], found["total"]) == (3, 3)
    desc = await ok_get(client, alice, "channels.members", roomId=rid, sort='{"username":-1}')
    assert [m["username"] for m in desc["members"]] == ["carol", "bob", "alice"]
    filtered = await ok_get(client, alice, "channels.members", roomId=rid, filter="CAR")
    assert [m["username"] for m in filtered["members"]] == ["carol"]
    await ok_post(client, carol, "users.setStatus", status="away")
    away = await ok_get(client, alice, "channels.members", roomId=rid, status=["away"])
    assert [m["username"] for m in away["members"]] == ["carol"]
    online = await ok_get(client, bob, "channels.online", _id=rid)
    assert online["online"] == [{"_id": carol.id, "username": "carol"}]
    paged = await ok_get(client, alice, "channels.members", roomId=rid, count=1, offset=2)
    assert [m["username"] for m in paged["members"]] == ["carol"] and paged["total"] == 3


async def test_counters_report_unread_and_totals(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "count-me", "bob")
    rid = room["_id"]
    for text in ("a", "b"):
        await say(client, alice, rid, text)
    counters = await ok_get(client, bob, "channels.counters", roomId=rid)
    assert counters["joined"] is True and counters["unreads"] == 2
    assert counters["members"] == 2 and counters["msgs"] == 2 and counters["userMentions"] == 0
    assert ISO.match(counters["unreadsFrom"]) and ISO.match(counters["latest"])
    carol = await sign_up(client, "carol")
    outsider = await ok_get(client, carol, "channels.counters", roomId=rid)
    assert outsider == {
        "joined": False,
        "members": None,
        "unreads": None,
        "unreadsFrom": None,
        "msgs": None,
        "latest": None,
        "userMentions": None,
        "success": True,
    }
    assert_error(await get(client, carol, "channels.counters", roomId=rid, userId=bob.id), 403)
    for_bob = await ok_get(client, admin, "channels.counters", roomId=rid, userId=bob.id)
    assert for_bob["unreads"] == 2


async def test_files_is_an_empty_page_until_uploads_exist(
    client: httpx.AsyncClient, alice: Persona
) -> None:
    room = await create(client, alice, "channels", "files")
    found = await ok_get(client, alice, "channels.files", roomId=room["_id"])
    assert found == {"files": [], "count": 0, "offset": 0, "total": 0, "success": True}


# Membership ---------------------------------------------------------------------------------


async def test_invite_adds_members_with_au_and_needs_a_right(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    carol = await sign_up(client, "carol")
    room = await create(client, alice, "channels", "party", "bob")
    rid = room["_id"]
    r = await post(client, bob, "channels.invite", roomId=rid, userId=carol.id)
    assert_error(r, 403, "error-not-allowed")  # a plain member lacks add-user-to-joined-room
    with deps.bus.capture() as published:
        channel = (await ok_post(client, alice, "channels.invite", roomId=rid, userId=carol.id))[
            "channel"
        ]
    assert channel["usersCount"] == 3
    assert UserJoinedRoom(room_id=rid, user_id=carol.id) in published
    assert ("au", "carol") in await history_types(client, alice, "channels", rid)
    again = await ok_post(client, alice, "channels.invite", roomId=rid, usernames=["carol"])
    assert again["channel"]["usersCount"] == 3  # already in: no second `au`
    sub = (await ok_get(client, carol, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["unread"] == 1 and sub["alert"] is True  # the `au` telling them they were added
    r = await post(client, alice, "channels.invite", roomId=rid, username="nobody")
    assert_error(r, 400, "error-invalid-user")
    r = await post(client, alice, "channels.invite", roomId=rid)
    assert_error(r, 400, "error-empty-invite-list")


async def test_kick_removes_with_ru_and_needs_remove_user(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    carol = await sign_up(client, "carol")
    room = await create(client, alice, "channels", "club", "bob", "carol")
    rid = room["_id"]
    assert_error(await post(client, bob, "channels.kick", roomId=rid, userId=carol.id), 403)
    with deps.bus.capture() as published:
        found = await ok_post(client, alice, "channels.kick", roomId=rid, username="carol")
    assert found["channel"]["usersCount"] == 2
    assert UserRemovedFromRoom(room_id=rid, user_id=carol.id, by=alice.id) in published
    assert ("ru", "carol") in await history_types(client, alice, "channels", rid)
    r = await post(client, alice, "channels.kick", roomId=rid, userId=carol.id)
    assert_error(r, 400, "error-user-not-in-room")
    r = await post(client, alice, "channels.kick", roomId=rid, userId=alice.id)
    assert_error(r, 400, "error-you-are-last-owner")


async def test_join_with_and_without_join_code(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "lobby")
    rid = room["_id"]
    joined = await ok_post(client, bob, "channels.join", roomId=rid, joinCode=None)
    assert joined["channel"]["usersCount"] == 2
    assert ("uj", "bob") in await history_types(client, alice, "channels", rid)
    await ok_post(client, bob, "channels.join", roomId=rid)  # twice is fine
    set_code = await ok_post(client, alice, "channels.setJoinCode", roomId=rid, joinCode="s3cret")
    assert set_code["channel"]["joinCodeRequired"] is True
    assert "s3cret" not in str(set_code) and "joinCode" not in set_code["channel"]
    carol = await sign_up(client, "carol")
    r = await post(client, carol, "channels.join", roomId=rid, joinCode="guess")
    assert_error(r, 400, "error-code-invalid")
    await ok_post(client, carol, "channels.join", roomName="lobby", joinCode="s3cret")
    dave = await sign_up(client, "dave")
    r = await post(client, dave, "channels.join", roomId=rid)
    assert_error(r, 400, "error-code-invalid")
    group = await create(client, alice, "groups", "inner")
    r = await post(client, bob, "channels.join", roomId=group["_id"])
    assert_error(r, 400, "error-room-not-found")
    assert_error(await post(client, admin, "channels.setJoinCode", roomId=rid), 400)


async def test_leave_with_ul_and_the_last_owner_stays(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "exit", "bob")
    rid = room["_id"]
    r = await post(client, alice, "channels.leave", roomId=rid)
    assert_error(r, 400, "error-you-are-last-owner")
    with deps.bus.capture() as published:
        left = await ok_post(client, bob, "channels.leave", roomId=rid)
    assert left["channel"]["usersCount"] == 1
    assert UserLeftRoom(room_id=rid, user_id=bob.id) in published
    assert ("ul", "bob") in await history_types(client, alice, "channels", rid)
    r = await post(client, bob, "channels.leave", roomId=rid)
    assert_error(r, 400, "error-user-not-in-room")
    assert (await room_by_id(deps, rid)).users_count == 1


async def test_open_and_close_toggle_the_sidebar_and_refuse_repeats(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "sidebar", "bob")
    rid = room["_id"]
    assert_error(await post(client, bob, "channels.open", roomId=rid), 400)
    await ok_post(client, bob, "channels.close", roomId=rid)
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["open"] is False
    assert_error(await post(client, bob, "channels.close", roomId=rid), 400)
    await ok_post(client, bob, "channels.open", roomName="sidebar")
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["open"] is True
    carol = await sign_up(client, "carol")
    assert_error(await post(client, carol, "channels.close", roomId=rid), 400)


# Roles ------------------------------------------------------------------------------------


async def test_room_roles_added_and_removed_with_system_messages(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "ranks", "bob")
    rid = room["_id"]
    assert_error(await post(client, bob, "channels.addOwner", roomId=rid, userId=bob.id), 403)
    for role in ("Owner", "Moderator", "Leader"):
        await ok_post(client, alice, f"channels.add{role}", roomId=rid, userId=bob.id)
        r = await post(client, alice, f"channels.add{role}", roomId=rid, username="bob")
        assert_error(r, 400, f"error-user-already-{role.lower()}")
    roles = (await ok_get(client, bob, "channels.roles", roomId=rid))["roles"]
    by_name = {r["u"]["username"]: r for r in roles}
    assert by_name["bob"]["roles"] == ["owner", "moderator", "leader"]
    assert by_name["bob"]["u"] == {"_id": bob.id, "username": "bob", "name": "Bob"}
    assert by_name["bob"]["rid"] == rid and by_name["alice"]["roles"] == ["owner"]
    moderators = (await ok_get(client, alice, "channels.moderators", roomId=rid))["moderators"]
    assert moderators == [{"_id": bob.id, "username": "bob", "name": "Bob"}]
    history = await ok_get(client, alice, "channels.history", roomId=rid)
    added = [m for m in history["messages"] if m.get("t") == "subscription-role-added"]
    assert {m["role"] for m in added} == {"owner", "moderator", "leader"}
    assert all(m["msg"] == "bob" and m["u"]["username"] == "alice" for m in added)
    with deps.bus.capture() as published:
        await ok_post(client, bob, "channels.removeLeader", roomId=rid, userId=bob.id)
    assert any(getattr(e, "role_id", None) == "leader" for e in published)
    r = await post(client, alice, "channels.removeLeader", roomId=rid, userId=bob.id)
    assert_error(r, 400, "error-user-not-leader")
    await ok_post(client, bob, "channels.removeOwner", roomId=rid, userId=alice.id)
    r = await post(client, bob, "channels.removeOwner", roomId=rid, userId=bob.id)
    assert_error(r, 400, "error-remove-last-owner")
    carol = await sign_up(client, "carol")
    r = await post(client, bob, "channels.addModerator", roomId=rid, userId=carol.id)
    assert_error(r, 400, "error-user-not-in-room")


# Settings ---------------------------------------------------------------------------------


async def test_rename_validates_and_renames_subscriptions(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "old-name", "bob")
    rid = room["_id"]
    await create(client, alice, "channels", "taken")
    renamed = await ok_post(client, alice, "channels.rename", roomId=rid, name="new-name")
    assert renamed["channel"]["name"] == "new-name"
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["name"] == "new-name" and sub["fname"] == "new-name"
    assert ("r", "new-name") in await history_types(client, alice, "channels", rid)
    for name, error in (
        ("new-name", "error-room-setting-unchanged"),
        ("TAKEN", "error-duplicate-channel-name"),
        ("bad name!", "error-invalid-room-name"),
    ):
        r = await post(client, alice, "channels.rename", roomId=rid, name=name)
        assert_error(r, 400, error)
    r = await post(client, bob, "channels.rename", roomId=rid, name="mine")
    assert_error(r, 403, "error-action-not-allowed")


async def test_texts_leave_system_messages_and_refuse_unchanged(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "texts", "bob")
    rid = room["_id"]
    with deps.bus.capture() as published:
        assert (await ok_post(client, alice, "channels.setTopic", roomId=rid, topic="t1")) == {
            "topic": "t1",
            "success": True,
        }
    assert published[-1] == RoomUpdated(room_id=rid, fields=("topic",))
    found = await ok_post(client, alice, "channels.setDescription", roomId=rid, description="d1")
    assert found["description"] == "d1"
    found = await ok_post(client, alice, "channels.setPurpose", roomId=rid, purpose="d2")
    assert found["purpose"] == "d2"
    found = await ok_post(client, alice, "channels.setAnnouncement", roomId=rid, announcement="a1")
    assert found["announcement"] == "a1"
    await ok_post(client, alice, "channels.setAnnouncement", roomId=rid, announcement="a1")
    for endpoint, field, value in (
        ("channels.setTopic", "topic", "t1"),
        ("channels.setDescription", "description", "d2"),
        ("channels.setPurpose", "purpose", "d2"),
    ):
        r = await post(client, alice, endpoint, roomId=rid, **{field: value})
        assert_error(r, 400, "error-room-setting-unchanged")
    assert_error(await post(client, alice, "channels.setTopic", roomId=rid), 400)
    assert_error(await post(client, bob, "channels.setTopic", roomId=rid, topic="x"), 403)
    kinds = await history_types(client, alice, "channels", rid)
    for expected in (
        ("room_changed_topic", "t1"),
        ("room_changed_description", "d1"),
        ("room_changed_description", "d2"),
        ("room_changed_announcement", "a1"),
    ):
        assert expected in kinds
    info = (await ok_get(client, bob, "channels.info", roomId=rid))["channel"]
    assert (info["topic"], info["description"], info["announcement"]) == ("t1", "d2", "a1")


async def test_read_only_blocks_posting_and_needs_set_readonly(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "quiet", "bob")
    rid = room["_id"]
    assert_error(await post(client, bob, "channels.setReadOnly", roomId=rid, readOnly=True), 403)
    found = await ok_post(client, alice, "channels.setReadOnly", roomId=rid, readOnly=True)
    assert found["channel"]["ro"] is True
    r = await post(client, alice, "channels.setReadOnly", roomId=rid, readOnly=True)
    assert_error(r, 400, "error-room-setting-unchanged")
    r = await post(client, bob, "chat.postMessage", roomId=rid, text="hi")
    assert_error(r, 400, "error-action-not-allowed")
    await ok_post(client, alice, "channels.setReadOnly", roomId=rid, readOnly=False)
    kinds = [t for t, _ in await history_types(client, alice, "channels", rid)]
    assert "room-set-read-only" in kinds and "room-removed-read-only" in kinds


async def test_set_type_turns_a_channel_private(
    client: httpx.AsyncClient, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "turning", "bob")
    rid = room["_id"]
    assert_error(await post(client, alice, "channels.setType", roomId=rid, type="x"), 400)
    r = await post(client, alice, "channels.setType", roomId=rid, type="c")
    assert_error(r, 400, "error-room-setting-unchanged")
    found = await ok_post(client, alice, "channels.setType", roomId=rid, type="p")
    assert found["channel"]["t"] == "p"
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["t"] == "p"
    assert_error(await get(client, alice, "channels.info", roomId=rid), 400)
    group = (await ok_get(client, bob, "groups.info", roomId=rid))["group"]
    assert group["t"] == "p"
    assert ("room_changed_privacy", "private") in await history_types(client, bob, "groups", rid)


async def test_set_default_is_for_room_administrators(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    room = await create(client, alice, "channels", "welcome")
    rid = room["_id"]
    r = await post(client, alice, "channels.setDefault", roomId=rid, default=True)
    assert_error(r, 403, "error-action-not-allowed")
    found = await ok_post(client, admin, "channels.setDefault", roomId=rid, default=True)
    assert found["channel"]["default"] is True
    newcomer = await sign_up(client, "newcomer")
    assert (await ok_get(client, newcomer, "subscriptions.getOne", roomId=rid))["subscription"]
    r = await post(client, admin, "channels.setDefault", roomId=rid, default=True)
    assert_error(r, 400, "error-room-setting-unchanged")


async def test_archive_freezes_the_channel_and_unarchive_is_for_admins(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "attic", "bob")
    rid = room["_id"]
    assert_error(await post(client, bob, "channels.archive", roomId=rid), 403)
    await ok_post(client, alice, "channels.archive", roomId=rid)
    info = (await ok_get(client, bob, "channels.info", roomId=rid))["channel"]
    assert info["archived"] is True
    sub = (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"]
    assert sub["archived"] is True and sub["open"] is False
    for endpoint, body in (
        ("channels.setTopic", {"topic": "x"}),
        ("channels.archive", {}),
        ("channels.invite", {"userId": admin.id}),
        ("channels.leave", {}),
        ("chat.postMessage", {"text": "hello"}),
    ):
        r = await post(client, alice, endpoint, roomId=rid, **body)
        assert_error(r, 400, "error-room-archived")
    assert_error(await post(client, alice, "channels.unarchive", roomId=rid), 403)
    await ok_post(client, admin, "channels.unarchive", roomId=rid)
    r = await post(client, admin, "channels.unarchive", roomId=rid)
    assert_error(r, 400, "error-room-not-archived")
    kinds = [t for t, _ in await history_types(client, alice, "channels", rid)]
    assert "room-archived" in kinds and "room-unarchived" in kinds


async def test_delete_removes_room_members_and_messages(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, bob: Persona
) -> None:
    room = await create(client, alice, "channels", "doomed", "bob")
    rid = room["_id"]
    await say(client, bob, rid, "bye")
    assert_error(await post(client, bob, "channels.delete", roomId=rid), 403, "error-not-allowed")
    with deps.bus.capture() as published:
        await ok_post(client, alice, "channels.delete", roomName="doomed")
    assert len(published) == 1 and isinstance(published[0], RoomDeleted)
    assert published[0].room_id == rid and set(published[0].user_ids) == {alice.id, bob.id}
    assert_error(await get(client, alice, "channels.info", roomId=rid), 400)
    assert (await ok_get(client, bob, "subscriptions.getOne", roomId=rid))["subscription"] is None
    async with deps.reader() as uow:
        left = sa.select(sa.func.count()).select_from(messages).where(messages.c.room_id == rid)
        assert (await uow.conn.execute(left)).scalar_one() == 0
        assert await uow.rooms.find_room(rid) is None


async def test_custom_fields_replace(client: httpx.AsyncClient, alice: Persona) -> None:
    room = await create(client, alice, "channels", "custom")
    found = await ok_post(
        client, alice, "channels.setCustomFields", roomId=room["_id"], customFields={"a": 1}
    )
    assert found["channel"]["customFields"] == {"a": 1}


async def test_unauthenticated_calls_are_refused(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/channels.list"), 401)
    assert_error(await client.post("/api/v1/channels.leave", json={"roomId": "GENERAL"}), 401)
