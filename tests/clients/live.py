"""Start a real `chinwag serve` process on a free port, for clients we did not write."""

import asyncio
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import sqlalchemy as sa

from tests.conftest import PG_URL, RELAXED_LIMITS

ADMIN = ("admin", "admin-pass-123", "admin@example.com")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fresh_pg_database(base_url: str, name: str) -> str:
    """Drop and recreate database `name` on the server of base_url; return its URL."""
    url = sa.make_url(base_url).set(drivername="postgresql")

    async def recreate() -> None:
        conn = await asyncpg.connect(url.set(database="postgres").render_as_string(False))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(recreate())
    return url.set(database=name).render_as_string(hide_password=False)


def run_sql(data_dir: Path, database_url: str | None, statement: str, *args: object) -> None:
    """Change a live server's database behind its back (what only time, or someone covering
    their tracks, would do): PostgreSQL at `database_url`, else SQLite in `data_dir`.
    `statement` uses PostgreSQL's $1, $2... placeholders."""
    if database_url is None:
        with sqlite3.connect(data_dir / "chinwag.db") as conn:
            conn.execute(re.sub(r"\$\d+", "?", statement), args)
        return

    async def run() -> None:
        url = sa.make_url(database_url).set(drivername="postgresql")
        conn = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            await conn.execute(statement, *args)
        finally:
            await conn.close()

    asyncio.run(run())


def store_env() -> dict[str, str]:
    """The server's database: for the PG leg a fresh `<test database>_e2e` (so runs against
    differently named test databases never drop each other's), else SQLite in its data dir."""
    if PG_URL:
        name = f"{sa.make_url(PG_URL).database or 'chinwag'}_e2e"
        return {"CHINWAG_DATABASE_URL": fresh_pg_database(PG_URL, name)}
    return {}


@dataclass
class LiveServer:
    """A `chinwag serve` child process and where it listens."""

    proc: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def wait_until_up(self, within: float = 30) -> None:
        _wait_until_up(self.url, self.proc, self.log_path, within)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def spawn_server(data_dir: Path, env: dict[str, str] | None = None) -> LiveServer:
    """Start a server on 127.0.0.1:<free port> (not yet waited for), with an admin from
    ADMIN_USERNAME/ADMIN_PASS; its output goes to <data_dir>/server.log."""
    port = free_port()
    child_env = {
        **os.environ,
        "CHINWAG_BCRYPT_ROUNDS": "4",
        "ADMIN_USERNAME": ADMIN[0],
        "ADMIN_PASS": ADMIN[1],
        "ADMIN_EMAIL": ADMIN[2],
        "CHINWAG_LOG_FORMAT": "json",
        **{f"OVERWRITE_SETTING_{k}": v for k, v in RELAXED_LIMITS.items()},
        # Invite-only by default; these servers let the clients sign up, as an operator can.
        "OVERWRITE_SETTING_Accounts_RegistrationForm": "Public",
        **(env or {}),
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "chinwag", "serve", "--port", str(port), "--data", data_dir],
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return LiveServer(proc, f"http://127.0.0.1:{port}", log_path)


@contextmanager
def live_server(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A server on 127.0.0.1:<free port>, with an admin from ADMIN_USERNAME/ADMIN_PASS."""
    server = spawn_server(data_dir, env)
    try:
        server.wait_until_up()
        yield server.url
    finally:
        server.stop()


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/info", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log.read_text()}")
