"""Reports, a takedown with its evidence bundle, and a tampered audit trail, through the PyPI
`rocketchat-API` client against a live server, and `chinwag audit verify` on its database."""

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from rocketchat_API.rocketchat import RocketChat

from tests.clients.live import live_server, run_sql, store_env
from tests.clients.rc import make_user, refused, sign_in, sign_in_admin

pytestmark = pytest.mark.e2e


class Live:
    def __init__(self, url: str, data: Path, env: dict[str, str]) -> None:
        self.url, self.data, self.env = url, data, env

    def audit_verify(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "chinwag", "audit", "verify", "--data", str(self.data)],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def tamper(self, entry_id: str) -> None:
        """Edit an audit entry directly in the database, as someone covering tracks would."""
        statement = 'UPDATE audit_log SET after = \'{"reason": "nothing to see"}\' WHERE id = $1'
        run_sql(self.data, self.env.get("CHINWAG_DATABASE_URL"), statement, entry_id)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data: Path = tmp_path_factory.mktemp("live")
    env = store_env()
    with live_server(data, env) as url:
        yield Live(url, data, env)


def history(client: RocketChat, room_id: str) -> list[dict[str, Any]]:
    return list(client.channels_history(room_id))


def test_reports_and_a_room_takedown_with_verifiable_evidence(live: Live) -> None:
    admin = sign_in_admin(live.url)
    make_user(admin, "mallory")
    make_user(admin, "victor")
    mallory, victor = sign_in(live.url, "mallory"), sign_in(live.url, "victor")
    room_id = mallory.channels_create("rc-warez", members=["victor"])["channel"]["_id"]
    first = mallory.chat_post_message("cheap films here", room_id=room_id)["message"]
    victor.chat_post_message("where?", room_id=room_id)
    victor.chat_report_message(first["_id"], "piracy")
    mallory.chat_update(room_id, first["_id"], "cheap films, see link")
    victor.moderation_report_user(mallory.me()["_id"], "runs a piracy room")
    seen = history(victor, room_id)

    grouped = list(admin.moderation_reports_by_users())
    assert [r["username"] for r in grouped] == ["mallory"]
    reported = admin.moderation_user_reported_messages(mallory.me()["_id"])
    assert reported["messages"][0]["message"]["msg"] == "cheap films here"
    people = list(admin.moderation_user_reports())
    assert people[0]["reportedUser"]["username"] == "mallory"

    with refused(403):
        list(victor.moderation_reports_by_users())
    with refused(403):
        victor.call_api_post(
            "moderation.takedownRoom", roomId=room_id, action="block", reason="mine"
        )

    done = admin.call_api_post(
        "moderation.takedownRoom",
        roomId=room_id,
        action="block",
        reason="piracy",
        notice="rc-warez was closed",
    )
    with refused(400):
        list(victor.channels_history(room_id))
    with refused(400, "error-room-name-reserved"):
        mallory.channels_create("rc-warez")

    export = admin.session.get(
        f"{live.url}/api/v1/evidence.export",
        params={"bundleId": done["bundleId"]},
        headers=admin.headers,
        timeout=30,
    )
    assert export.status_code == 200
    assert export.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files.pop("manifest.json"))["files"]
    assert manifest == {name: sha256(content).hexdigest() for name, content in files.items()}
    kept = json.loads(files["messages.json"])
    assert {m["id"]: m["msg"] for m in kept} == {m["_id"]: m["msg"] for m in seen}
    assert [e["previous"]["msg"] for e in json.loads(files["edits.json"])] == ["cheap films here"]
    with refused(403):
        victor.call_api_get("evidence.list")

    ok = live.audit_verify()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "intact" in ok.stderr

    entries = admin.call_api_get("audit.list", action="moderation.takedownRoom")["entries"]
    assert entries[0]["after"]["evidence"] == done["bundleId"]
    live.tamper(entries[0]["_id"])
    broken = live.audit_verify()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert entries[0]["_id"] in broken.stderr
