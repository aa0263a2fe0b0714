"""Matrix Synapse as the benchmarks' peer: its own virtualenv (bench/.synapse-venv, built on
first use), a homeserver on a free loopback port over SQLite with every rate limit lifted,
users registered through the shared-secret admin API, and a small client for its
client-server API (keep-alive HTTP; `/sync` long-polling for delivery)."""

import asyncio
import hashlib
import hmac
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.server import Server, free_port

VERSION = "1.163.2"
VENV = Path(__file__).parent / ".synapse-venv"
SERVER_NAME = "bench.localhost"
PASSWORD = "bench-password"
# Synapse's per-user, per-address and per-room limits, each raised out of any benchmark's reach.
LIMITS = [
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_joins_per_room",
    "rc_3pid_validation",
    "rc_admin_redaction",
    "rc_media_create",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_send_join",
]
NESTED_LIMITS = {
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_presence": ("per_user",),
}
UNLIMITED = {"per_second": 1_000_000, "burst_count": 1_000_000}
MSG = "/_matrix/client/v3"


class SynapseUnavailable(RuntimeError):
    """The peer could not be installed or started; the reason is the message."""


def python() -> Path:
    """The Synapse virtualenv's interpreter, creating the venv (pip install) if needed."""
    exe = VENV / "bin" / "python"
    if exe.exists() and _installed(exe):
        return exe
    print(f"building {VENV} (pip install matrix-synapse=={VERSION})", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120)
        pip = [str(exe), "-m", "pip", "install", "-q", f"matrix-synapse=={VERSION}"]
        subprocess.run(pip, check=True, timeout=900, capture_output=True)
    except (subprocess.SubprocessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise SynapseUnavailable(
            f"cannot build the Synapse venv: {error} {detail[-400:]!r}"
        ) from None
    if not _installed(exe):
        raise SynapseUnavailable(f"matrix-synapse {VERSION} did not install into {VENV}")
    return exe


def _installed(exe: Path) -> bool:
    probe = "import importlib.metadata as m; print(m.version('matrix-synapse'))"
    out = subprocess.run([str(exe), "-c", probe], capture_output=True, text=True)
    return out.stdout.strip() == VERSION


def configure(exe: Path, data: Path, port: int, bcrypt_rounds: int) -> tuple[Path, str]:
    """Generate a homeserver.yaml, then bend it to the benchmark: loopback port, SQLite,
    no federation or key servers, warnings-only logs, rate limits lifted. Returns the config
    path and the registration shared secret."""
    config = data / "homeserver.yaml"
    generate = [str(exe), "-m", "synapse.app.homeserver", "--server-name", SERVER_NAME]
    generate += ["--config-path", str(config), "--generate-config", "--report-stats=no"]
    subprocess.run(
        [*generate, "--data-directory", str(data)], check=True, capture_output=True, timeout=120
    )
    settings = yaml.safe_load(config.read_text())
    log_config = data / "log.yaml"
    log_config.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(message)s"}},
                "handlers": {
                    "file": {
                        "class": "logging.FileHandler",
                        "formatter": "plain",
                        "filename": str(data / "homeserver.log"),
                    }
                },
                "root": {"level": "WARNING", "handlers": ["file"]},
                "disable_existing_loggers": False,
            }
        )
    )
    settings |= {
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(data / "homeserver.db")}},
        "log_config": str(log_config),
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "bcrypt_rounds": bcrypt_rounds,
        "presence": {"enabled": True},
        "enable_metrics": False,
        **{name: UNLIMITED for name in LIMITS},
        **{name: dict.fromkeys(keys, UNLIMITED) for name, keys in NESTED_LIMITS.items()},
    }
    config.write_text(yaml.safe_dump(settings))
    return config, str(settings["registration_shared_secret"])


@dataclass
class Homeserver(Server):
    secret: str = ""


@contextmanager
def synapse(bcrypt_rounds: int = 10) -> Iterator[Homeserver]:
    """A fresh Synapse homeserver on a free loopback port; stopped afterwards."""
    exe = python()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="synapse-bench-") as tmp:
        data = Path(tmp)
        config, secret = configure(exe, data, port, bcrypt_rounds)
        log = open(data / "stdout.log", "wb")  # noqa: SIM115
        cmd = [str(exe), "-m", "synapse.app.homeserver", "--config-path", str(config)]
        proc = subprocess.Popen(cmd, cwd=data, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(url, proc, data)
            yield Homeserver(url=url, pid=proc.pid, secret=secret)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def _wait(url: str, proc: subprocess.Popen[bytes], data: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (data / "stdout.log").read_text(errors="replace")[-800:]
            raise SynapseUnavailable(f"Synapse exited at start: {tail}")
        try:
            httpx.get(f"{url}/_matrix/client/versions", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SynapseUnavailable("Synapse did not start within 120 s")


@dataclass(frozen=True)
class MatrixUser:
    user_id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def client(url: str, connections: int = 100) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=httpx.Timeout(120.0))


async def register(
    http: httpx.AsyncClient, secret: str, names: Sequence[str], concurrency: int = 8
) -> list[MatrixUser]:
    """Users through `/_synapse/admin/v1/register` with the shared secret (a nonce each)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(name: str) -> MatrixUser:
        async with gate:
            nonce = (await http.get("/_synapse/admin/v1/register")).json()["nonce"]
            mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
            mac.update(f"{nonce}\x00{name}\x00{PASSWORD}\x00notadmin".encode())
            body = {"nonce": nonce, "username": name, "password": PASSWORD, "admin": False}
            answer = await http.post(
                "/_synapse/admin/v1/register", json={**body, "mac": mac.hexdigest()}
            )
            answer.raise_for_status()
            data = answer.json()
            return MatrixUser(data["user_id"], data["access_token"])

    return list(await asyncio.gather(*(one(n) for n in names)))


async def create_room(
    http: httpx.AsyncClient, members: Sequence[MatrixUser], name: str, concurrency: int = 8
) -> str:
    """A public room created by the first of `members`, joined by the rest."""
    answer = await http.post(
        f"{MSG}/createRoom",
        headers=members[0].auth,
        json={"preset": "public_chat", "name": name, "visibility": "private"},
    )
    answer.raise_for_status()
    room_id: str = answer.json()["room_id"]
    gate = asyncio.Semaphore(concurrency)

    async def join(user: MatrixUser) -> None:
        async with gate:
            quoted = urllib.parse.quote(room_id)
            (await http.post(f"{MSG}/join/{quoted}", headers=user.auth, json={})).raise_for_status()

    await asyncio.gather(*(join(u) for u in members[1:]))
    return room_id


def send_path(room_id: str) -> str:
    """Synapse still takes POST without a transaction id, so every request is a new event."""
    return f"{MSG}/rooms/{urllib.parse.quote(room_id)}/send/m.room.message"


async def send(http: httpx.AsyncClient, user: MatrixUser, room_id: str, text: str) -> int:
    body = {"msgtype": "m.text", "body": text}
    return (await http.post(send_path(room_id), headers=user.auth, json=body)).status_code


# A sync filter that keeps the answer to what a chat client shows: the rooms' timelines.
SYNC_FILTER = (
    '{"presence":{"types":[]},"account_data":{"types":[]},"room":{"timeline":{"limit":20}}}'
)


class Syncer:
    """One user's `/sync` long-poll loop: calls `on_event(room_id, event, arrived_at)` for
    every m.room.message in a joined room's timeline."""

    def __init__(self, http: httpx.AsyncClient, user: MatrixUser, on_event: Any) -> None:
        self.http, self.user, self.on_event = http, user, on_event
        self.since: str | None = None
        self.errors = 0
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """The initial sync (its position), then the loop in the background."""
        await self._sync(timeout_ms=0, deliver=False)
        self.task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            try:
                await self._sync(timeout_ms=30_000, deliver=True)
            except httpx.HTTPError:
                self.errors += 1
                await asyncio.sleep(0.1)

    async def _sync(self, timeout_ms: int, deliver: bool) -> None:
        params = {"timeout": str(timeout_ms), "filter": SYNC_FILTER}
        if self.since:
            params["since"] = self.since
        answer = await self.http.get(f"{MSG}/sync", params=params, headers=self.user.auth)
        at = time.perf_counter()
        answer.raise_for_status()
        data = answer.json()
        self.since = data["next_batch"]
        if not deliver:
            return
        for room_id, room in data.get("rooms", {}).get("join", {}).items():
            for event in room.get("timeline", {}).get("events", ()):
                if event.get("type") == "m.room.message":
                    self.on_event(room_id, event, at)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()


async def stop_all(syncers: Sequence[Syncer]) -> None:
    for syncer in syncers:
        syncer.stop()
    tasks = [s.task for s in syncers if s.task is not None]
    await asyncio.gather(*tasks, return_exceptions=True)


NOTE = f"Matrix Synapse {VERSION} on SQLite, one process, rate limits lifted"
