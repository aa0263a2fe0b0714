"""Scenario `rest`: requests/s and latency of login and `me` on one server process."""

import asyncio
import json
import urllib.request
from typing import Any

from bench.http_load import Request, load
from bench.server import ADMIN_PASS, ADMIN_USER, Server


def _login(url: str) -> dict[str, str]:
    body = json.dumps({"user": ADMIN_USER, "password": ADMIN_PASS}).encode()
    req = urllib.request.Request(
        f"{url}/api/v1/login", data=body, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req) as response:
        data = json.load(response)["data"]
    return {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}


def run(server: Server, seconds: float, concurrency: int) -> list[dict[str, Any]]:
    auth = _login(server.url)
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
        cpu = server.cpu_seconds() - cpu0
        rows.append(
            {
                "case": name,
                "requests_per_s": round(result.rate, 1),
                "median_ms": round(result.percentile(50), 2),
                "p99_ms": round(result.percentile(99), 2),
                "errors": result.errors,
                "server_cpu_percent": round(100 * cpu / result.seconds, 1),
                "server_rss_mb": round(server.rss_mb(), 1),
            }
        )
    return rows
