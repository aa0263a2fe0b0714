"""The benchmark still runs end to end (how fast is bench/'s business, not a test's)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).parent.parent


@pytest.mark.e2e
@pytest.mark.skipif(bool(PG_URL), reason="the SQLite leg runs it; one smoke run is enough")
def test_bench_rest_runs_and_writes_its_report() -> None:
    cmd = [
        sys.executable,
        "-m",
        "bench",
        "rest",
        "--seconds",
        "0.3",
        "--concurrency",
        "2",
        "--bcrypt-rounds",
        "4",
    ]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    written = out.stdout.strip().rsplit("(written to ", 1)[1].rstrip(")")
    report = json.loads(Path(written).read_text())
    assert [r["case"] for r in report["rows"]] == [
        "GET /api/info",
        "GET /api/v1/me",
        "POST /api/v1/login",
    ]
    assert all(r["requests_per_s"] > 0 and r["errors"] == 0 for r in report["rows"])
    Path(written).unlink()
