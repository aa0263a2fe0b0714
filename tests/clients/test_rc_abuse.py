"""Abuse detection as the PyPI `rocketchat-API` client meets it, against a live server:
a flood through one invite link, a burst of sign-ups through many, young accounts."""

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rocketchat_API.APIExceptions.RocketExceptions import (
    RocketApiException,
    RocketAuthenticationException,
)
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import live_server, run_sql, store_env
from tests.clients.rc import (
    anonymous,
    changed_setting,
    refused,
    register,
    sign_in,
    sign_in_admin,
)

pytestmark = pytest.mark.e2e

GENERAL = "GENERAL"
ALERTS_ROOM = "moderation-alerts"


@dataclass(frozen=True)
class Live:
    url: str
    database_url: str | None  # PostgreSQL; None: SQLite in the data directory
    data_dir: Path

    def execute(self, statement: str, *args: Any) -> None:
        """Change the server's database behind its back (what only time would do)."""
        run_sql(self.data_dir, self.database_url, statement, *args)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data: Path = tmp_path_factory.mktemp("live")
    env = store_env()
    with live_server(data, env) as url:
        yield Live(url, env.get("CHINWAG_DATABASE_URL"), data)


@pytest.fixture(scope="module")
def admin_rc(live: Live) -> RocketChat:
    return sign_in_admin(live.url)


def alerts(admin: RocketChat) -> list[str]:
    """What rocket.cat has said to the admins, oldest first."""
    info = admin.groups_info(room_name=ALERTS_ROOM)
    history = admin.call_api_get("groups.history", roomId=info["group"]["_id"], count=100)
    return [m["msg"] for m in reversed(history["messages"]) if m["u"]["username"] == "rocket.cat"]


def signup_status(admin: RocketChat) -> dict[str, Any]:
    status: dict[str, Any] = admin.call_api_get("moderation.signupStatus")
    return status


def test_a_flood_through_one_invite_link_pauses_it_and_alerts_admins(
    live: Live, admin_rc: RocketChat
) -> None:
    visitor = anonymous(live.url)
    with (
        changed_setting(admin_rc, "Invites_Pause_After_Joins", 50),
        changed_setting(admin_rc, "Invites_Pause_Window_Minutes", 10),
    ):
        token = admin_rc.find_or_create_invite(rid=GENERAL, days=1, max_uses=0)["_id"]
        joined, paused = 0, 0
        for n in range(200):
            try:
                register(visitor, f"flood{n}", secretURL=token)
                joined += 1
            except RocketApiException as refusal:
                assert refusal.error_type == "error-invite-paused", refusal.response
                paused += 1
        assert (joined, paused) == (50, 150)

        [listed] = [i for i in admin_rc.list_invites() if i["_id"] == token]
        assert listed["paused"] is True and listed["uses"] == 50
        assert visitor.validate_invite_token(token)["valid"] is False
        assert any(token in text and "paused" in text for text in alerts(admin_rc))

        stats = admin_rc.call_api_get("invites.stats", inviteId=token)
        assert len(stats["accounts"]) == 50 and sum(j["count"] for j in stats["joins"]) == 50
        assert stats["networks"] == [{"network": "127.0.0.0/24", "count": 50}]
        assert stats["domains"] == [{"domain": "example.com", "count": 50}]

        resumed = admin_rc.call_api_post("invites.resume", inviteId=token)
        assert resumed["invite"]["paused"] is False
        assert register(visitor, "after-resume", secretURL=token)["active"] is True


def test_a_burst_of_signups_through_many_links_switches_to_approval_and_back(
    live: Live, admin_rc: RocketChat
) -> None:
    visitor = anonymous(live.url)
    with changed_setting(admin_rc, "Accounts_Signup_Burst_Per_Minute", 20):
        links = [
            admin_rc.find_or_create_invite(rid=GENERAL, days=days, max_uses=0)["_id"]
            for days in (1, 7, 15, 30, 0)
        ]
        active = [
            register(visitor, f"wave{n}-{i}", secretURL=link)["active"]
            for i, link in enumerate(links)
            for n in range(5)
        ]
        assert active == [True] * 20 + [False] * 5
        status = signup_status(admin_rc)
        assert status["approvalRequired"] is True
        assert "more than 20 sign-ups in a minute" in status["burst"]["reason"]
        assert any("Sign-up burst" in text for text in alerts(admin_rc))
        with pytest.raises(RocketAuthenticationException):  # held for approval: no sign-in yet
            sign_in(live.url, "wave4-4")

        ended = admin_rc.call_api_post("moderation.endSignupBurst")
        assert ended["burst"] is None and ended["approvalRequired"] is False
        assert register(visitor, "after-the-wave")["active"] is True

    with changed_setting(admin_rc, "Accounts_Signup_Burst_Per_Minute", 1):
        register(visitor, "second-wave-0")
        assert register(visitor, "second-wave-1")["active"] is False
    assert signup_status(admin_rc)["approvalRequired"] is True
    # The cool-down runs out (here: made to have run out).
    live.execute(
        "UPDATE signup_bursts SET ends_at = $1 WHERE ended_at IS NULL", int(time.time() * 1000)
    )
    assert signup_status(admin_rc)["burst"] is None
    assert register(visitor, "after-the-cool-down")["active"] is True


def test_a_young_account_waits_before_creating_rooms(live: Live, admin_rc: RocketChat) -> None:
    visitor = anonymous(live.url)
    with changed_setting(admin_rc, "Accounts_Min_Age_To_Create_Rooms_Minutes", 60):
        register(visitor, "youngster")
        youngster = sign_in(live.url, "youngster")
        with refused(403, "error-account-too-new"):
            youngster.channels_create("youngsters-den")
        with refused(403, "error-account-too-new"):
            youngster.groups_create("youngsters-hideout")

        live.execute(
            "UPDATE users SET created_at = created_at - $1 WHERE username = $2",
            61 * 60_000,
            "youngster",
        )
        youngster.logout()
        youngster = sign_in(live.url, "youngster")
        assert youngster.channels_create("youngsters-den")["channel"]["name"] == "youngsters-den"


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("get", "invites.stats", {"inviteId": "x"}),
        ("post", "invites.resume", {"inviteId": "x"}),
        ("get", "moderation.signupStatus", {}),
        ("post", "moderation.endSignupBurst", {}),
    ],
)
def test_the_admin_endpoints_refuse_plain_users(
    live: Live, method: str, path: str, params: dict[str, str]
) -> None:
    visitor = anonymous(live.url)
    with contextlib.suppress(RocketApiException):  # made by an earlier case
        register(visitor, "plain")
    plain = sign_in(live.url, "plain")
    with refused(403):
        if method == "get":
            plain.call_api_get(path, **params)
        else:
            plain.call_api_post(path, **params)
