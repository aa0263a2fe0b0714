"""`python -m bench rest [--seconds S] [--concurrency C] [--database-url URL]`: run a scenario,
print a Markdown table, and write JSON under bench/results/."""

import argparse
import json
import platform
import time
from pathlib import Path

from bench import rest
from bench.server import chinwag

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scenario", choices=["rest"])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each case")
    parser.add_argument("--concurrency", type=int, default=16, help="open connections")
    parser.add_argument("--database-url", help="PostgreSQL URL; SQLite in a temp dir if unset")
    parser.add_argument("--bcrypt-rounds", type=int, default=10, help="password hash cost")
    args = parser.parse_args()

    with chinwag(args.database_url, args.bcrypt_rounds) as server:
        rows = rest.run(server, args.seconds, args.concurrency)
        peak = server.peak_rss_mb()

    report = {
        "scenario": args.scenario,
        "database": "postgresql" if args.database_url else "sqlite",
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "machine": {"cpus": _cpus(), "python": platform.python_version()},
        "server_peak_rss_mb": round(peak, 1),
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{args.scenario}-{report['database']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(_markdown(report))
    print(f"\n(written to {out})")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _markdown(report: dict[str, object]) -> str:
    rows = report["rows"]
    assert isinstance(rows, list)
    head = "| case | req/s | median ms | p99 ms | errors | server CPU % | server RSS MB |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['requests_per_s']} | {r['median_ms']} | {r['p99_ms']} "
            f"| {r['errors']} | {r['server_cpu_percent']} | {r['server_rss_mb']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
