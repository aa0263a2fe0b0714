"""Rocket.Chat's own npm `@rocket.chat/ddp-client` (not ours), under Node, logs in with a
sha-256 digest and with a resume token, subscribes to GENERAL's message stream, and receives on
both sessions a message that another user posted over REST."""

import fcntl
import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from tests.clients.live import ADMIN

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent / "ddp_client"
CACHE = Path(__file__).parents[2] / ".cache" / "ddp-client"
STEP_TIMEOUT = 30.0
TEXT = "from another user over REST"


def installed_client() -> Path:
    """The cache directory with the pinned package.json installed (once, under a lock)."""
    npm = shutil.which("npm")
    assert npm is not None, "npm is needed to install @rocket.chat/ddp-client"
    CACHE.mkdir(parents=True, exist_ok=True)
    wanted = (HERE / "package.json").read_text()
    with (CACHE.parent / "ddp-client.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = CACHE / "package.json"
        sdk = CACHE / "node_modules" / "@rocket.chat" / "ddp-client" / "package.json"
        if not sdk.exists() or not manifest.exists() or manifest.read_text() != wanted:
            manifest.write_text(wanted)
            subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=CACHE,
                check=True,
                capture_output=True,
                timeout=600,
            )
    return CACHE


def rest_login(server_url: str, username: str, password: str) -> dict[str, str]:
    answer = httpx.post(f"{server_url}/api/v1/login", json={"user": username, "password": password})
    assert answer.status_code == 200, answer.text
    data: dict[str, str] = answer.json()["data"]
    return data


def register_poster(server_url: str) -> dict[str, str]:
    """A second user, signed up and logged in over REST; returns its userId and authToken."""
    password = "poster-pass-123"
    created = httpx.post(
        f"{server_url}/api/v1/users.register",
        json={"username": "poster", "email": "poster@example.com", "pass": password, "name": "P"},
    )
    assert created.status_code == 200, created.text
    return rest_login(server_url, "poster", password)


class NodeClient:
    """The Node script as a child process whose JSON lines are read with a timeout."""

    def __init__(self, args: list[str], stderr: IO[bytes]) -> None:
        node = shutil.which("node")
        assert node is not None, "node is needed to run @rocket.chat/ddp-client"
        self.stderr = stderr
        self.process = subprocess.Popen(
            [node, str(HERE / "script.mjs"), *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def failure(self, why: str) -> str:
        self.stderr.flush()
        self.stderr.seek(0)
        return f"{why}; node stderr:\n{self.stderr.read().decode(errors='replace')}"

    def step(self, name: str) -> dict[str, Any]:
        """Read lines until the step `name`; fail on timeout or if the script ends first."""
        while True:
            try:
                line = self.lines.get(timeout=STEP_TIMEOUT)
            except queue.Empty:
                pytest.fail(self.failure(f"no {name!r} step within {STEP_TIMEOUT}s"))
            if line is None:
                code = self.process.wait()
                pytest.fail(self.failure(f"script exited with {code} before {name!r}"))
            fields: dict[str, Any] = json.loads(line)
            if fields["step"] == name:
                return fields

    def finish(self) -> None:
        try:
            code = self.process.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(self.failure("script did not exit"))
        assert code == 0, self.failure(f"script exited with {code}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_ddp_client_receives_a_message_posted_over_rest(server_url: str, tmp_path: Path) -> None:
    package_dir = installed_client()
    admin = rest_login(server_url, ADMIN[0], ADMIN[1])
    poster = register_poster(server_url)
    args = [str(package_dir), server_url, ADMIN[0], ADMIN[1], admin["authToken"], "GENERAL", TEXT]
    with (tmp_path / "node-stderr.log").open("w+b") as stderr:
        client = NodeClient(args, stderr)
        try:
            login = client.step("login")
            assert login["user_id"] == admin["userId"] and login["username"] == ADMIN[0]
            resume = client.step("resume")
            assert resume["user_id"] == admin["userId"]
            assert resume["token_kept"] is True
            client.step("subscribed")
            posted = httpx.post(
                f"{server_url}/api/v1/chat.postMessage",
                json={"roomId": "GENERAL", "text": TEXT},
                headers={"X-User-Id": poster["userId"], "X-Auth-Token": poster["authToken"]},
            )
            assert posted.status_code == 200, posted.text
            message_id = posted.json()["message"]["_id"]
            received = client.step("received")
            client.finish()
        finally:
            client.kill()
    expected = {"id": message_id, "rid": "GENERAL", "msg": TEXT, "username": "poster"}
    assert received["by_password"] == expected
    assert received["by_token"] == expected
