"""Scenario `abuse`: what the abuse detectors cost, with every detector off and then on and
counting (thresholds too high to be reached): sign-ups through an invite link (counted per
link, overall, per network and per email domain, and checked against a sign-up burst in the
database) and posts to a direct message by a young account (checked for a room shared with
the other side: the detectors' dearest path for posting). First inside one process, each
call alternating off and on (the added time, free of HTTP and of the load generator); then
over HTTP, the same server started off, then on, in turns."""

import argparse
import asyncio
import itertools
import json
from typing import Any

from bench import abuse_direct
from bench.http_load import Request, load
from bench.limits import _merged
from bench.rest import row
from bench.server import ADMIN_PASS, ADMIN_USER, Server, api, chinwag, login

BIG = str(10**9)
DETECTORS_OFF = {
    "Invites_Pause_After_Joins": "0",
    "Accounts_Signup_Burst_Per_Minute": "0",
    "Accounts_Signup_Burst_Per_Network_Per_Minute": "0",
    "Accounts_Signup_Burst_Per_Domain_Per_Minute": "0",
    "Accounts_Min_Age_To_Message_Strangers_Minutes": "0",
    "Rooms_Created_Per_User_Per_Hour": "0",
    "Rooms_Created_Per_User_Per_Day": "0",
    "Accounts_RegistrationForm": "Secret URL",
}
DETECTORS_ON = {
    **DETECTORS_OFF,
    "Invites_Pause_After_Joins": BIG,
    "Accounts_Signup_Burst_Per_Minute": BIG,
    "Accounts_Signup_Burst_Per_Network_Per_Minute": BIG,
    "Accounts_Signup_Burst_Per_Domain_Per_Minute": BIG,
    "Accounts_Min_Age_To_Message_Strangers_Minutes": BIG,  # every sender is young
}
PASSWORD = "bench-user-pass-1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per case")
    parser.add_argument("--concurrency", type=int, default=8, help="open connections")
    parser.add_argument("--rounds", type=int, default=2, help="off/on turns")
    parser.add_argument("--calls", type=int, default=1000, help="in-process calls each way")


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.database_url:
        raise SystemExit("abuse: SQLite only (each turn needs a fresh database)")
    public = {"Accounts_RegistrationForm": "Public", "Accounts_Registration_Per_IP_Per_Day": "0"}
    direct = abuse_direct.run(
        args.calls, args.bcrypt_rounds, DETECTORS_OFF | public, DETECTORS_ON | public
    )
    rows: list[dict[str, Any]] = []
    for _ in range(args.rounds):
        for on in (False, True):
            settings = DETECTORS_ON if on else DETECTORS_OFF
            with chinwag(None, args.bcrypt_rounds, settings=settings) as server:
                rows += _turn(server, on, args.seconds, args.concurrency)
    return {"direct": direct, "rows": _merged(rows), "server_peak_rss_mb": 0.0}


def markdown(report: dict[str, Any]) -> str:
    head = "| case, in one process | median µs, off | median µs, on | added µs |"
    lines = [head, "|---|---:|---:|---:|"]
    for d in report["direct"]:
        lines.append(
            f"| {d['case']} ({d['calls_each']} calls each) | {d['median_us_off']} "
            f"| {d['median_us_on']} | {d['added_us']} |"
        )
    lines += ["", "| case | req/s | median ms | p99 ms | errors | server µs CPU each |"]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for r in report["rows"]:
        rate = r["requests_per_s"]
        cpu = round(r["server_cpu_percent"] / 100 / rate * 1e6) if rate else "-"
        lines.append(
            f"| {r['case']} | {rate} | {r['median_ms']} | {r['p99_ms']} | {r['errors']} | {cpu} |"
        )
    lines += ["", f"- {report['database']}, load average before/after {report['load_average']}"]
    return "\n".join(lines)


def _turn(server: Server, on: bool, seconds: float, concurrency: int) -> list[dict[str, Any]]:
    admin = login(server.url, ADMIN_USER, ADMIN_PASS)
    label = "detectors on" if on else "detectors off"
    invite = api(
        server.url,
        "POST",
        "/api/v1/findOrCreateInvite",
        auth=admin,
        body={"rid": "GENERAL", "days": 0, "maxUses": 0},
    )
    numbers = itertools.count()

    def sign_up() -> Request:
        n = next(numbers)
        body = {
            "username": f"newcomer-{n}",
            "email": f"newcomer-{n}@example.com",
            "pass": PASSWORD,
            "name": "Newcomer",
            "secretURL": invite["_id"],
        }
        return Request("POST", "/api/v1/users.register", body=json.dumps(body).encode())

    asyncio.run(load(server.url, sign_up, min(1.0, seconds / 8), 2))  # warm-up, not counted
    cpu0 = server.cpu_seconds()
    result = asyncio.run(load(server.url, sign_up, seconds, concurrency))
    case = f"POST users.register via invite, {label}"
    out = [row(case, result, server, server.cpu_seconds() - cpu0)]

    senders = [_young_user(server, admin, f"sender-{i}") for i in range(concurrency)]
    _young_user(server, admin, "receiver")
    posts = []
    for i, auth in enumerate(senders):
        dm = api(server.url, "POST", "/api/v1/im.create", auth, body={"username": "receiver"})
        message = {"message": {"rid": dm["room"]["_id"], "msg": f"hello {i}"}}
        body = json.dumps(message).encode()
        posts.append(Request("POST", "/api/v1/chat.sendMessage", headers=auth, body=body))
    asyncio.run(load(server.url, posts, min(1.0, seconds / 8), 2))  # warm-up
    cpu0 = server.cpu_seconds()
    result = asyncio.run(load(server.url, posts, seconds, concurrency))
    case = f"POST chat.sendMessage to a DM, young sender, {label}"
    out.append(row(case, result, server, server.cpu_seconds() - cpu0))
    return out


def _young_user(server: Server, admin: dict[str, str], username: str) -> dict[str, str]:
    body = {
        "username": username,
        "email": f"{username}@example.com",
        "password": PASSWORD,
        "name": username,
    }
    api(server.url, "POST", "/api/v1/users.create", auth=admin, body=body)
    return login(server.url, username, PASSWORD)
