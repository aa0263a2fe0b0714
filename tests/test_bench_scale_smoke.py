"""The scale benchmark still runs end to end, on a handful of sockets over two processes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL

ROOT = Path(__file__).parent.parent

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not PG_URL, reason="several processes need PostgreSQL (the PG leg)"),
]


def test_bench_scale_counts_deliveries_across_processes() -> None:
    assert PG_URL
    url = sa.make_url(PG_URL)
    bench_db = url.set(database=f"{url.database}_bench_scale").render_as_string(False)
    cmd = [
        *(sys.executable, "-m", "bench", "scale", "--database-url", bench_db),
        *("--processes", "1,2", "--sockets", "12", "--room-size", "6", "--posters", "2"),
        *("--seconds", "0.5", "--bcrypt-rounds", "4"),
    ]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    written = Path(out.stdout.strip().rsplit("(written to ", 1)[1].rstrip(")"))
    report = json.loads(written.read_text())
    written.unlink()

    assert "| processes | sockets |" in out.stdout
    assert [c["processes"] for c in report["cases"]] == [1, 2]
    for case in report["cases"]:
        assert case["sockets"] == 12 and case["post_errors"] == 0
        assert case["deliveries_per_s"] > 0 and case["lost"] == 0
        assert case["p99_ms"] >= case["median_ms"] > 0
