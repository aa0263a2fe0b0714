"""Scenario `post`: messages/s through REST chat.postMessage into channels of different sizes,
on one server in one run. Posting costs a fixed number of statements whatever the room
size, so the rates should be within about 10% of each other."""

import argparse
import asyncio
import json
from typing import Any

from bench import seed
from bench.corpus import Corpus
from bench.http_load import Request, Result, load
from bench.rest import row
from bench.server import Server, api, chinwag, login


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--members", default="10,10000", help="comma-separated channel sizes (default 10,10000)"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per size")
    parser.add_argument("--concurrency", type=int, default=16, help="open connections")
    parser.add_argument("--senders", type=int, default=8, help="users posting (one per connection)")
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternate the sizes this many times (ABBA...)"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(s) for s in args.members.split(",")]
    if len(set(sizes)) != len(sizes) or min(sizes) < 1:
        raise SystemExit("--members: distinct positive sizes")
    seeded: dict[str, Any] = {}

    def prepare(url: str) -> None:
        if seed.is_postgres(url):
            seed.run(seed.recreate_postgres(url))
        print(f"seeding {max(sizes):,} users and channels of {args.members} members", flush=True)
        seeded.update(seed.run(seed.members(url, sizes, args.bcrypt_rounds)))

    with chinwag(args.database_url, args.bcrypt_rounds, prepare) as server:
        senders = min(args.senders, args.concurrency, *sizes)
        auth = [login(server.url, f"bench-user-{i:05d}", seed.PASSWORD) for i in range(senders)]
        texts = Corpus().messages(args.concurrency)
        requests = {
            size: [
                _post(auth[i % senders], seeded["rooms"][size], texts[i])
                for i in range(args.concurrency)
            ]
            for size in sizes
        }
        warm = {  # not measured, but counted: every post answered with success is stored
            size: asyncio.run(load(server.url, requests[size], min(1.0, args.seconds / 10), 2))
            for size in sizes
        }
        rows = _measure(server, sizes, requests, args)
        for size, r in zip(sizes, rows, strict=True):
            posted = r["requests"] - r["errors"] + warm[size].requests - warm[size].errors
            room = {"roomId": seeded["rooms"][size]}
            info = api(server.url, "GET", "/api/v1/channels.info", auth[0], query=room)
            r["stored_as_posted"] = info["channel"]["msgs"] == posted
            r["members"] = size
        peak = server.peak_rss_mb()
    rates = [r["requests_per_s"] for r in rows]
    return {
        "members": sizes,
        "senders": senders,
        "seed_seconds": round(seeded["seconds"], 2),
        "server_peak_rss_mb": round(peak, 1),
        "ratio_largest_to_smallest": round(rates[-1] / rates[0], 3) if rates[0] else None,
        "rows": rows,
    }


def _post(auth: dict[str, str], room_id: str, text: str) -> Request:
    body = json.dumps({"roomId": room_id, "text": text}).encode()
    return Request("POST", "/api/v1/chat.postMessage", headers=auth, body=body)


def _measure(
    server: Server, sizes: list[int], requests: dict[int, list[Request]], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Each size gets `seconds` in all, split over rounds in ABBA order, so that drift (a
    growing table, a busy neighbour) lands on every size alike."""
    results: dict[int, Result] = {}
    cpu: dict[int, float] = dict.fromkeys(sizes, 0.0)
    share = args.seconds / args.rounds
    for r in range(args.rounds):
        for size in sizes if r % 2 == 0 else reversed(sizes):
            cpu0 = server.cpu_seconds()
            result = asyncio.run(load(server.url, requests[size], share, args.concurrency))
            cpu[size] += server.cpu_seconds() - cpu0
            results[size] = results[size].merge(result) if size in results else result
    return [
        row(f"chat.postMessage, {size:,} members", results[size], server, cpu[size])
        for size in sizes
    ]
