"""Defaults safer than Rocket.Chat's: invite-only registration once an admin exists, and a
warning (log and admin banner) while registration is open without verification or approval."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import structlog
from fastapi import FastAPI

from chinwag.actions.deps import Deps
from chinwag.actions.notices import log_security_notices
from chinwag.app import create_app
from chinwag.settings import Config
from tests.conftest import PG_URL, RELAXED_LIMITS, Persona, assert_error, opened_deps, sign_up
from tests.conftest_helpers import set_setting

API = "/api/v1"


@pytest.fixture
async def default_deps(
    tmp_path: Path, sqlite_template: Path | None, pg_migrated: bool
) -> AsyncIterator[Deps]:
    """A workspace with Chinwag's own registration defaults: nothing forced open. (Rate limits
    are relaxed as everywhere in the tests: every test client shares one address.)"""
    config = Config(
        data_dir=tmp_path / "data",
        database_url=PG_URL,
        bcrypt_rounds=4,
        overwrite_settings=dict(RELAXED_LIMITS),
    )
    async with opened_deps(config, sqlite_template, pg_migrated) as deps:
        yield deps


@pytest.fixture
async def default_client(default_deps: Deps) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(default_deps, migrate=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://chinwag.test") as c:
        yield c


async def test_the_first_account_registers_then_only_invitees_do(
    default_client: httpx.AsyncClient, default_deps: Deps
) -> None:
    client = default_client
    assert default_deps.settings.str("Accounts_RegistrationForm") == "Secret URL"
    boss = await sign_up(client, "boss")  # a new workspace makes its admin
    body = {"username": "dana", "email": "dana@example.com", "pass": "a fine passphrase"}
    refused = await client.post(f"{API}/users.register", json={**body, "name": "Dana"})
    assert_error(refused, 400, "error-user-registration-secret")

    invite = await client.post(
        f"{API}/findOrCreateInvite",
        json={"rid": "GENERAL", "days": 1, "maxUses": 1},
        headers=boss.headers,
    )
    assert invite.status_code == 200, invite.text
    token = invite.json()["_id"]
    joined = await client.post(
        f"{API}/users.register", json={**body, "name": "Dana", "secretURL": token}
    )
    assert joined.status_code == 200, joined.text

    await set_setting(default_deps, "Accounts_RegistrationForm", "Public")  # one setting opens it
    await sign_up(client, "erin")


async def test_admins_see_a_banner_while_anyone_can_sign_up_unchecked(
    client: httpx.AsyncClient, deps: Deps, admin: Persona, alice: Persona
) -> None:
    r = await client.get(f"{API}/banners", params={"platform": "web"}, headers=admin.headers)
    [banner] = r.json()["banners"]
    assert banner["_id"] == "chinwag-open-registration" and banner["roles"] == ["admin"]
    assert banner["view"]["variant"] == "warning" and banner["view"]["blocks"]
    one = await client.get(
        f"{API}/banners/chinwag-open-registration",
        params={"platform": "web"},
        headers=admin.headers,
    )
    assert [b["_id"] for b in one.json()["banners"]] == ["chinwag-open-registration"]
    seen = await client.get(f"{API}/banners", params={"platform": "web"}, headers=alice.headers)
    assert seen.json() == {"banners": [], "success": True}
    dismissed = await client.post(
        f"{API}/banners.dismiss", json={"bannerId": banner["_id"]}, headers=admin.headers
    )
    assert dismissed.json() == {"success": True}
    assert_error(await client.get(f"{API}/banners", headers=admin.headers), 400)

    await set_setting(deps, "Accounts_EmailVerification", True)
    r = await client.get(f"{API}/banners", params={"platform": "mobile"}, headers=admin.headers)
    assert r.json()["banners"] == []


async def test_open_registration_is_logged_at_start(deps: Deps, admin: Persona) -> None:
    with structlog.testing.capture_logs() as logs:
        log_security_notices(deps)
    assert [e["notice"] for e in logs if e["log_level"] == "warning"] == [
        "chinwag-open-registration"
    ]
    await set_setting(deps, "Accounts_RegistrationForm", "Secret URL")
    with structlog.testing.capture_logs() as logs:
        log_security_notices(deps)
    assert logs == []
