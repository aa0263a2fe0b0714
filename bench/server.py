"""Start a Chinwag server process for a benchmark, call its REST API, read its CPU and memory."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

ADMIN_USER, ADMIN_PASS = "bench-admin", "bench-admin-pass"

DDP_SCOPES = ("IP", "User", "Connection", "User_By_Method", "Connection_By_Method")
UNLIMITED = {
    "API_Enable_Rate_Limiter": "false",
    "Block_Multiple_Failed_Logins_Enabled": "false",
    "Accounts_Registration_Per_IP_Per_Day": "0",
    **{f"DDP_Rate_Limit_{scope}_Enabled": "false" for scope in DDP_SCOPES},
}
# Every limit on, counting, but too high to be reached by a benchmark.
COUNTED = {
    "API_Enable_Rate_Limiter": "true",
    "API_Enable_Rate_Limiter_Limit_Calls_Default": str(10**9),
    "Block_Multiple_Failed_Logins_Enabled": "true",
    **{f"DDP_Rate_Limit_{scope}_Enabled": "true" for scope in DDP_SCOPES},
    **{f"DDP_Rate_Limit_{scope}_Requests_Allowed": str(10**9) for scope in DDP_SCOPES},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def rss_mb(self) -> float:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0


@contextmanager
def chinwag(
    database_url: str | None = None,
    bcrypt_rounds: int = 10,
    prepare: Callable[[str], None] | None = None,
    limits: bool = False,
    settings: dict[str, str] | None = None,
) -> Iterator[Server]:
    """A server on a free loopback port over a fresh SQLite file (or `database_url`).

    `prepare` gets the database URL before the server starts: the place to bulk-load data.
    The load comes from one address, so rate limits and login lockouts are off unless
    `limits` (and then every counter is raised out of the way, so only their cost shows).
    `settings` are forced on top (OVERWRITE_SETTING_<id>).
    """
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="chinwag-bench-") as data:
        if prepare is not None:
            prepare(database_url or f"sqlite:///{data}/chinwag.db")
        env = {
            **os.environ,
            "ADMIN_USERNAME": ADMIN_USER,
            "ADMIN_PASS": ADMIN_PASS,
            "ADMIN_EMAIL": "bench@example.com",
            "CHINWAG_BCRYPT_ROUNDS": str(bcrypt_rounds),
            "CHINWAG_LOG_LEVEL": "warning",
            **{f"OVERWRITE_SETTING_{k}": v for k, v in (COUNTED if limits else UNLIMITED).items()},
            **{f"OVERWRITE_SETTING_{k}": v for k, v in (settings or {}).items()},
        }
        if database_url:
            env["CHINWAG_DATABASE_URL"] = database_url
        cmd = [sys.executable, "-m", "chinwag", "serve", "--port", str(port), "--data", data]
        log = open(os.path.join(data, "server.log"), "wb")  # noqa: SIM115
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(url, proc)
            yield Server(url=url, pid=proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            log.close()


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("benchmark server exited at start")
        try:
            with urllib.request.urlopen(f"{url}/api/info", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("benchmark server did not start")


def api(
    url: str,
    method: str,
    path: str,
    auth: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
    query: dict[str, str] | None = None,
) -> Any:
    """One REST call; the parsed JSON body. Raises on an HTTP error status."""
    target = f"{url}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    data = json.dumps(body).encode() if body is not None else None
    headers = {"content-type": "application/json", **(auth or {})}
    req = urllib.request.Request(target, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.load(response)


def login(url: str, user: str, password: str) -> dict[str, str]:
    """Sign in over REST; the X-User-Id / X-Auth-Token headers for later calls."""
    data = api(url, "POST", "/api/v1/login", body={"user": user, "password": password})["data"]
    return {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}
