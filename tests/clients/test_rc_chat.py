"""Messages through the rocketchat-API client against a live server: post, edit, react,
pin, star, thread, search, sync, delete, report."""

from datetime import UTC, datetime, timedelta

import pytest
from rocketchat_API.rocketchat import RocketChat

from tests.clients.rc import make_user, refused, sign_in, sign_in_admin

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pair(server_url: str) -> tuple[RocketChat, RocketChat, str]:
    admin = sign_in_admin(server_url)
    make_user(admin, "dee")
    make_user(admin, "eli")
    dee, eli = sign_in(server_url, "dee"), sign_in(server_url, "eli")
    rid = dee.channels_create("kitchen", members=["eli"])["channel"]["_id"]
    return dee, eli, rid


def test_post_edit_and_delete(pair: tuple[RocketChat, RocketChat, str]) -> None:
    dee, eli, rid = pair
    posted = dee.chat_post_message("hello *team*", channel="#kitchen")
    assert posted["channel"] == "#kitchen" and isinstance(posted["ts"], int)
    message = posted["message"]
    assert message["rid"] == rid and message["u"]["username"] == "dee"
    assert message["md"][0]["type"] == "PARAGRAPH"
    edited = dee.chat_update(rid, message["_id"], "hello *everyone*")["message"]
    assert edited["msg"] == "hello *everyone*" and edited["editedBy"]["username"] == "dee"
    with refused(403):
        eli.chat_update(rid, message["_id"], "hijacked")
    assert eli.chat_get_message(message["_id"])["message"]["msg"] == "hello *everyone*"
    deleted = dee.chat_delete(rid, message["_id"])
    assert deleted["_id"] == message["_id"]
    with refused(400):
        eli.chat_get_message(message["_id"])
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    gone = list(eli.chat_get_deleted_messages(rid, since))
    assert {"_id": message["_id"]} in [{"_id": m["_id"]} for m in gone]


def test_reactions_pins_stars(pair: tuple[RocketChat, RocketChat, str]) -> None:
    dee, eli, rid = pair
    mid = dee.chat_post_message("lunch at noon?", room_id=rid)["message"]["_id"]
    eli.chat_react(mid, "thumbsup")
    dee.chat_react(mid, ":thumbsup:")
    reactions = dee.chat_get_message(mid)["message"]["reactions"]
    assert sorted(reactions[":thumbsup:"]["usernames"]) == ["dee", "eli"]
    eli.chat_react(mid, "thumbsup")  # toggles off
    assert dee.chat_get_message(mid)["message"]["reactions"][":thumbsup:"]["usernames"] == ["dee"]
    dee.chat_pin_message(mid)
    assert mid in [m["_id"] for m in list(eli.chat_get_pinned_messages(rid))]
    eli.chat_star_message(mid)
    assert mid in [m["_id"] for m in list(eli.chat_get_starred_messages(rid))]
    eli.chat_unstar_message(mid)
    assert list(eli.chat_get_starred_messages(rid)) == []


def test_threads_and_mentions(pair: tuple[RocketChat, RocketChat, str]) -> None:
    dee, eli, rid = pair
    root = dee.chat_post_message("release notes draft", room_id=rid)["message"]["_id"]
    eli.chat_post_message("looks good @dee", room_id=rid, tmid=root)
    eli.chat_post_message("one typo", room_id=rid, tmid=root)
    replies = list(dee.chat_get_thread_messages(root))
    assert [m["msg"] for m in replies] == ["looks good @dee", "one typo"]
    assert dee.chat_get_message(root)["message"]["tcount"] == 2
    threads = list(dee.chat_get_threads_list(rid))
    assert root in [t["_id"] for t in threads]
    mentioned = list(dee.chat_get_mentioned_messages(rid))
    assert [m["msg"] for m in mentioned] == ["looks good @dee"]


def test_search_and_sync(pair: tuple[RocketChat, RocketChat, str]) -> None:
    dee, eli, rid = pair
    before = datetime.now(UTC) - timedelta(seconds=1)
    dee.chat_post_message("the quarterly forecast is ready", room_id=rid)
    found = list(eli.chat_search(rid, "forecast"))
    assert [m["msg"] for m in found] == ["the quarterly forecast is ready"]
    assert list(eli.chat_search(rid, "quarter"))  # prefix of the last word
    assert list(eli.chat_search(rid, 'no"such(word')) == []
    synced = eli.chat_sync_messages(rid, before.isoformat())["result"]
    assert "the quarterly forecast is ready" in [m["msg"] for m in synced["updated"]]


def test_report_a_message(pair: tuple[RocketChat, RocketChat, str]) -> None:
    dee, eli, rid = pair
    mid = dee.chat_post_message("buy cheap watches", room_id=rid)["message"]["_id"]
    assert eli.chat_report_message(mid, "spam")["success"] is True
