"""Scenario `rest`: requests/s and latency of login and `me` on one server process."""

import asyncio
import json
from typing import Any

from bench.http_load import Request, Result, load
from bench.server import ADMIN_PASS, ADMIN_USER, Server, login


def run(server: Server, seconds: float, concurrency: int) -> list[dict[str, Any]]:
    auth = login(server.url, ADMIN_USER, ADMIN_PASS)
    login_body = json.dumps({"user": ADMIN_USER, "password": ADMIN_PASS}).encode()
    cases = [
        ("GET /api/info", Request("GET", "/api/info")),
        ("GET /api/v1/me", Request("GET", "/api/v1/me", headers=auth)),
        ("POST /api/v1/login", Request("POST", "/api/v1/login", body=login_body)),
    ]
    rows = []
    for name, request in cases:
        cpu0 = server.cpu_seconds()
        result = asyncio.run(load(server.url, request, seconds, concurrency))
        rows.append(row(name, result, server, server.cpu_seconds() - cpu0))
    return rows


def row(case: str, result: Result, server: Server, cpu_seconds: float) -> dict[str, Any]:
    """One line of a report: throughput, latency, and what the server spent on it."""
    return {
        "case": case,
        "requests": result.requests,
        "requests_per_s": round(result.rate, 1),
        "median_ms": round(result.percentile(50), 2),
        "p99_ms": round(result.percentile(99), 2),
        "errors": result.errors,
        "server_cpu_percent": round(100 * cpu_seconds / result.seconds, 1) if result.seconds else 0,
        "server_rss_mb": round(server.rss_mb(), 1),
    }
