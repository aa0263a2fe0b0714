"""Start a Chinwag server process for a benchmark and read its CPU time and memory."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

ADMIN_USER, ADMIN_PASS = "bench-admin", "bench-admin-pass"


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
def chinwag(database_url: str | None = None, bcrypt_rounds: int = 10) -> Iterator[Server]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="chinwag-bench-") as data:
        env = {
            **os.environ,
            "ADMIN_USERNAME": ADMIN_USER,
            "ADMIN_PASS": ADMIN_PASS,
            "ADMIN_EMAIL": "bench@example.com",
            "CHINWAG_BCRYPT_ROUNDS": str(bcrypt_rounds),
            "CHINWAG_LOG_LEVEL": "warning",
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
