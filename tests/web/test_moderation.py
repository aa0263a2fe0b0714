"""The admin area's moderation screens against a live server: the reports queue, taking a
user and a room down, the invite tree, evidence exports and the audit log."""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.clients.live import store_env
from tests.web.conftest import STORY_ENV, Server, require_chromium

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
WAIT = 15_000
expect.set_options(timeout=WAIT)


class Rest:
    """One person's REST session."""

    def __init__(self, url: str, user: str) -> None:
        answer = httpx.post(f"{url}/api/v1/login", json={"user": user, "password": PASSWORD})
        answer.raise_for_status()
        data = answer.json()["data"]
        self.id = data["userId"]
        self.client = httpx.Client(
            base_url=f"{url}/api/v1",
            headers={"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]},
        )

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.client.post(path, json=body)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def get(self, path: str, **query: str) -> dict[str, Any]:
        answer = self.client.get(path, params=query)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


def register(url: str, username: str, invite_token: str) -> Rest:
    httpx.post(
        f"{url}/api/v1/users.register",
        json={
            "username": username,
            "name": username.title(),
            "email": f"{username}@example.com",
            "pass": PASSWORD,
            "secretURL": invite_token,
        },
    ).raise_for_status()
    return Rest(url, username)


def invite_token(person: Rest, rid: str) -> str:
    return str(person.post("findOrCreateInvite", {"rid": rid, "days": 7, "maxUses": 0})["_id"])


@dataclass
class World:
    server: Server
    page: Page
    admin: Rest
    carol: Rest
    dave: Rest


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    env = {
        **store_env(),
        **STORY_ENV,
        "ADMIN_USERNAME": "mod",
        "ADMIN_PASS": PASSWORD,
        "ADMIN_EMAIL": "mod@example.com",
        "OVERWRITE_SETTING_Show_Setup_Wizard": "completed",
    }
    live = Server(Path(tmp_path_factory.mktemp("web-moderation")), env)
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def world(server: Server, browser: Browser) -> Iterator[World]:
    """mod invited carol, carol invited dave; carol spams #general and dave reports it."""
    admin = Rest(server.url, "mod")
    carol = register(server.url, "carol", invite_token(admin, "GENERAL"))
    room = carol.post("channels.create", {"name": "carols"})["channel"]
    dave = register(server.url, "dave", invite_token(carol, room["_id"]))
    spam = carol.post("chat.postMessage", {"roomId": "GENERAL", "text": "cheap pills here"})
    dave.post("chat.reportMessage", {"messageId": spam["message"]["_id"], "description": "spam"})
    other = carol.post("chat.postMessage", {"roomId": "GENERAL", "text": "a fair question"})
    dave.post("chat.reportMessage", {"messageId": other["message"]["_id"], "description": "?"})
    dave.post("moderation.reportUser", {"userId": carol.id, "description": "a spammer"})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(server.url + "/login")
    page.get_by_label("Username or email").fill("mod")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(server.url + "/home")
    yield World(server, page, admin, carol, dave)
    context.close()


def test_the_reports_queue_shows_and_clears_reported_messages(world: World) -> None:
    page = world.page
    page.goto(world.server.url + "/admin/reports")
    row = page.locator("tr[data-username='carol']")
    expect(row).to_contain_text("a fair question")  # the latest reported message
    expect(row).to_contain_text("#general")
    row.get_by_role("button", name="Show reported messages of carol").click()
    dialog = page.get_by_role("dialog", name="Reported messages of @carol")
    reported = dialog.get_by_role("table", name="Reported messages")
    expect(reported).to_contain_text("cheap pills")
    reported.get_by_role("button", name="Dismiss the reports of: a fair question").click()
    expect(reported.locator("tbody tr")).to_have_count(1)
    expect(reported).not_to_contain_text("a fair question")
    page.keyboard.press("Escape")
    expect(row).to_contain_text("cheap pills here")
    row.get_by_role("button", name="Delete reported messages of carol").click()
    page.get_by_label("Reason (kept in the audit log)").fill("spam in #general")
    page.get_by_role("button", name="Delete messages").click()
    expect(page.get_by_text("No open message reports.")).to_be_visible()
    history = world.admin.get("channels.history", roomId="GENERAL", count="50")
    assert all(m.get("msg") != "cheap pills here" for m in history["messages"])


def test_a_reported_user_is_taken_down_from_the_queue(world: World) -> None:
    page = world.page
    page.get_by_role("tab", name="Reported users").click()
    row = page.locator("tr[data-username='carol']")
    row.get_by_role("button", name="Show reports about carol").click()
    expect(page.get_by_role("dialog", name="Reports about @carol")).to_contain_text("a spammer")
    page.keyboard.press("Escape")
    world.carol.post("chat.postMessage", {"roomId": "GENERAL", "text": "more of carol's spam"})
    row.get_by_role("button", name="Take down carol").click()
    dialog = page.get_by_role("dialog", name="Take down @carol")
    dialog.get_by_label("Messages").select_option("all")
    dialog.get_by_label("Reason (kept in the audit log)").fill("spam account")
    dialog.get_by_role("button", name="Deactivate and take down").click()
    expect(page.get_by_text("@carol taken down; the evidence is kept")).to_be_visible()
    refused = httpx.post(
        f"{world.server.url}/api/v1/login", json={"user": "carol", "password": PASSWORD}
    )
    assert refused.status_code in (401, 403)
    history = world.admin.get("channels.history", roomId="GENERAL", count="50")
    assert all("spam" not in m.get("msg", "") for m in history["messages"])


def test_a_room_is_blocked_with_a_notice(world: World) -> None:
    page = world.page
    world.admin.post("channels.create", {"name": "bazaar", "members": ["dave"]})
    page.goto(world.server.url + "/admin/rooms")
    page.get_by_role("button", name="Take down bazaar").click()
    dialog = page.get_by_role("dialog", name="Take down bazaar")
    dialog.get_by_label("What to do").select_option("block")
    dialog.get_by_label("Notice to the former members (sent from rocket.cat)").fill(
        "bazaar broke the rules"
    )
    dialog.get_by_label("Reason (kept in the audit log)").fill("a scam market")
    dialog.get_by_role("button", name="Take down").click()
    expect(page.get_by_text("bazaar taken down; the evidence is kept")).to_be_visible()
    expect(page.get_by_role("button", name="Take down bazaar")).to_have_count(0)
    again = world.admin.client.post("channels.create", json={"name": "bazaar"})
    assert again.status_code == 400
    assert again.json()["errorType"] == "error-room-name-reserved"


def test_the_invite_tree_expands_and_revokes_below_a_node(world: World) -> None:
    page = world.page
    page.goto(world.server.url + "/admin/invite-tree")
    tree = page.get_by_role("list", name="Invite tree")
    mod = tree.locator("li[data-username='mod']")
    dave = tree.locator("li[data-username='dave']")
    expect(dave).to_be_hidden()
    mod.locator("summary").first.click()
    carol = mod.locator("li[data-username='carol']")
    expect(carol).to_contain_text("(deactivated)")
    carol.locator("summary").first.click()
    expect(dave).to_be_visible()
    carol.get_by_role("button", name="Revoke below carol").click()
    page.get_by_label("Reason (kept in the audit log)").fill("carol's invitees")
    page.get_by_role("button", name="Revoke and deactivate").click()
    expect(page.get_by_text("1 link revoked, 1 account deactivated")).to_be_visible()
    info = world.admin.get("users.info", userId=world.dave.id)
    assert info["user"]["active"] is False


def test_evidence_bundles_are_listed_and_exported(world: World) -> None:
    page = world.page
    page.goto(world.server.url + "/admin/evidence")
    bundles = page.get_by_role("table", name="Evidence bundles").locator("tbody tr")
    expect(bundles).to_have_count(3)  # carol, bazaar, and carol's invite tree
    with page.expect_download() as waiting:
        bundles.first.get_by_role("button").click()
    path = waiting.value.path()
    with zipfile.ZipFile(io.BytesIO(Path(path).read_bytes())) as archive:
        assert "manifest.json" in archive.namelist()
        assert "bundle.json" in archive.namelist()


def test_the_audit_log_filters_and_pages(world: World) -> None:
    page = world.page
    page.goto(world.server.url + "/admin/audit")
    log = page.get_by_role("table", name="Audit log")
    expect(log).to_contain_text("moderation.takedownRoom")
    page.get_by_label("Action").fill("moderation.takedownUser")
    page.get_by_role("button", name="Filter").click()
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log).to_contain_text("@mod")
    for _ in range(30):  # each look at the evidence is itself an audit entry
        world.admin.get("evidence.list")
    total = world.admin.get("audit.list", count="1")["total"]
    assert total > 30
    page.get_by_label("Action").fill("")
    page.get_by_role("button", name="Filter").click()
    status = page.locator(".pager [role=status]")
    expect(status).to_have_text(f"1\u201325 of {total}")
    expect(page.get_by_role("button", name="Newer")).to_be_disabled()
    page.get_by_role("button", name="Older").click()
    expect(status).to_have_text(f"26\u2013{min(total, 50)} of {total}")
    expect(log.locator("tbody tr")).to_have_count(min(total, 50) - 25)


def test_invite_link_statistics_show_who_came_in(world: World) -> None:
    page = world.page
    page.goto(world.server.url + "/admin/invites")
    page.get_by_role("button", name="Statistics of the invite to general").click()
    dialog = page.get_by_role("dialog", name="Invite link statistics")
    expect(dialog.get_by_role("table")).to_contain_text("@carol")
    expect(dialog).to_contain_text("example.com: 1")
    expect(dialog).to_contain_text("1 use.")


def test_a_user_is_shadow_restricted_from_the_users_list(world: World) -> None:
    page = world.page
    body = {"username": "lurker", "name": "Lurker", "email": "lurker@example.com"}
    world.admin.post("users.create", {**body, "password": PASSWORD})
    page.goto(world.server.url + "/admin/users")
    row = page.locator("tr[data-username='lurker']")
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name="Take down lurker").click()
    page.get_by_role("button", name="Shadow-restrict instead").click()
    dialog = page.get_by_role("dialog", name="Shadow-restrict @lurker")
    dialog.get_by_label("Reason (kept in the audit log)").fill("posts links to strangers")
    dialog.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Active, restricted")
    row.get_by_role("button", name="Take down lurker").click()
    expect(page.get_by_role("button", name="Lift the restriction instead")).to_be_visible()
