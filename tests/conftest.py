"""Fixtures: a fresh database per test (SQLite, or PostgreSQL when CHINWAG_TEST_DATABASE_URL is
set), the app behind an in-process HTTP client, and personas that register and log in."""

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from chinwag.actions.bootstrap import bootstrap
from chinwag.actions.deps import Deps
from chinwag.app import build_deps, create_app
from chinwag.settings import Config
from chinwag.storage.database import Database
from chinwag.storage.migrate import upgrade
from chinwag.storage.tables import metadata

PG_URL = os.environ.get("CHINWAG_TEST_DATABASE_URL")
PASSWORD = "correct horse battery staple"


def backend_name() -> str:
    return "postgresql" if PG_URL else "sqlite"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A migrated SQLite file made once; each test copies it instead of migrating again."""
    if PG_URL:
        return None
    import asyncio

    path = tmp_path_factory.mktemp("template") / "chinwag.db"

    async def make() -> None:
        db = Database(f"sqlite:///{path}")
        await upgrade(db)
        await db.dispose()

    asyncio.run(make())
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> bool:
    if not PG_URL:
        return False
    import asyncio

    async def make() -> None:
        await ensure_pg_database(PG_URL)
        db = Database(PG_URL)
        await upgrade(db)
        await db.dispose()

    asyncio.run(make())
    return True


async def ensure_pg_database(url: str) -> None:
    """Create the test database if the server lacks it; an unreachable server fails the run."""
    target = sa.make_url(url).set(drivername="postgresql")
    conn = await asyncpg.connect(target.set(database="postgres").render_as_string(False))
    try:
        exists = await conn.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", target.database
        )
        if not exists:
            await conn.execute(f'CREATE DATABASE "{target.database}"')
    finally:
        await conn.close()


async def _truncate(deps: Deps) -> None:
    names = ", ".join(t.name for t in metadata.sorted_tables)
    async with deps.db.begin() as conn:
        await conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))


# Rate limits and login lockouts count per address, and every test client shares one: tests
# start with them off and the tests of the limits turn them on.
RELAXED_LIMITS = {
    "API_Enable_Rate_Limiter": "false",
    "Block_Multiple_Failed_Logins_Enabled": "false",
    "Accounts_Registration_Per_IP_Per_Day": "0",
    "Invites_Pause_After_Joins": "0",
    "Accounts_Signup_Burst_Per_Minute": "0",
    "Accounts_Signup_Burst_Per_Network_Per_Minute": "0",
    "Accounts_Signup_Burst_Per_Domain_Per_Minute": "0",
    "Rooms_Created_Per_User_Per_Hour": "0",
    "Rooms_Created_Per_User_Per_Day": "0",
    **{
        f"DDP_Rate_Limit_{scope}_Enabled": "false"
        for scope in ("IP", "User", "Connection", "User_By_Method", "Connection_By_Method")
    },
}


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    for key in list(os.environ):
        if key.startswith("OVERWRITE_SETTING_") or key in ("ADMIN_USERNAME", "ADMIN_PASS"):
            monkeypatch.delenv(key)
    return Config(
        data_dir=tmp_path / "data",
        database_url=PG_URL,
        bcrypt_rounds=4,
        site_url="http://chinwag.test",
        # Registration is invite-only by default; the tests sign people up publicly, so their
        # workspace opens it as an operator would.
        overwrite_settings={**RELAXED_LIMITS, "Accounts_RegistrationForm": "Public"},
    )


@asynccontextmanager
async def opened_deps(
    config: Config, sqlite_template: Path | None, pg_migrated: bool
) -> AsyncIterator[Deps]:
    """A bootstrapped workspace for `config`: a copy of the SQLite template, or the test
    PostgreSQL database emptied."""
    if sqlite_template is not None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(sqlite_template, config.data_dir / "chinwag.db")
    deps = build_deps(config)
    if pg_migrated:
        await _truncate(deps)
    await bootstrap(deps)
    try:
        yield deps
    finally:
        await deps.db.dispose()


@pytest.fixture
async def deps(
    config: Config, sqlite_template: Path | None, pg_migrated: bool
) -> AsyncIterator[Deps]:
    async with opened_deps(config, sqlite_template, pg_migrated) as opened:
        yield opened


@pytest.fixture
def app(deps: Deps) -> FastAPI:
    return create_app(deps, migrate=False)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://chinwag.test") as c:
        yield c


@dataclass
class Persona:
    """A registered, logged-in user: `headers` authenticate requests as them."""

    id: str
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-User-Id": self.id, "X-Auth-Token": self.token}


async def sign_up(client: httpx.AsyncClient, username: str, **extra: object) -> Persona:
    body = {
        "username": username,
        "email": f"{username}@example.com",
        "pass": PASSWORD,
        "name": username.title(),
        **extra,
    }
    r = await client.post("/api/v1/users.register", json=body)
    assert r.status_code == 200, r.text
    return await log_in(client, username)


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> Persona:
    r = await client.post("/api/v1/login", json={"user": username, "password": password})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    return Persona(id=data["userId"], username=username, token=data["authToken"])


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> Persona:
    """The first user to register, who becomes admin."""
    return await sign_up(client, "boss")


@pytest.fixture
async def alice(client: httpx.AsyncClient, admin: Persona) -> Persona:
    return await sign_up(client, "alice")


@pytest.fixture
async def bob(client: httpx.AsyncClient, admin: Persona) -> Persona:
    return await sign_up(client, "bob")


def assert_error(
    r: httpx.Response, status: int, error_type: str | None = None
) -> dict[str, object]:
    """The response is Rocket.Chat's error envelope with this status (and errorType)."""
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False, body
    assert isinstance(body["error"], str) and body["error"], body
    if error_type is not None:
        assert body.get("errorType") == error_type, body
    return body


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
