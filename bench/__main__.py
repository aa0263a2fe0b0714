"""`python -m bench rest|post|history|realtime|limits|moderation|abuse|web [options]`: run a
scenario against a fresh server, print a Markdown table, and write JSON under bench/results/."""

import argparse
import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import abuse, history, limits, moderation, post, realtime, rest, web
from bench.server import chinwag

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    scenarios = parser.add_subparsers(dest="scenario", required=True)
    rest_parser = scenarios.add_parser("rest", help="login and me: requests/s and latency")
    rest_parser.add_argument("--seconds", type=float, default=10.0, help="duration of each case")
    rest_parser.add_argument("--concurrency", type=int, default=16, help="open connections")
    post.add_arguments(scenarios.add_parser("post", help=post.__doc__))
    history.add_arguments(scenarios.add_parser("history", help=history.__doc__))
    realtime.add_arguments(scenarios.add_parser("realtime", help=realtime.__doc__))
    limits.add_arguments(scenarios.add_parser("limits", help=limits.__doc__))
    moderation.add_arguments(scenarios.add_parser("moderation", help=moderation.__doc__))
    abuse.add_arguments(scenarios.add_parser("abuse", help=abuse.__doc__))
    web.add_arguments(scenarios.add_parser("web", help=web.__doc__))
    for sub in scenarios.choices.values():
        sub.add_argument(
            "--database-url",
            help="PostgreSQL URL (post, history and realtime drop and create this database); "
            "SQLite in a temp dir if unset",
        )
        sub.add_argument(
            "--bcrypt-rounds", type=int, default=10, help="password hash cost (seeded users too)"
        )
    args = parser.parse_args()

    report: dict[str, Any] = {
        "scenario": args.scenario,
        "database": "postgresql" if args.database_url else "sqlite",
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "commit": _commit(),
        "machine": {"cpus": os.cpu_count() or 0, "python": platform.python_version()},
        # Others' work on the same cores makes figures noisy: the 1-minute load, before/after.
        "load_average": [round(os.getloadavg()[0], 2)],
        "options": {k: v for k, v in vars(args).items() if k not in ("scenario", "database_url")},
    }
    if args.scenario == "rest":
        with chinwag(args.database_url, args.bcrypt_rounds) as server:
            report["rows"] = rest.run(server, args.seconds, args.concurrency)
            report["server_peak_rss_mb"] = round(server.peak_rss_mb(), 1)
    elif args.scenario == "web":
        report |= web.run(args)
    else:
        scenario = {
            "post": post,
            "history": history,
            "realtime": realtime,
            "limits": limits,
            "moderation": moderation,
            "abuse": abuse,
        }
        report |= scenario[args.scenario].run(args)

    report["load_average"].append(round(os.getloadavg()[0], 2))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{args.scenario}-{report['database']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(realtime.markdown(report) if args.scenario == "realtime" else _markdown(report))
    print(f"\n(written to {out})")


def _commit() -> str:
    """The commit measured, with `+dirty` when the working tree differs from it."""
    here = Path(__file__).parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=here
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=here,
        ).stdout.strip()
    except OSError:
        return ""
    return f"{head}+dirty" if head and dirty else head


def _markdown(report: dict[str, Any]) -> str:
    if report["scenario"] == "web":
        return web.markdown(report)
    if report["scenario"] == "abuse":
        return abuse.markdown(report)
    head = "| case | req/s | median ms | p99 ms | errors | server CPU % | server RSS MB |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for r in report["rows"]:
        cpu = r["server_cpu_percent"]
        lines.append(
            f"| {r['case']} | {r['requests_per_s']} "
            f"| {r['median_ms'] or '-'} | {r['p99_ms'] or '-'} "
            f"| {r['errors']} | {'-' if cpu is None else cpu} | {r['server_rss_mb']} |"
        )
    notes = [
        f"{report['database']}, peak server RSS {report['server_peak_rss_mb']} MB, "
        f"load average before/after {report['load_average']}"
    ]
    if "ratio_largest_to_smallest" in report:
        notes.append(
            f"messages/s ratio, largest room to smallest: {report['ratio_largest_to_smallest']}"
        )
        notes.append(f"seeded in {report['seed_seconds']} s")
    if "queries" in report:
        notes.append(
            f"seeded {report['messages']:,} messages in {report['seed_seconds']} s "
            f"({report['seed_messages_per_s']:,}/s, {report['seed_mode']})"
        )
        notes += [
            f"{q['name']}: {q['text']!r} matches {q['hits']:,} messages" for q in report["queries"]
        ]
    return "\n".join([*lines, "", *(f"- {n}" for n in notes)])


if __name__ == "__main__":
    main()
