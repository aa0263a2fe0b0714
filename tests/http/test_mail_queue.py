"""The mail queue: mail survives an SMTP outage, retries with back-off, gives up in the end,
waits while SMTP is not set up; chinwag.mail.queue shows administrators where it stands."""

from datetime import timedelta
from typing import Any

import httpx

from chinwag.actions.deps import Deps
from chinwag.domain.mail import RetryPolicy
from tests.conftest import Persona, assert_error
from tests.conftest_helpers import set_setting
from tests.http.chat_support import shift_clock
from tests.mail_support import SmtpServer, deliver, smtp_server, use_smtp

__all__ = ["smtp_server"]  # the fixture, used by name

API = "/api/v1"


async def queue(client: httpx.AsyncClient, admin: Persona, **params: Any) -> dict[str, Any]:
    r = await client.get(f"{API}/chinwag.mail.queue", params=params, headers=admin.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def forgot(client: httpx.AsyncClient, email: str) -> None:
    r = await client.post(f"{API}/users.forgotPassword", json={"email": email})
    assert r.status_code == 200, r.text


async def test_an_smtp_outage_loses_no_mail(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    smtp_server.stop()
    await forgot(client, "alice@example.com")
    report = await deliver(deps)
    assert (report.sent, report.retrying) == (0, 1)

    [entry] = (await queue(client, admin))["mails"]
    assert entry["to"] == "alice@example.com" and entry["kind"] == "reset-password"
    assert entry["state"] == "pending" and entry["attempts"] == 1
    assert entry["lastError"] and entry["nextAttemptAt"] > entry["_updatedAt"]
    assert "text" not in entry and "html" not in entry  # the link stays out of listings

    assert (await deliver(deps)).claimed == 0  # not due again before its back-off
    smtp_server.start()
    shift_clock(deps, timedelta(seconds=11))
    assert (await deliver(deps)).sent == 1
    assert [m["To"] for m in smtp_server.inbox.messages] == ["alice@example.com"]
    [entry] = (await queue(client, admin))["mails"]
    assert entry["state"] == "sent" and entry["attempts"] == 2 and entry["sentAt"]
    assert entry["nextAttemptAt"] is None


async def test_mail_fails_for_good_after_its_last_attempt(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    smtp_server.stop()
    policy = RetryPolicy(max_attempts=3)
    await forgot(client, "alice@example.com")
    for step, ahead in enumerate((0, 11, 32)):
        shift_clock(deps, timedelta(seconds=ahead))
        report = await deliver(deps, policy)
        assert report.claimed == 1, step
    assert report.failed == 1
    shift_clock(deps, timedelta(days=1))
    assert (await deliver(deps, policy)).claimed == 0
    failed = await queue(client, admin, state="failed")
    assert failed["total"] == 1 and failed["mails"][0]["attempts"] == 3
    assert (await queue(client, admin, state="pending"))["total"] == 0


async def test_without_an_smtp_host_mail_waits_untried(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await forgot(client, "alice@example.com")
    assert (await deliver(deps)).claimed == 0
    [entry] = (await queue(client, admin))["mails"]
    assert (entry["state"], entry["attempts"]) == ("pending", 0)
    await use_smtp(deps, smtp_server)
    assert (await deliver(deps)).sent == 1


async def test_the_smtp_password_stays_out_of_errors_and_settings(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona, smtp_server: SmtpServer
) -> None:
    await use_smtp(deps, smtp_server)
    r = await client.post(
        f"{API}/settings/SMTP_Password", json={"value": "hunter2-smtp"}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    await set_setting(deps, "SMTP_Username", "mailer")
    await forgot(client, "alice@example.com")
    assert (await deliver(deps)).retrying == 1  # the test server offers no AUTH
    body = await client.get(f"{API}/chinwag.mail.queue", headers=admin.headers)
    assert "AUTH" in body.json()["mails"][0]["lastError"] and "hunter2" not in body.text
    listed = await client.get(f"{API}/settings", params={"count": 0}, headers=admin.headers)
    assert "hunter2" not in listed.text
    public = await client.get(f"{API}/settings.public", params={"count": 0})
    assert "SMTP_" not in public.text and "From_Email" not in public.text


async def test_a_bad_port_is_a_failed_attempt(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    await set_setting(deps, "SMTP_Host", "127.0.0.1")
    await set_setting(deps, "SMTP_Port", "smtp")
    await forgot(client, "alice@example.com")
    assert (await deliver(deps)).retrying == 1
    [entry] = (await queue(client, admin))["mails"]
    assert "SMTP_Port" in entry["lastError"]


async def test_only_administrators_see_the_queue(
    client: httpx.AsyncClient, admin: Persona, alice: Persona
) -> None:
    assert_error(await client.get(f"{API}/chinwag.mail.queue", headers=alice.headers), 403)
    assert_error(await client.get(f"{API}/chinwag.mail.queue"), 401)
    r = await client.get(
        f"{API}/chinwag.mail.queue", params={"state": "lost"}, headers=admin.headers
    )
    assert_error(r, 400, "invalid-params")
    assert (await queue(client, admin, count=5))["mails"] == []
