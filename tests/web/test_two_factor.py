"""Two-factor authentication in the web client: enrolling an authenticator app on the
account page, then signing in with its code (a wrong code first); codes by email at sign-in
(with "Send again") and for a call the server guards with a second factor."""

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.clients.live import store_env
from tests.mail_support import CODE, SmtpServer, smtp, text_of
from tests.web.conftest import STORY_ENV, Server, require_chromium

__all__ = ["smtp"]  # the fixture, used by name

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
WAIT = 15_000
WRONG = "That code is not right. Check it and try again."
expect.set_options(timeout=WAIT)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[Server]:
    require_chromium()
    env = {
        **store_env(),
        **STORY_ENV,
        "ADMIN_USERNAME": "tess",
        "ADMIN_PASS": PASSWORD,
        "ADMIN_EMAIL": "tess@example.com",
        "OVERWRITE_SETTING_Show_Setup_Wizard": "completed",
        "OVERWRITE_SETTING_SMTP_Host": "127.0.0.1",
        "OVERWRITE_SETTING_SMTP_Port": str(smtp.port),
        "OVERWRITE_SETTING_Accounts_TwoFactorAuthentication_By_Email_Auto_Opt_In": "false",
    }
    live = Server(Path(tmp_path_factory.mktemp("web-2fa")), env)
    live.start()
    # Emma, with a verified address, turns codes by email on herself.
    login = httpx.post(f"{live.url}/api/v1/login", json={"user": "tess", "password": PASSWORD})
    data = login.json()["data"]
    headers = {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}
    emma = {
        "username": "emma",
        "name": "Emma",
        "email": "emma@example.com",
        "password": PASSWORD,
        "verified": True,
    }
    httpx.post(f"{live.url}/api/v1/users.create", json=emma, headers=headers).raise_for_status()
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


def sign_in(page: Page, url: str, user: str = "tess") -> None:
    page.goto(url + "/login")
    page.get_by_label("Username or email").fill(user)
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


def mailed_code(smtp: SmtpServer, address: str, count: int) -> str:
    """The code in the `count`-th mail to the address (waiting for it)."""
    found = CODE.search(text_of(smtp.inbox.wait_for(address, count)[count - 1]))
    assert found is not None
    return "".join(found.groups())


def test_codes_by_email_at_sign_in_and_for_a_guarded_change(
    server: Server, page: Page, smtp: SmtpServer
) -> None:
    address = "emma@example.com"
    sign_in(page, server.url, "emma")
    expect(page).to_have_url(server.url + "/home")
    page.goto(server.url + "/account")
    section = page.get_by_role("region", name="Two-factor authentication")
    section.get_by_role("button", name="Turn on codes by email").click()
    expect(section.get_by_role("button", name="Turn off codes by email")).to_be_visible()
    page.get_by_role("button", name="Account menu for emma").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(server.url + "/login")

    page.get_by_label("Username or email").fill("emma")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    step = page.get_by_role("form", name="Two-factor authentication")
    expect(step.get_by_label("Code from your email")).to_be_visible()
    first = mailed_code(smtp, address, 1)
    step.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("A new code is on its way")).to_be_visible()
    second = mailed_code(smtp, address, 2)
    if first != second:  # the new code replaced the first
        step.get_by_label("Code from your email").fill(first)
        step.get_by_role("button", name="Verify").click()
        expect(step.get_by_role("alert")).to_have_text(WRONG)
    step.get_by_label("Code from your email").fill(second)
    step.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(server.url + "/home")

    # Turning codes by email off needs a second factor: the page asks for one and repeats.
    page.goto(server.url + "/account")
    section.get_by_role("button", name="Turn off codes by email").click()
    prompt = page.get_by_role("dialog", name="Confirm it is you")
    expect(prompt.get_by_label("Code from your email")).to_be_visible()
    prompt.get_by_label("Code from your email").fill(mailed_code(smtp, address, 3))
    prompt.get_by_role("button", name="Verify").click()
    expect(section.get_by_role("button", name="Turn on codes by email")).to_be_visible()
    uid, token = page.evaluate(
        "[localStorage.getItem('Meteor.userId'), localStorage.getItem('Meteor.loginToken')]"
    )
    me = httpx.get(
        f"{server.url}/api/v1/me", headers={"X-User-Id": uid, "X-Auth-Token": token}
    ).json()
    assert me["services"]["email2fa"] == {"enabled": False}
