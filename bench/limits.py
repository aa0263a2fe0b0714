"""Scenario `limits`: what rate limiting costs on cheap calls. The same server is started with
every limit off, then with every limit on and counting (thresholds too high to be reached),
in turns (off, on, off, on ...); each turn measures `GET /api/v1/me` for a plain user (counted
per route and address), the same for an admin (the bypass check), and a cheap DDP method
(counted per address, user, connection and method)."""

import argparse
import asyncio
import time
from typing import Any
from urllib.parse import urlparse

from bench.ddp_client import Tally, open_socket
from bench.http_load import Request, load
from bench.rest import row
from bench.server import ADMIN_PASS, ADMIN_USER, Server, api, chinwag, login

USER, PASSWORD = "bench-user", "bench-user-pass-1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per case")
    parser.add_argument("--concurrency", type=int, default=16, help="connections or sockets")
    parser.add_argument("--rounds", type=int, default=2, help="off/on turns")


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for _ in range(args.rounds):
        for limits in (False, True):
            with chinwag(args.database_url, args.bcrypt_rounds, limits=limits) as server:
                rows += _turn(server, limits, args.seconds, args.concurrency)
    return {"rows": _merged(rows), "server_peak_rss_mb": 0.0}


def _turn(server: Server, limits: bool, seconds: float, concurrency: int) -> list[dict[str, Any]]:
    admin = login(server.url, ADMIN_USER, ADMIN_PASS)
    body = {"username": USER, "email": "u@example.com", "password": PASSWORD, "name": "U"}
    api(server.url, "POST", "/api/v1/users.create", auth=admin, body=body)
    user = login(server.url, USER, PASSWORD)
    label = "limits on" if limits else "limits off"
    out = []
    for who, auth in (("user", user), ("admin", admin)):
        cpu0 = server.cpu_seconds()
        request = Request("GET", "/api/v1/me", headers=auth)
        result = asyncio.run(load(server.url, request, seconds, concurrency))
        out.append(
            row(f"GET /api/v1/me as {who}, {label}", result, server, server.cpu_seconds() - cpu0)
        )
    cpu0 = server.cpu_seconds()
    calls, took = asyncio.run(_ddp_calls(server.url, user["X-Auth-Token"], seconds, concurrency))
    cpu = server.cpu_seconds() - cpu0
    out.append(
        {
            "case": f"DDP license:isEnterprise as user, {label}",
            "requests": calls,
            "requests_per_s": round(calls / took, 1),
            "median_ms": None,
            "p99_ms": None,
            "errors": 0,
            "server_cpu_percent": round(100 * cpu / took, 1),
            "server_rss_mb": round(server.rss_mb(), 1),
        }
    )
    return out


async def _ddp_calls(url: str, token: str, seconds: float, sockets: int) -> tuple[int, float]:
    """Each socket calls a cheap method back to back; the calls answered and the time taken."""
    where = urlparse(url)
    host, port = where.hostname or "127.0.0.1", where.port or 80
    tally = Tally()
    opened = [await open_socket(host, port, tally, token, []) for _ in range(sockets)]
    done = 0
    until = time.monotonic() + seconds

    async def loop(sock: Any) -> None:
        nonlocal done
        while time.monotonic() < until:
            await sock.call("license:isEnterprise", [])
            done += 1

    start = time.monotonic()
    await asyncio.gather(*(loop(s) for s in opened))
    took = time.monotonic() - start
    for sock in opened:
        sock.close()
    return done, took


def _merged(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per case: the turns' requests/s averaged (median of the medians kept)."""
    by_case: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_case.setdefault(r["case"], []).append(r)
    merged = []
    for _, turns in sorted(by_case.items()):
        first = dict(turns[0])
        first["requests_per_s"] = round(sum(t["requests_per_s"] for t in turns) / len(turns), 1)
        first["server_cpu_percent"] = round(
            sum(t["server_cpu_percent"] for t in turns) / len(turns), 1
        )
        first["turns"] = [t["requests_per_s"] for t in turns]
        merged.append(first)
    return merged
