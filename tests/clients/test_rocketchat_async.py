"""The PyPI `rocketchat-async` DDP client (not ours), in its own virtualenv because it pins an
old `websockets`, logs in with a digest and with a resume token, lists rooms, subscribes to a
room, sends a message and receives it, reacts to it and sees the reaction arrive, and types."""

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.clients.live import ADMIN

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parent.parent.parent
VENV = ROOT / ".cache" / "rc-async-venv"
PIN = "rocketchat-async==4.3.0"


def client_python() -> Path:
    """The virtualenv's Python, made (once) with the client installed."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PIN], check=True)
    return python


def test_rocketchat_async_round_trip(server_url: str) -> None:
    login = httpx.post(
        f"{server_url}/api/v1/login", json={"user": ADMIN[0], "password": ADMIN[1]}
    ).json()["data"]
    script = Path(__file__).parent / "rc_async_script.py"
    address = server_url.replace("http://", "ws://") + "/websocket"
    done = subprocess.run(
        [str(client_python()), str(script), address, ADMIN[0], ADMIN[1], login["authToken"]],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    steps = {line["step"]: line for line in map(json.loads, done.stdout.splitlines())}
    assert steps["login"]["user_id"] == login["userId"]
    assert steps["resume"]["user_id"] == login["userId"]
    assert any("GENERAL" in channel for channel in steps["channels"]["channels"])
    assert "from rocketchat-async" in steps["received"]["args"]
    assert steps["reacted"]["message_id"] == steps["received"]["args"][2]
    assert steps["reacted"]["repeated"] is True  # the client saw the reaction arrive
    assert "typing" in steps
