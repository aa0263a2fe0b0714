"""The realtime benchmark still runs end to end, on a handful of sockets."""

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


def test_bench_realtime_times_delivery_throughput_and_idle_memory() -> None:
    cmd = [
        *(sys.executable, "-m", "bench", "realtime", "--sockets", "1,5", "--posts", "3"),
        *("--seconds", "0.5", "--posters", "2", "--idle", "20", "--idle-seconds", "0"),
        *("--gap-ms", "0", "--bcrypt-rounds", "4"),
    ]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    written = Path(out.stdout.strip().rsplit("(written to ", 1)[1].rstrip(")"))
    report = json.loads(written.read_text())
    written.unlink()

    assert "| sockets | deliveries |" in out.stdout
    assert [r["sockets"] for r in report["latency"]] == [1, 5]
    assert [r["deliveries"] for r in report["latency"]] == [3, 15]
    assert all(r["missing"] == 0 and r["errors"] == 0 for r in report["latency"])
    throughput = report["throughput"]
    assert throughput["posts"] > 0 and throughput["post_errors"] == 0
    assert throughput["deliveries"] > 0 and throughput["lost"] == 0
    assert report["idle"]["connections"] == 20 and report["idle"]["closed_by_server"] == 0
    assert report["sockets_closed_by_server"] == 0
