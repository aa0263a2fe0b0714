"""`python -m bench run` still runs every scenario end to end, side by side with Synapse, and
writes its report, summary and plots (how fast is bench/'s business, not a test's)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).parent.parent

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(PG_URL), reason="the SQLite leg runs it; one smoke run is enough"),
]

TINY = [
    *("--seconds", "0.3", "--concurrency", "2"),
    *("--sockets", "1,4", "--posts", "2", "--gap-ms", "0"),
    *("--idle", "10", "--idle-seconds", "0"),
    *("--users", "6,12", "--peer-users", "6", "--step-seconds", "1", "--clients", "2"),
    *("--room-sizes", "6,3", "--post-rate", "60", "--open-rate", "10", "--read-rate", "10"),
    *("--typing-rate", "30", "--status-rate", "30"),
    *("--messages", "200", "--requests", "3"),
    *("--bcrypt-rounds", "4"),
]


def _peer_reason() -> str | None:
    """Why Synapse cannot take part here, or None when its virtualenv builds."""
    from bench import synapse

    try:
        synapse.python()
    except synapse.SynapseUnavailable as error:
        return str(error)
    return None


def test_bench_run_covers_every_scenario_with_the_peer(tmp_path: Path) -> None:
    reason = _peer_reason()
    if reason is not None:
        pytest.skip(f"Synapse venv cannot be built: {reason}")
    cmd = [sys.executable, "-m", "bench", "run", "all", *TINY, "--out", str(tmp_path)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    results = report["results"]

    assert set(results) == {"rest", "delivery", "idle", "mixed", "history"}
    assert report["peer"]["name"].startswith("Matrix Synapse")
    ours = results["rest"]["chinwag"]["sqlite"][0]["rows"]
    theirs = results["rest"]["synapse"][0]["rows"]
    assert [r["case"] for r in ours] == ["me", "subscriptions.get", "chat.postMessage"]
    assert all(r["requests"] > 0 and r["errors"] == 0 for r in ours + theirs)

    for side in (results["delivery"]["chinwag"]["sqlite"][0], results["delivery"]["synapse"][0]):
        assert [r["sockets"] for r in side["latency"]] == [1, 4]
        assert all(
            r["deliveries"] == 2 * r["sockets"] and r["missing"] == 0 for r in side["latency"]
        )

    idle = results["idle"]["chinwag"]["sqlite"]
    assert idle["connections"] == 10 and idle["closed_by_server"] == 0

    mixed = results["mixed"]
    steps = mixed["chinwag"]["sqlite"]
    assert steps[0]["users"] == 6 and steps[0]["failed_connects"] == 0
    assert all(s["posts"] > 0 and s["deliveries"] > 0 for s in steps)
    assert {a for s in steps for a in s["actions"]} == {"post", "open", "read", "typing", "status"}
    assert all(s["action_errors"] == 0 and s["missing"] == 0 for s in steps)
    assert mixed["synapse"] and mixed["synapse"][0]["deliveries"] > 0

    assert results["history"]["chinwag"]["sqlite"]["messages"] == 200
    assert all(r["errors"] == 0 for r in results["history"]["chinwag"]["sqlite"]["rows"])

    summary = (tmp_path / "summary.md").read_text()
    assert "## Goals" in summary and "| Synapse |" in summary
    assert "Chinwag ahead of Synapse on every shared measurement (sqlite, 6 of them)" in summary
    assert sorted(report["plots"]) == ["delivery.png", "history.png", "mixed.png", "rest.png"]
    assert all((tmp_path / p).read_bytes()[:4] == b"\x89PNG" for p in report["plots"])


def test_bench_run_without_the_peer_says_so(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "bench", "run", "rest", "--no-peer", *TINY, "--out", str(tmp_path)]
    subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["results"]["rest"]["synapse"] == []
    assert "Synapse" not in (tmp_path / "summary.md").read_text().split("## Goals")[1]
