"""Two-factor authentication in the web client: enrolling an authenticator app on the
account page, then signing in with its code (a wrong code first)."""

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.clients.live import store_env
from tests.web.conftest import STORY_ENV, Server, require_chromium

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
WAIT = 15_000
WRONG = "That code is not right. Check it and try again."
expect.set_options(timeout=WAIT)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    env = {
        **store_env(),
        **STORY_ENV,
        "ADMIN_USERNAME": "tess",
        "ADMIN_PASS": PASSWORD,
        "ADMIN_EMAIL": "tess@example.com",
        "OVERWRITE_SETTING_Show_Setup_Wizard": "completed",
    }
    live = Server(Path(tmp_path_factory.mktemp("web-2fa")), env)
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT)
    yield opened
    context.close()


def sign_in(page: Page, url: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Username or email").fill("tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def a_wrong_code(totp: pyotp.TOTP) -> str:
    """A code no step around now accepts (the server allows one step either side)."""
    now = time.time()
    near = {totp.at(now + step * 30) for step in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1, 10)) if c not in near)


def test_enrol_an_authenticator_app_then_sign_in_with_its_code(server: Server, page: Page) -> None:
    sign_in(page, server.url)
    expect(page).to_have_url(server.url + "/home")
    page.goto(server.url + "/account")
    section = page.get_by_role("region", name="Two-factor authentication")
    section.get_by_role("button", name="Set up an authenticator app").click()
    qr = section.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")
    totp = pyotp.TOTP(section.get_by_label("Secret key").inner_text().strip())

    confirm = section.get_by_role("form", name="Confirm the authenticator app")
    confirm.get_by_label("Code from your authenticator app").fill(a_wrong_code(totp))
    confirm.get_by_role("button", name="Verify").click()
    expect(confirm.get_by_role("alert")).to_have_text(WRONG)
    confirm.get_by_label("Code from your authenticator app").fill(totp.now())
    confirm.get_by_role("button", name="Verify").click()
    expect(section.get_by_role("status")).to_have_text(
        "Two-factor authentication with an authenticator app is on."
    )
    codes = section.get_by_role("list", name="Backup codes").get_by_role("listitem")
    expect(codes).to_have_count(12)
    section.get_by_role("button", name="Done").click()
    expect(section).to_contain_text("12 backup codes left.")

    page.get_by_role("button", name="Account menu for tess").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(server.url + "/login")
    # The server now wants the second factor from any password login.
    refused = httpx.post(
        f"{server.url}/api/v1/login", json={"user": "tess", "password": PASSWORD}
    ).json()
    assert refused["error"] == "totp-required"

    page.get_by_label("Username or email").fill("tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    step = page.get_by_role("form", name="Two-factor authentication")
    step.get_by_label("Code from your authenticator app").fill(a_wrong_code(totp))
    step.get_by_role("button", name="Verify").click()
    expect(step.get_by_role("alert")).to_have_text(WRONG)
    expect(page).to_have_url(server.url + "/login")
    step.get_by_label("Code from your authenticator app").fill(totp.now())
    step.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(server.url + "/home")
    expect(page.get_by_role("button", name="Account menu for tess")).to_be_visible()
    assert re.fullmatch(r"\S+", page.evaluate("localStorage.getItem('Meteor.loginToken')"))
