"""Scenario `moderation`: what the audit trail adds to an admin action and what the
shadow-restriction checks add to posting and reading. The same cases run against the code
before moderation (`--before-src`, a `src` directory of the older checkout, e.g. main's) and
after (this checkout), in turns: `users.setActiveStatus` (one audit entry each), posting
with `chat.postMessage`, and reading `channels.history`. Over HTTP against a server by
default; with `--in-process`, the actions called directly and timed in CPU, which a busy
machine disturbs less."""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench import seed
from bench.http_load import Request, load
from bench.limits import _merged
from bench.rest import row
from bench.server import ADMIN_PASS, ADMIN_USER, Server, api, chinwag, login

USER, PASSWORD = "bench-user", "bench-user-pass-1"
TARGET = "bench-target"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=6.0, help="measured time per case")
    parser.add_argument("--concurrency", type=int, default=8, help="open connections")
    parser.add_argument("--rounds", type=int, default=2, help="before/after turns")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="call the actions in a worker process and time them in CPU (bench/moderation_worker)",
    )
    parser.add_argument("--calls", type=int, default=1000, help="calls per case (--in-process)")
    parser.add_argument(
        "--before-src",
        help="src directory of the code to compare with (omit to measure this checkout only)",
    )


@contextmanager
def _code(src: str | None) -> Iterator[None]:
    """Run the server from `src` (PYTHONPATH first), or from the installed package."""
    saved = os.environ.get("PYTHONPATH")
    if src:
        os.environ["PYTHONPATH"] = src
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.in_process:
        return _in_process(args)
    rows: list[dict[str, Any]] = []
    versions = [("before", args.before_src), ("after", None)] if args.before_src else []
    for _ in range(args.rounds):
        for label, src in versions or [("this checkout", None)]:
            if args.database_url:  # each side migrates a fresh database its own way
                seed.run(seed.recreate_postgres(args.database_url))
            with _code(src), chinwag(args.database_url, args.bcrypt_rounds) as server:
                rows += _turn(server, label, args.seconds, args.concurrency)
    return {"rows": _merged(rows), "server_peak_rss_mb": 0.0}


def _user(server: Server, admin: dict[str, str], username: str) -> dict[str, str]:
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    made = api(server.url, "POST", "/api/v1/users.create", auth=admin, body={**body, "name": "U"})
    return {"id": made["user"]["_id"]}


def _turn(server: Server, label: str, seconds: float, concurrency: int) -> list[dict[str, Any]]:
    admin = login(server.url, ADMIN_USER, ADMIN_PASS)
    target = _user(server, admin, TARGET)
    _user(server, admin, USER)
    user = login(server.url, USER, PASSWORD)
    toggles = [
        Request(
            "POST",
            "/api/v1/users.setActiveStatus",
            headers=admin,
            body=json.dumps({"userId": target["id"], "activeStatus": i % 2 == 0}).encode(),
        )
        for i in range(2)
    ]
    post = Request(
        "POST",
        "/api/v1/chat.postMessage",
        headers=user,
        body=json.dumps({"roomId": "GENERAL", "text": "hello from the benchmark"}).encode(),
    )
    read = Request("GET", "/api/v1/channels.history?roomId=GENERAL&count=50", headers=user)
    cases = (
        (f"POST users.setActiveStatus as admin, {label}", toggles),
        (f"POST chat.postMessage, {label}", [post]),
        (f"GET channels.history (50), {label}", [read]),
    )
    out = []
    for case, requests in cases:
        cpu0 = server.cpu_seconds()
        result = asyncio.run(load(server.url, requests, seconds, concurrency))
        out.append(row(case, result, server, server.cpu_seconds() - cpu0))
    return out


def _in_process(args: argparse.Namespace) -> dict[str, Any]:
    """Each turn runs bench/moderation_worker against a fresh database with one side's code;
    per case, the median over the turns of the CPU per call."""
    versions = [("before", args.before_src), ("after", None)] if args.before_src else []
    by_case: dict[str, list[float]] = {}
    calls: dict[str, float] = {}
    for _ in range(args.rounds):
        for label, src in versions or [("this checkout", None)]:
            if args.database_url:
                seed.run(seed.recreate_postgres(args.database_url))
            with _code(src):
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.moderation_worker",
                        args.database_url or "-",
                        str(args.calls),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
            for case in json.loads(done.stdout.strip().splitlines()[-1]):
                name = f"{case['case']}, {label}"
                by_case.setdefault(name, []).append(case["cpu_us"])
                calls[name] = case["python_calls"]
    rows = [
        {
            "case": case,
            "requests": args.calls * len(turns),
            "requests_per_s": round(1e6 / statistics.median(turns), 1),
            "median_ms": round(statistics.median(turns) / 1000, 3),
            "p99_ms": None,
            "errors": 0,
            "server_cpu_percent": None,
            "server_rss_mb": 0.0,
            "cpu_us_per_call": statistics.median(turns),
            "python_calls_per_call": calls[case],
            "turns": turns,
        }
        for case, turns in sorted(by_case.items())
    ]
    return {"rows": rows, "server_peak_rss_mb": 0.0}
