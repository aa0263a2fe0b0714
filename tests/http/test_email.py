"""Account mail through the REST API and method.callAnon, delivered by real SMTP to a real
(aiosmtpd) server: email verification, password recovery, invitations."""

import hashlib
import json
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from chinwag.actions.deps import Deps
from chinwag.actions.password_reset import FORGOT_PASSWORD_FLOOR_SECONDS
from chinwag.events.types import UserLoggedOut
from tests.conftest import PASSWORD, Persona, assert_error, log_in, sign_up
from tests.conftest_helpers import set_setting
from tests.http.chat_support import shift_clock
from tests.mail_support import SmtpServer, deliver, link_in, smtp_server, text_of, use_smtp

__all__ = ["smtp_server"]  # the fixture, used by name

API = "/api/v1"
NEW_PASSWORD = "a brand new password"


async def no_codes_by_mail(deps: Deps) -> None:
    """A verified address would otherwise bring a mailed login code (Rocket.Chat's auto opt-in);
    these tests are about the links, test_two_factor.py about the codes."""
    await set_setting(deps, "Accounts_TwoFactorAuthentication_By_Email_Enabled", False)


async def call_anon(client: httpx.AsyncClient, method: str, *params: Any) -> dict[str, Any]:
    """A DDP method through method.callAnon; the DDP result message."""
    message = {"msg": "method", "id": "7", "method": method, "params": list(params)}
    r = await client.post(f"{API}/method.callAnon/{method}", json={"message": json.dumps(message)})
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = json.loads(r.json()["message"])
    return answer


def as_user(user_id: str, token: str) -> dict[str, str]:
    return {"X-User-Id": user_id, "X-Auth-Token": token}


async def login(client: httpx.AsyncClient, user: str, password: str) -> httpx.Response:
    return await client.post(f"{API}/login", json={"user": user, "password": password})


async def emails_of(client: httpx.AsyncClient, admin: Persona, username: str) -> Any:
    r = await client.get(f"{API}/users.info", params={"username": username}, headers=admin.headers)
    return r.json()["user"]["emails"]


async def forgot(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(f"{API}/users.forgotPassword", json={"email": email})


async def reset_token_for(
    client: httpx.AsyncClient, deps: Deps, server: SmtpServer, email: str
) -> str:
    """Ask for a reset link, deliver it, and take the token out of the mail."""
    assert (await forgot(client, email)).status_code == 200
    await deliver(deps)
    _, kind, token = link_in(server.inbox.to(email)[-1])
    assert kind == "reset-password"
    return token


# Email verification ------------------------------------------------------------------------


async def test_a_new_account_signs_in_once_its_mailed_link_is_followed(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await no_codes_by_mail(deps)
    await set_setting(deps, "Accounts_EmailVerification", True)
    body = {"username": "carol", "email": "carol@example.com", "pass": PASSWORD, "name": "Carol"}
    assert (await client.post(f"{API}/users.register", json=body)).status_code == 200

    refused = await login(client, "carol", PASSWORD)
    assert refused.status_code == 401
    assert refused.json()["error"] == "error-invalid-email"
    assert refused.json()["message"] == "Invalid email __email__"  # Rocket.Chat's own text
    assert (await login(client, "boss", PASSWORD)).status_code == 200  # admins are exempt

    assert (await deliver(deps)).sent == 1
    [mail] = smtp_server.inbox.to("carol@example.com")
    assert mail["Subject"] == "[Chinwag] - Email address verification"
    assert mail["From"] == "Chinwag <no-reply@chinwag.test>"
    url, kind, token = link_in(mail)
    assert kind == "verify-email" and url.startswith("http://chinwag.test/verify-email/")
    assert len(token) == 43
    html = mail.get_body(preferencelist=("html",))
    assert html is not None and url in html.get_content()

    page = await client.get(urlsplit(url).path)
    assert page.status_code == 200 and "carol@example.com is verified" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert await emails_of(client, admin, "carol") == [
        {"address": "carol@example.com", "verified": True}
    ]
    carol = await log_in(client, "carol")
    me = (await client.get(f"{API}/me", headers=carol.headers)).json()
    assert me["emails"][0]["verified"] is True
    again = await client.get(urlsplit(url).path)
    assert again.status_code == 400 and "expired" in again.text  # a link works once


async def test_without_verification_on_sign_ups_get_no_mail(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    assert (await deliver(deps)).claimed == 0
    assert smtp_server.inbox.messages == []


async def test_the_verification_mail_can_be_sent_again_and_followed_over_ddp(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await set_setting(deps, "Accounts_EmailVerification", True)
    path = f"{API}/users.sendConfirmationEmail"
    r = await client.post(path, json={"email": "ALICE@example.com"}, headers=alice.headers)
    assert r.status_code == 200 and r.json() == {"success": True}
    r = await client.post(path, json={"email": "nobody@example.com"}, headers=alice.headers)
    assert_error(r, 400)
    assert_error(await client.post(path, json={"email": "alice@example.com"}), 401)
    assert_error(await client.post(path, json={}, headers=alice.headers), 400, "invalid-params")

    assert (await deliver(deps)).sent == 1
    _, _, token = link_in(smtp_server.inbox.to("alice@example.com")[0])
    answer = await call_anon(client, "verifyEmail", token)
    login_result = answer["result"]
    assert login_result["id"] == alice.id and login_result["type"] == "password"
    me = await client.get(f"{API}/me", headers=as_user(alice.id, login_result["token"]))
    assert me.status_code == 200 and me.json()["emails"][0]["verified"] is True
    async with deps.reader() as uow:  # the login the link granted is in the login history
        logins = await uow.moderation.logins_of([alice.id], None, None)
    assert "ddp:verifyEmail" in [row["method"] for row in logins]
    stale = await call_anon(client, "verifyEmail", token)
    assert stale["error"]["error"] == 403
    assert stale["error"]["reason"] == "Verify email link expired"


# Password recovery -------------------------------------------------------------------------


async def test_a_forgotten_password_is_reset_from_the_mailed_link(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await no_codes_by_mail(deps)
    r = await forgot(client, "Alice@Example.com")
    assert r.status_code == 200 and r.json() == {"success": True}
    assert (await deliver(deps)).sent == 1
    [mail] = smtp_server.inbox.to("alice@example.com")
    assert mail["Subject"] == "[Chinwag] - Password Recovery"
    assert "expires in 24 hours" in text_of(mail)
    url, kind, token = link_in(mail)
    assert kind == "reset-password"

    page = await client.get(urlsplit(url).path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Choose a new password" in page.text and token not in page.text
    assert "script-src 'sha256-" in page.headers["content-security-policy"]

    with deps.bus.capture() as published:
        answer = await call_anon(client, "resetPassword", token, NEW_PASSWORD)
    result = answer["result"]
    assert result["id"] == alice.id and result["type"] == "password"
    assert len(result["token"]) == 43 and "$date" in result["tokenExpires"]
    assert any(isinstance(e, UserLoggedOut) and e.user_id == alice.id for e in published)

    assert_error(await client.get(f"{API}/me", headers=alice.headers), 401)  # old session
    me = await client.get(f"{API}/me", headers=as_user(alice.id, result["token"]))
    assert me.status_code == 200
    async with deps.reader() as uow:
        logins = await uow.moderation.logins_of([alice.id], None, None)
    assert "ddp:resetPassword" in [row["method"] for row in logins]
    assert (await login(client, "alice", PASSWORD)).status_code == 401
    assert (await login(client, "alice", NEW_PASSWORD)).status_code == 200
    assert (await emails_of(client, admin, "alice"))[0]["verified"] is True  # the link proved it

    again = await call_anon(client, "resetPassword", token, "yet another password")
    assert again["error"]["error"] == 403 and again["error"]["reason"] == "Token expired"
    assert (await login(client, "alice", NEW_PASSWORD)).status_code == 200


async def test_a_reset_ends_personal_access_tokens_and_takes_a_digest(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    await no_codes_by_mail(deps)
    r = await client.post(
        f"{API}/users.generatePersonalAccessToken",
        json={"tokenName": "ci"},
        headers=alice.headers,
    )
    pat = r.json()["token"]
    token = await reset_token_for(client, deps, smtp_server, "alice@example.com")
    digest = hashlib.sha256(NEW_PASSWORD.encode()).hexdigest()
    answer = await call_anon(
        client, "resetPassword", token, {"digest": digest, "algorithm": "sha-256"}
    )
    assert answer["result"]["id"] == alice.id
    assert_error(await client.get(f"{API}/me", headers=as_user(alice.id, pat)), 401)
    assert (await login(client, "alice", NEW_PASSWORD)).status_code == 200
    bad = await call_anon(client, "resetPassword", "whatever", {"digest": 1})
    assert bad["error"]["error"] == "invalid-params"


async def test_reset_links_expire_and_only_the_newest_works(
    client: httpx.AsyncClient, deps: Deps, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    first = await reset_token_for(client, deps, smtp_server, "alice@example.com")
    second = await reset_token_for(client, deps, smtp_server, "alice@example.com")
    replaced = await call_anon(client, "resetPassword", first, NEW_PASSWORD)
    assert replaced["error"]["reason"] == "Token expired"

    shift_clock(deps, timedelta(hours=24, minutes=1))
    expired = await call_anon(client, "resetPassword", second, NEW_PASSWORD)
    assert expired["error"]["error"] == 403 and expired["error"]["reason"] == "Token expired"
    assert (await login(client, "alice", PASSWORD)).status_code == 200  # nothing changed


async def test_unknown_addresses_get_the_same_answer_in_the_same_time_and_no_mail(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    answers = []
    for email in ("alice@example.com", "nobody@example.com", "not an address"):
        started = time.monotonic()
        r = await forgot(client, email)
        answers.append((r.status_code, r.json()))
        assert time.monotonic() - started >= FORGOT_PASSWORD_FLOOR_SECONDS * 0.95
    assert answers == [(200, {"success": True})] * 3
    assert (await deliver(deps)).sent == 1
    assert [m["To"] for m in smtp_server.inbox.messages] == ["alice@example.com"]
    assert_error(await client.post(f"{API}/users.forgotPassword", json={}), 400, "invalid-params")


async def test_password_reset_can_be_turned_off(
    client: httpx.AsyncClient, deps: Deps, alice: Persona
) -> None:
    await set_setting(deps, "Accounts_PasswordReset", False)
    assert_error(await forgot(client, "alice@example.com"), 400, "error-not-allowed")


# Invitations -------------------------------------------------------------------------------


async def test_an_invitation_mail_lets_a_newcomer_sign_up_through_the_secret_url(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    path = f"{API}/sendInvitationEmail"
    invite = {"emails": ["dave@example.com", "not-an-address", "DAVE@example.com"]}
    assert_error(await client.post(path, json=invite, headers=alice.headers), 403)
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    await set_setting(deps, "Accounts_RegistrationForm_SecretURL", "s3cret-invite")

    r = await client.post(path, json=invite, headers=admin.headers)
    assert r.status_code == 200 and r.json() == {"success": True}
    assert (await deliver(deps)).sent == 1
    [mail] = smtp_server.inbox.to("dave@example.com")
    assert mail["Subject"] == "You have been invited to Chinwag"
    url, kind, secret = link_in(mail)
    assert (kind, secret) == ("register", "s3cret-invite")
    page = await client.get(urlsplit(url).path)  # the web client's sign-up page
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")

    form = {"username": "dave", "email": "dave@example.com", "pass": PASSWORD, "name": "Dave"}
    refused = await client.post(f"{API}/users.register", json=form)
    assert_error(refused, 400, "error-user-registration-secret")
    await sign_up(client, "dave", secretURL=secret)

    bad = {"emails": ["nope", ""]}
    assert_error(await client.post(path, json=bad, headers=admin.headers), 400)
    assert_error(await client.post(path, json={"emails": []}, headers=admin.headers), 400)


async def test_on_an_open_workspace_the_invitation_links_the_sign_up_page(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    r = await client.post(
        f"{API}/sendInvitationEmail", json={"emails": ["erin@example.com"]}, headers=admin.headers
    )
    assert r.status_code == 200
    await deliver(deps)
    url, kind, secret = link_in(smtp_server.inbox.to("erin@example.com")[0])
    assert (url, kind, secret) == ("http://chinwag.test/register", "register", "")
    page = await client.get("/register")  # the web client's sign-up
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    await sign_up(client, "erin")
