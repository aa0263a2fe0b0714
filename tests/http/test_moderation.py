"""The moderation console (moderation.*), takedowns, shadow restriction, invite trees,
evidence bundles and the audit trail, through the ASGI app."""

import io
import json
import zipfile
from typing import Any

import httpx
import sqlalchemy as sa

from chinwag.actions.audit import Verification, verify_audit_chain
from chinwag.actions.deps import Deps
from chinwag.actions.login_history import prune_login_history
from chinwag.domain.evidence import sha256
from chinwag.domain.models import RoomType
from chinwag.storage.tables import audit_log, login_events
from tests.conftest import PASSWORD, Persona, assert_error, sign_up
from tests.conftest_helpers import make_room, set_permission, set_setting
from tests.http.chat_support import post

API = "/api/v1"


async def get(client: httpx.AsyncClient, who: Persona, endpoint: str, **params: Any) -> Any:
    r = await client.get(f"{API}/{endpoint}", params=params, headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def send(client: httpx.AsyncClient, who: Persona, endpoint: str, **body: Any) -> Any:
    r = await client.post(f"{API}/{endpoint}", json=body, headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def history(client: httpx.AsyncClient, who: Persona, room_id: str) -> list[dict[str, Any]]:
    r = await client.get(f"{API}/channels.history", params={"roomId": room_id}, headers=who.headers)
    assert r.status_code == 200, r.text
    messages: list[dict[str, Any]] = r.json()["messages"]
    return messages


async def channel(client: httpx.AsyncClient, who: Persona, name: str, *members: str) -> str:
    body = await send(client, who, "channels.create", name=name, members=list(members))
    room_id: str = body["channel"]["_id"]
    return room_id


def unzip(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return {name: z.read(name) for name in z.namelist()}


async def test_reports_reach_the_console_in_rocketchat_shapes_and_keep_their_copy(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    message = await post(client, alice, "GENERAL", "buy cheap pills")
    await send(client, bob, "chat.reportMessage", messageId=message["_id"], description="spam")
    await send(client, bob, "moderation.reportUser", userId=alice.id, description="spammer")
    await send(client, alice, "chat.update", roomId="GENERAL", msgId=message["_id"], text="hi")

    grouped = await get(client, admin, "moderation.reportsByUsers")
    assert grouped["total"] == grouped["count"] == 1 and grouped["offset"] == 0
    entry = grouped["reports"][0]
    assert entry["userId"] == alice.id and entry["username"] == "alice"
    assert entry["count"] == 1 and entry["roomIds"] == ["GENERAL"]
    assert entry["msgId"] == message["_id"] and entry["message"] == "buy cheap pills"
    assert entry["isUserDeleted"] is False

    people = await get(client, admin, "moderation.userReports")
    assert people["total"] == 1
    assert people["reports"][0]["reportedUser"]["_id"] == alice.id
    assert people["reports"][0]["count"] == 1

    reported = await get(client, admin, "moderation.user.reportedMessages", userId=alice.id)
    assert reported["user"]["_id"] == alice.id and reported["total"] == 1
    copy = reported["messages"][0]
    assert copy["message"]["msg"] == "buy cheap pills"  # the edit did not change the copy
    assert copy["room"]["_id"] == "GENERAL"

    about = await get(client, admin, "moderation.user.reportsByUserId", userId=alice.id)
    assert about["reports"][0]["description"] == "spammer"
    assert about["reports"][0]["reportedBy"]["username"] == "bob"

    of_message = await get(client, admin, "moderation.reports", msgId=message["_id"])
    assert of_message["total"] == 1
    assert of_message["reports"][0]["description"] == "spam"
    assert of_message["reports"][0]["reportedBy"]["_id"] == bob.id
    info = await get(client, admin, "moderation.reportInfo", reportId=copy["_id"])
    assert info["report"]["message"]["_id"] == message["_id"]
    assert info["report"]["reportedBy"]["_id"] == bob.id

    await send(client, admin, "moderation.dismissReports", msgId=message["_id"], reason="ok")
    assert (await get(client, admin, "moderation.reportsByUsers"))["total"] == 0
    info = await get(client, admin, "moderation.reportInfo", reportId=copy["_id"])
    assert info["report"]["_hidden"] is True
    assert info["report"]["moderationInfo"]["reason"] == "ok"
    r = await client.post(
        f"{API}/moderation.dismissReports", json={"msgId": message["_id"]}, headers=admin.headers
    )
    assert_error(r, 400, "no-reports-found")

    await send(client, admin, "moderation.dismissUserReports", userId=alice.id)
    assert (await get(client, admin, "moderation.userReports"))["total"] == 0


async def test_deleting_reported_messages_removes_them_and_settles_the_reports(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    bad = await post(client, alice, "GENERAL", "bad")
    fine = await post(client, alice, "GENERAL", "fine")
    await send(client, bob, "chat.reportMessage", messageId=bad["_id"], description="rude")
    await send(client, admin, "moderation.user.deleteReportedMessages", userId=alice.id)
    ids = [m["_id"] for m in await history(client, bob, "GENERAL")]
    assert bad["_id"] not in ids and fine["_id"] in ids
    assert (await get(client, admin, "moderation.reportsByUsers"))["total"] == 0
    r = await client.post(
        f"{API}/moderation.user.deleteReportedMessages",
        json={"userId": alice.id},
        headers=admin.headers,
    )
    assert_error(r, 400, "error-no-reported-messages")


async def test_people_without_the_permissions_are_refused(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room = await make_room(deps, "lounge", alice, RoomType.CHANNEL)
    reads = [
        ("moderation.reportsByUsers", {}),
        ("moderation.userReports", {}),
        ("moderation.user.reportedMessages", {"userId": alice.id}),
        ("moderation.user.reportsByUserId", {"userId": alice.id}),
        ("moderation.reportInfo", {"reportId": "x"}),
        ("moderation.reports", {"msgId": "x"}),
        ("audit.list", {}),
        ("evidence.list", {}),
        ("evidence.info", {"bundleId": "x"}),
        ("evidence.export", {"bundleId": "x"}),
        ("invites.tree", {}),
    ]
    for endpoint, params in reads:
        r = await client.get(f"{API}/{endpoint}", params=params, headers=bob.headers)
        assert_error(r, 403)
    writes = [
        ("moderation.dismissReports", {"userId": alice.id}),
        ("moderation.dismissUserReports", {"userId": alice.id}),
        ("moderation.user.deleteReportedMessages", {"userId": alice.id}),
        ("moderation.takedownRoom", {"roomId": room.id, "action": "delete", "reason": "x"}),
        ("moderation.takedownUser", {"userId": alice.id, "reason": "x"}),
        ("moderation.restrictUser", {"userId": alice.id, "restricted": True}),
        ("invites.revokeTree", {"userId": alice.id, "reason": "x"}),
    ]
    for endpoint, body in writes:
        assert_error(await client.post(f"{API}/{endpoint}", json=body, headers=bob.headers), 403)
    # A moderator of the console who may view but not act.
    await send(
        client,
        admin,
        "permissions.update",
        permissions=[
            {"_id": "view-moderation-console", "roles": ["admin", "user"]},
        ],
    )
    assert (await get(client, bob, "moderation.reportsByUsers"))["total"] == 0
    r = await client.post(
        f"{API}/moderation.takedownRoom",
        json={"roomId": room.id, "action": "delete", "reason": "x"},
        headers=bob.headers,
    )
    assert_error(r, 403)
    assert (await get(client, admin, "channels.info", roomId=room.id))["channel"]["_id"]


async def test_blocking_a_room_keeps_the_evidence_reserves_the_name_and_tells_members(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    room_id = await channel(client, alice, "warez", "bob")
    first = await post(client, alice, room_id, "free movies at http://example.com/x")
    await post(client, bob, room_id, "nice")
    await send(client, alice, "chat.update", roomId=room_id, msgId=first["_id"], text="edited")
    seen = await history(client, bob, room_id)

    done = await send(
        client,
        admin,
        "moderation.takedownRoom",
        roomId=room_id,
        action="block",
        reason="piracy",
        notice="The room warez was closed for breaking the rules.",
    )
    r = await client.get(f"{API}/channels.history", params={"roomId": room_id}, headers=bob.headers)
    assert r.status_code in (400, 404)
    r = await client.post(f"{API}/channels.create", json={"name": "warez"}, headers=alice.headers)
    assert_error(r, 400, "error-room-name-reserved")

    export = await client.get(
        f"{API}/evidence.export", params={"bundleId": done["bundleId"]}, headers=admin.headers
    )
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    files = unzip(export.content)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["algorithm"] == "sha256"
    assert manifest["files"] == {name: sha256(content) for name, content in files.items()}
    kept = json.loads(files["messages.json"])
    assert {m["id"]: m["msg"] for m in kept} == {m["_id"]: m["msg"] for m in seen}
    edits = json.loads(files["edits.json"])
    assert [e["previous"]["msg"] for e in edits] == ["free movies at http://example.com/x"]
    members = {m["user_id"] for m in json.loads(files["memberships.json"])}
    assert {alice.id, bob.id} <= members
    logins = json.loads(files["logins.json"])
    assert {row["user_id"] for row in logins} >= {alice.id, bob.id}

    info = await get(client, admin, "evidence.info", bundleId=done["bundleId"])
    assert info["bundle"]["legalHold"] is True and info["bundle"]["kind"] == "room"
    listed = await get(client, admin, "evidence.list")
    assert [b["_id"] for b in listed["bundles"]] == [done["bundleId"]]

    dms = await get(client, bob, "im.list")
    notice_rooms = [d for d in dms["ims"] if "rocket.cat" in d.get("usernames", [])]
    assert notice_rooms, dms
    notes = await get(client, bob, "im.history", roomId=notice_rooms[0]["_id"])
    assert notes["messages"][0]["msg"].startswith("The room warez was closed")

    audit = await get(client, admin, "audit.list", action="moderation.takedownRoom")
    assert audit["total"] == 1
    entry = audit["entries"][0]
    assert entry["actor"]["_id"] == admin.id and entry["target"]["_id"] == room_id
    assert entry["after"]["evidence"] == done["bundleId"]
    accesses = await get(client, admin, "audit.list", target=done["bundleId"])
    assert {e["action"] for e in accesses["entries"]} == {"evidence.export", "evidence.info"}


async def test_archiving_and_deleting_rooms(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    archived = await channel(client, alice, "old-news")
    await send(
        client, admin, "moderation.takedownRoom", roomId=archived, action="archive", reason="stale"
    )
    info = await get(client, admin, "channels.info", roomId=archived)
    assert info["channel"]["archived"] is True
    deleted = await channel(client, alice, "scam")
    await post(client, alice, deleted, "send coins")
    made = await send(client, alice, "rooms.createDiscussion", prid=deleted, t_name="more scam")
    await post(client, alice, made["discussion"]["_id"], "inside the discussion")
    done = await send(
        client, admin, "moderation.takedownRoom", roomId=deleted, action="delete", reason="scam"
    )
    export = await client.get(
        f"{API}/evidence.export", params={"bundleId": done["bundleId"]}, headers=admin.headers
    )
    kept = {m["msg"] for m in json.loads(unzip(export.content)["messages.json"])}
    assert {"send coins", "inside the discussion"} <= kept
    r = await client.get(f"{API}/channels.info", params={"roomId": deleted}, headers=admin.headers)
    assert r.status_code == 400
    await channel(client, alice, "scam")  # a deleted room's name is free again
    r = await client.post(
        f"{API}/moderation.takedownRoom",
        json={"roomId": "nope", "action": "delete", "reason": "x"},
        headers=admin.headers,
    )
    assert_error(r, 400)
    r = await client.post(
        f"{API}/moderation.takedownRoom",
        json={"roomId": archived, "action": "melt", "reason": "x"},
        headers=admin.headers,
    )
    assert_error(r, 400, "invalid-params")
    r = await client.post(
        f"{API}/moderation.takedownRoom",
        json={"roomId": archived, "action": "delete", "reason": "  "},
        headers=admin.headers,
    )
    assert_error(r, 400, "error-invalid-reason")
    assert (await get(client, admin, "channels.info", roomId=archived))["channel"]


async def test_taking_down_a_user_purges_their_messages_and_keeps_them_in_evidence(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    spam = await post(client, alice, "GENERAL", "spam one")
    keep = await post(client, bob, "GENERAL", "hello")
    done = await send(
        client, admin, "moderation.takedownUser", userId=alice.id, reason="spam", purge="all"
    )
    ids = [m["_id"] for m in await history(client, bob, "GENERAL")]
    assert spam["_id"] not in ids and keep["_id"] in ids
    info = await get(client, admin, "users.info", userId=alice.id)
    assert info["user"]["active"] is False
    r = await client.get(f"{API}/me", headers=alice.headers)
    assert r.status_code == 401  # every session ended
    files = unzip(
        (
            await client.get(
                f"{API}/evidence.export",
                params={"bundleId": done["bundleId"]},
                headers=admin.headers,
            )
        ).content
    )
    assert [m["msg"] for m in json.loads(files["messages.json"])] == ["spam one"]
    r = await client.post(
        f"{API}/moderation.takedownUser",
        json={"userId": bob.id, "reason": "x", "purge": "window"},
        headers=admin.headers,
    )
    assert_error(r, 400, "error-invalid-window")
    r = await client.post(
        f"{API}/moderation.takedownUser",
        json={"userId": admin.id, "reason": "x"},
        headers=admin.headers,
    )
    assert_error(r, 400, "error-action-not-allowed")


async def test_a_shadow_restricted_user_sees_their_posts_and_nobody_else_does(
    client: httpx.AsyncClient, admin: Persona, alice: Persona, bob: Persona
) -> None:
    before = await post(client, alice, "GENERAL", "earlier")
    await send(client, admin, "moderation.restrictUser", userId=alice.id, restricted=True)
    hidden = await post(client, alice, "GENERAL", "you cannot see me")
    bob_sees = [m["_id"] for m in await history(client, bob, "GENERAL")]
    alice_sees = [m["_id"] for m in await history(client, alice, "GENERAL")]
    assert hidden["_id"] not in bob_sees and before["_id"] not in bob_sees
    assert {hidden["_id"], before["_id"]} <= set(alice_sees)
    r = await client.get(
        f"{API}/chat.getMessage", params={"msgId": hidden["_id"]}, headers=bob.headers
    )
    assert r.status_code == 400
    info = await get(client, bob, "channels.info", roomId="GENERAL")
    assert info["channel"].get("lastMessage", {}).get("_id") != hidden["_id"]
    assert (await get(client, admin, "users.info", userId=alice.id))["user"]["restricted"] is True
    own = await get(client, alice, "users.info", userId=alice.id)
    assert "restricted" not in own["user"]  # the restriction stays invisible to its subject
    assert "restricted" not in (await get(client, alice, "me"))
    await send(client, admin, "moderation.restrictUser", userId=alice.id, restricted=False)
    assert hidden["_id"] in [m["_id"] for m in await history(client, bob, "GENERAL")]


async def test_invite_tree_and_revoking_everything_below_an_inviter(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    room = await make_room(deps, "club", alice, RoomType.CHANNEL)
    await set_permission(deps, "create-invite-links", ("admin", "user"))

    async def invite(who: Persona) -> str:
        body = await send(client, who, "findOrCreateInvite", rid=room.id, days=7, maxUses=0)
        return str(body["_id"])

    carol = await sign_up(client, "carol", secretURL=await invite(alice))
    await sign_up(client, "dave", secretURL=await invite(carol))
    tree = await get(client, admin, "invites.tree", userId=alice.id)
    root = tree["tree"][0]
    assert root["_id"] == alice.id
    assert [c["username"] for c in root["children"]] == ["carol"]
    assert [c["username"] for c in root["children"][0]["children"]] == ["dave"]
    everyone = await get(client, admin, "invites.tree")
    assert alice.id in [r["_id"] for r in everyone["tree"]]

    done = await send(client, admin, "invites.revokeTree", userId=alice.id, reason="ring")
    assert done["deactivated"] == 2 and done["revokedLinks"] == 2
    for name in ("carol", "dave"):
        info = await get(client, admin, "users.info", username=name)
        assert info["user"]["active"] is False
    assert (await get(client, admin, "users.info", userId=alice.id))["user"]["active"] is True
    listed = (await client.get(f"{API}/listInvites", headers=alice.headers)).json()
    assert listed == []
    bundle = await get(client, admin, "evidence.info", bundleId=done["bundleId"])
    assert bundle["bundle"]["kind"] == "invite-tree"


async def test_settings_changes_are_audited_with_secrets_masked_and_the_chain_verifies(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    await send(client, admin, "settings/Site_Name", value="Renamed")
    await send(client, admin, "settings/SMTP_Password", value="hunter2")
    entries = (await get(client, admin, "audit.list", action="settings.update"))["entries"]
    by_target = {e["target"]["_id"]: e for e in entries}
    assert by_target["Site_Name"]["before"] == {"value": "Chinwag"}
    assert by_target["Site_Name"]["after"] == {"value": "Renamed"}
    assert by_target["SMTP_Password"]["after"] == {"value": "********"}
    assert "hunter2" not in json.dumps(entries)
    assert by_target["Site_Name"]["ip"]
    assert (await get(client, admin, "audit.list", actor="boss"))["total"] == 2
    assert (await get(client, admin, "audit.list", actor="nobody"))["total"] == 0

    assert (await verify(deps)).broken is None
    async with deps.db.begin() as conn:
        await conn.execute(
            audit_log.update()
            .where(audit_log.c.target_id == "Site_Name")
            .values(after={"value": "Innocent"})
        )
    broken = (await verify(deps)).broken
    assert broken is not None and broken.id == by_target["Site_Name"]["_id"]


async def verify(deps: Deps) -> Verification:
    async for step in verify_audit_chain(deps):
        if isinstance(step, Verification):
            return step
    raise AssertionError("no result")


async def test_logins_are_kept_with_address_and_agent_then_pruned(
    client: httpx.AsyncClient, deps: Deps, admin: Persona
) -> None:
    r = await client.post(
        f"{API}/login",
        json={"user": "boss", "password": PASSWORD},
        headers={"User-Agent": "probe/1.0"},
    )
    assert r.status_code == 200, r.text
    async with deps.reader() as uow:
        rows = await uow.moderation.logins_of([admin.id], None, None)
    assert any(row["user_agent"] == "probe/1.0" and row["ip"] for row in rows)
    assert rows and all(row["method"].startswith("rest:") for row in rows)
    await set_setting(deps, "Chinwag_Login_History_Days", 0)
    assert await prune_login_history(deps) == len(rows)
    async with deps.reader() as uow:
        count = (
            await uow.conn.execute(sa.select(sa.func.count()).select_from(login_events))
        ).scalar()
    assert count == 0


async def test_admin_actions_on_accounts_and_permissions_are_audited(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    await send(client, admin, "users.setActiveStatus", userId=alice.id, activeStatus=False)
    await send(client, admin, "users.update", userId=alice.id, data={"password": "n3w-Pass-w0rd!x"})
    await send(
        client,
        admin,
        "permissions.update",
        permissions=[{"_id": "view-moderation-console", "roles": ["admin", "moderator"]}],
    )
    entries = (await get(client, admin, "audit.list", target=alice.id))["entries"]
    actions = [e["action"] for e in entries]
    assert actions == ["users.update", "users.setActiveStatus"]
    assert entries[1]["before"] == {"active": True} and entries[1]["after"] == {"active": False}
    assert entries[0]["after"] == {"password": "********"}
    zed = {"username": "zed", "email": "zed@example.com", "password": "Zed-pass-w0rd!", "name": "Z"}
    made = await send(client, admin, "users.create", **zed)
    created = (await get(client, admin, "audit.list", action="users.create"))["entries"]
    assert created[0]["target"]["_id"] == made["user"]["_id"]
    assert "Zed-pass" not in json.dumps(created)
    permission = (await get(client, admin, "audit.list", action="permissions.update"))["entries"]
    assert permission[0]["before"] == {"roles": ["admin"]}
    assert permission[0]["after"] == {"roles": ["admin", "moderator"]}


async def test_realtime_logins_are_kept_too(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    message = {
        "msg": "method",
        "id": "1",
        "method": "login",
        "params": [
            {
                "user": {"username": "alice"},
                "password": {"digest": sha256(PASSWORD.encode()), "algorithm": "sha-256"},
            }
        ],
    }
    r = await client.post(
        f"{API}/method.callAnon/login",
        json={"message": json.dumps(message)},
        headers={"User-Agent": "ddp-probe/2"},
    )
    assert r.status_code == 200 and "error" not in json.loads(r.json()["message"]), r.text
    async with deps.reader() as uow:
        rows = await uow.moderation.logins_of([alice.id], None, None)
    assert [r["method"] for r in rows if r["user_agent"] == "ddp-probe/2"] == ["ddp:password"]


async def test_bad_input_gets_the_error_envelope(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    for endpoint, params in (
        ("audit.list", {"since": "yesterday"}),
        ("moderation.reportsByUsers", {"latest": "soon"}),
        ("moderation.user.reportedMessages", {}),
        ("evidence.export", {}),
    ):
        r = await client.get(f"{API}/{endpoint}", params=params, headers=admin.headers)
        assert_error(r, 400)
    r = await client.get(f"{API}/evidence.info", params={"bundleId": "nope"}, headers=admin.headers)
    assert_error(r, 404, "error-bundle-not-found")
    r = await client.get(
        f"{API}/moderation.reportInfo", params={"reportId": "nope"}, headers=admin.headers
    )
    assert_error(r, 400, "error-report-not-found")
    for endpoint, body in (
        ("moderation.takedownUser", {"userId": alice.id, "reason": "x", "purge": "some"}),
        (
            "moderation.takedownUser",
            {
                "userId": alice.id,
                "reason": "x",
                "purge": "window",
                "since": "2026-02-01T00:00:00Z",
                "until": "2026-01-01T00:00:00Z",
            },
        ),
        ("moderation.takedownUser", {"userId": "nobody", "reason": "x"}),
        ("moderation.restrictUser", {"userId": alice.id}),
        ("moderation.dismissReports", {"userId": alice.id, "msgId": "m"}),
        ("moderation.dismissUserReports", {}),
        ("moderation.reportUser", {"userId": "nobody", "description": "x"}),
        ("moderation.reportUser", {"userId": alice.id, "description": "  "}),
        ("invites.revokeTree", {"userId": "nobody", "reason": "x"}),
    ):
        r = await client.post(f"{API}/{endpoint}", json=body, headers=admin.headers)
        assert_error(r, 400)
    assert (await get(client, admin, "users.info", userId=alice.id))["user"]["active"] is True
    assert (await get(client, admin, "evidence.list"))["total"] == 0
