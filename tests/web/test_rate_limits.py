"""The web client under the server's REST rate limiter: a refused request is announced and
sent again once the limit resets, and the page ends up showing what was last asked for."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.clients.live import store_env
from tests.web.conftest import STORY_ENV, Server, require_chromium

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
WAIT = 15_000
expect.set_options(timeout=WAIT)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    env = {
        **store_env(),
        **STORY_ENV,
        "ADMIN_USERNAME": "root",
        "ADMIN_PASS": PASSWORD,
        "ADMIN_EMAIL": "root@example.com",
        "OVERWRITE_SETTING_Show_Setup_Wizard": "completed",
        # Four calls to one endpoint per three seconds (administrators are not counted).
        "OVERWRITE_SETTING_API_Enable_Rate_Limiter_Limit_Calls_Default": "4",
        "OVERWRITE_SETTING_API_Enable_Rate_Limiter_Limit_Time_Default": "3000",
    }
    live = Server(Path(tmp_path_factory.mktemp("web-limits")), env)
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def page(server: Server, browser: Browser) -> Iterator[Page]:
    root = httpx.post(f"{server.url}/api/v1/login", json={"user": "root", "password": PASSWORD})
    data = root.json()["data"]
    headers = {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}
    for username in ("rae", "quinn"):
        body = {
            "username": username,
            "name": username.title(),
            "email": f"{username}@example.com",
            "password": PASSWORD,
        }
        httpx.post(f"{server.url}/api/v1/users.create", json=body, headers=headers)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(WAIT)
    yield opened
    context.close()


def test_a_rate_limited_search_waits_says_so_and_shows_the_last_answer(
    server: Server, page: Page
) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Username or email").fill("rae")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(server.url + "/home")
    page.goto(server.url + "/directory")
    page.get_by_role("tab", name="People").click()
    box = page.get_by_role("searchbox", name="Search the directory")
    # More searches than the limit allows, each one after the page has sent the last.
    for text in ("r", "ra", "ro", "roo", "q", "qu", "quinn"):
        box.fill(text)
        page.wait_for_timeout(350)
    expect(page.locator(".toast", has_text="The server asks us to slow down")).to_be_visible()
    results = page.locator(".directory-results")
    expect(results).to_contain_text("@quinn", timeout=20_000)
    page.wait_for_timeout(4000)  # every held-back answer has arrived by now
    expect(results).to_contain_text("@quinn")
    expect(results).not_to_contain_text("@root")
