"""Channels, private groups, DMs, rooms and subscriptions driven by the rocketchat-API client
against a live server: a small team's day as their bots and scripts would live it."""

import pytest
from rocketchat_API.rocketchat import RocketChat

from tests.clients.rc import make_user, refused, sign_in, sign_in_admin

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def team(server_url: str) -> dict[str, RocketChat]:
    admin = sign_in_admin(server_url)
    people = {"admin": admin}
    for name in ("ann", "ben", "cat"):
        make_user(admin, name)
        people[name] = sign_in(server_url, name)
    return people


def _id(client: RocketChat) -> str:
    uid: str = client.me()["_id"]
    return uid


def test_channel_life_cycle(team: dict[str, RocketChat]) -> None:
    ann, ben, cat = team["ann"], team["ben"], team["cat"]
    channel = ann.channels_create("release", members=["ben"])["channel"]
    rid = channel["_id"]
    assert channel["t"] == "c" and channel["name"] == "release"
    assert {m["username"] for m in list(ann.channels_members(room_id=rid))} == {"ann", "ben"}
    cat.channels_join(rid, None)
    assert "release" in {c["name"] for c in list(cat.channels_list_joined())}
    ann.channels_set_topic(rid, "ship it")
    assert ann.channels_info(room_id=rid)["channel"]["topic"] == "ship it"
    ann.channels_rename(rid, "release-1")
    assert ben.channels_info(channel="release-1")["channel"]["_id"] == rid
    ann.channels_add_moderator(rid, _id(ben))
    roles = {r["u"]["username"]: r["roles"] for r in ann.channels_roles(room_id=rid)["roles"]}
    assert "owner" in roles["ann"] and "moderator" in roles["ben"]
    ben.channels_kick(rid, _id(cat))
    with refused(400):
        cat.channels_leave(rid)
    kinds = [m.get("t") for m in list(ann.channels_history(rid))]
    for system_type in ("uj", "ru", "r", "room_changed_topic"):
        assert system_type in kinds
    ann.channels_archive(rid)
    with refused(400, "error-room-archived"):
        ben.channels_set_topic(rid, "nope")
    team["admin"].channels_unarchive(rid)
    ann.channels_delete(room_id=rid)
    with refused(400, "error-room-not-found"):
        ann.channels_info(room_id=rid)


def test_private_group_stays_private(team: dict[str, RocketChat]) -> None:
    ann, ben, cat = team["ann"], team["ben"], team["cat"]
    group = ann.groups_create("board", members=["ben"])["group"]
    gid = group["_id"]
    ann.chat_post_message("numbers for Q3", room_id=gid)
    assert next(iter(ben.groups_history(gid)))["msg"] == "numbers for Q3"
    for call in (
        lambda: cat.groups_info(room_id=gid),
        lambda: cat.groups_history(gid),
        lambda: cat.groups_members(room_id=gid),
        lambda: cat.chat_post_message("let me in", room_id=gid),
        lambda: cat.chat_search(gid, "numbers"),
        lambda: cat.rooms_info(room_id=gid),
    ):
        with refused(400):
            call()
    assert "board" not in {g["name"] for g in list(cat.groups_list())}
    ann.groups_invite(gid, _id(cat))
    assert list(cat.groups_history(gid))


def test_direct_messages_and_unread_counts(team: dict[str, RocketChat]) -> None:
    ann, ben = team["ann"], team["ben"]
    room = ann.dm_create("ben")["room"]
    rid = room["rid"] if "rid" in room else room["_id"]
    for text in ("one", "two", "@ben three"):
        ann.chat_post_message(text, room_id=rid)
    sub = ben.subscriptions_get_one(rid)["subscription"]
    assert sub["unread"] == 3 and sub["alert"] is True and sub["userMentions"] == 1
    assert sub["name"] == "ann"
    ben.subscriptions_read(rid)
    after = ben.subscriptions_get_one(rid)["subscription"]
    assert after["unread"] == 0 and after["userMentions"] == 0
    assert [m["msg"] for m in list(ben.dm_history(rid))][:3] == ["@ben three", "two", "one"]
    assert rid in {im["_id"] for im in list(ben.dm_list())}
    updated = {s["rid"] for s in ben.subscriptions_get()["update"]}
    assert rid in updated


def test_rooms_info_favourite_and_discussion(team: dict[str, RocketChat]) -> None:
    ann, ben = team["ann"], team["ben"]
    rid = ann.channels_create("design", members=["ben"])["channel"]["_id"]
    assert ann.rooms_info(room_id=rid)["room"]["name"] == "design"
    ben.rooms_favorite(room_id=rid, favorite=True)
    assert ben.subscriptions_get_one(rid)["subscription"]["f"] is True
    made = ann.rooms_create_discussion(rid, "logo ideas", users=["ben"])
    discussion = made["discussion"]
    assert discussion["prid"] == rid and discussion["fname"] == "logo ideas"
    ben.rooms_leave(rid)
    assert ben.subscriptions_get_one(rid).get("subscription") is None
