"""Browser tests: headless Debian Chromium driven by Playwright against a live server that
the tests can stop and start again on the same port and data directory."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients.live import _wait_until_up, free_port, store_env

CHROMIUM = Path(os.environ.get("CHINWAG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The first user signs up through the setup page, so no admin comes from the environment.
# Both people sign up from one address: where sign-ups are rate limited, allow a few.
STORY_ENV = {
    "ADMIN_USERNAME": "",
    "ADMIN_PASS": "",
    "ADMIN_EMAIL": "",
    "OVERWRITE_SETTING_Rate_Limiter_Limit_RegisterUser": "10",
}


class Server:
    """`chinwag serve` on a fixed port and data directory, to stop and start at will."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CHINWAG_BCRYPT_ROUNDS": "4",
            "CHINWAG_LOG_FORMAT": "json",
            "CHINWAG_SITE_URL": self.url,  # invite links lead back to this very origin
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    def start(self) -> None:
        args = ["serve", "--port", str(self.port), "--data", str(self.data_dir)]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "chinwag", *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until_up(self.url, self.proc, self.log)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium); "
            "CI installs it"
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Skips before starting anything; and the PostgreSQL leg's database is made here with
    # asyncio.run, which must happen before Playwright's sync API holds the event loop.
    require_chromium()
    live = Server(tmp_path_factory.mktemp("web"), {**store_env(), **STORY_ENV})
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()
