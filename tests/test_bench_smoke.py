"""The benchmarks still run end to end (how fast is bench/'s business, not a test's)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).parent.parent

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(PG_URL), reason="the SQLite leg runs it; one smoke run is enough"),
]


def _bench(*args: str) -> dict[str, Any]:
    """Run `python -m bench ...`; the JSON report it wrote (removed afterwards)."""
    cmd = [sys.executable, "-m", "bench", *args, "--bcrypt-rounds", "4"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    written = Path(out.stdout.strip().rsplit("(written to ", 1)[1].rstrip(")"))
    report: dict[str, Any] = json.loads(written.read_text())
    written.unlink()
    assert "| case |" in out.stdout
    return report


def test_bench_rest_runs_and_writes_its_report() -> None:
    report = _bench("rest", "--seconds", "0.3", "--concurrency", "2")
    assert [r["case"] for r in report["rows"]] == [
        "GET /api/info",
        "GET /api/v1/me",
        "POST /api/v1/login",
    ]
    assert all(r["requests_per_s"] > 0 and r["errors"] == 0 for r in report["rows"])


def test_bench_post_runs_in_rooms_of_both_sizes() -> None:
    report = _bench(
        "post", "--members", "3,20", "--seconds", "0.3", "--concurrency", "2", "--senders", "2"
    )
    assert [r["members"] for r in report["rows"]] == [3, 20]
    assert all(r["requests"] > 0 and r["errors"] == 0 for r in report["rows"])
    assert all(r["stored_as_posted"] for r in report["rows"])
    assert report["ratio_largest_to_smallest"] is not None


def test_bench_history_seeds_then_reads_and_searches() -> None:
    report = _bench("history", "--messages", "300", "--requests", "5")
    assert report["messages"] == 300
    cases = [r["case"] for r in report["rows"]]
    assert cases[:2] == ["channels.history, latest 50", "channels.history, 50 from halfway back"]
    assert cases[2:] == [
        "chat.search, rare word",
        "chat.search, common word",
        "chat.search, two words",
    ]
    assert all(r["requests"] == 5 and r["errors"] == 0 for r in report["rows"])


def test_bench_limits_measures_each_case_with_limits_off_and_on() -> None:
    report = _bench("limits", "--seconds", "0.3", "--concurrency", "2", "--rounds", "1")
    cases = [r["case"] for r in report["rows"]]
    assert len(cases) == 6 and {c.rsplit(", ", 1)[1] for c in cases} == {"limits on", "limits off"}
    assert all(r["requests_per_s"] > 0 and r["errors"] == 0 for r in report["rows"])


def test_bench_abuse_measures_signups_and_posts_with_detectors_off_and_on() -> None:
    report = _bench(
        "abuse", "--seconds", "0.3", "--concurrency", "2", "--rounds", "1", "--calls", "5"
    )
    assert [d["calls_each"] for d in report["direct"]] == [5, 5]
    cases = [r["case"] for r in report["rows"]]
    assert len(cases) == 4
    assert {c.rsplit(", ", 1)[1] for c in cases} == {"detectors on", "detectors off"}
    assert all(r["requests_per_s"] > 0 and r["errors"] == 0 for r in report["rows"])


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_bench_web_opens_a_room_cold_and_warm() -> None:
    report = _bench("web", "--runs", "1", "--rooms", "1")
    assert [r["case"] for r in report["rows"]] == ["cold: new profile, signed in", "warm: reload"]
    cold, warm = report["rows"]
    assert cold["median_ms"] > 0 and cold["http_kb"] > warm["http_kb"]  # assets come cached
    assert list(cold["steps_median_ms"]) == ["html", "start", "settings", "me", "synced", "history"]


def test_bench_moderation_runs_over_http_and_in_process() -> None:
    report = _bench("moderation", "--seconds", "0.3", "--concurrency", "2", "--rounds", "1")
    assert [r["case"] for r in report["rows"]] == [
        "GET channels.history (50), this checkout",
        "POST chat.postMessage, this checkout",
        "POST users.setActiveStatus as admin, this checkout",
    ]
    assert all(r["requests"] > 0 and r["errors"] == 0 for r in report["rows"])
    report = _bench("moderation", "--in-process", "--calls", "20", "--rounds", "1")
    cases = {r["case"] for r in report["rows"]}
    assert "one audit entry in a transaction, this checkout" in cases
    assert all(r["cpu_us_per_call"] > 0 for r in report["rows"])
