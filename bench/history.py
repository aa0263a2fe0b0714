"""Scenario `history`: one channel with many messages; latency of channels.history pages
(the latest, and a deep one halfway back) and of chat.search for a rare word, a common
word and two words, each over a few hundred requests."""

import argparse
import asyncio
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from bench import seed
from bench.corpus import Corpus
from bench.http_load import Request, load
from bench.rest import row
from bench.server import Server, api, chinwag, login

SEARCH_COUNT = 20  # a client's first page of results
PAGE = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--messages", type=int, default=1_000_000, help="messages in the room")
    parser.add_argument("--requests", type=int, default=300, help="requests per case")
    parser.add_argument("--concurrency", type=int, default=1, help="open connections")
    parser.add_argument(
        "--max-seconds", type=float, default=60.0, help="stop a case early after this long"
    )
    parser.add_argument(
        "--live-indexes",
        action="store_true",
        help="seed with every index and full-text trigger in place (slower; same end state)",
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.messages < 2:
        raise SystemExit("--messages: at least 2")
    seeded: dict[str, Any] = {}

    def prepare(url: str) -> None:
        if seed.is_postgres(url):
            seed.run(seed.recreate_postgres(url))
        mode = "live indexes" if args.live_indexes else "indexes built after"
        print(f"seeding {args.messages:,} messages ({mode})", flush=True)
        corpus = Corpus()
        seeded.update(
            seed.run(
                seed.history(url, args.messages, args.bcrypt_rounds, args.live_indexes, corpus)
            )
        )

    with chinwag(args.database_url, args.bcrypt_rounds, prepare) as server:
        auth = login(server.url, seeded["reader"], seed.PASSWORD)
        room_id = seeded["room_id"]
        n = args.messages
        halfway = seeded["first_ts"] + (n // 2) * 1000  # message n // 2 is sent at this time
        deep = min(PAGE, n // 2 - 1)
        cases = [
            ("channels.history, latest 50", _history(room_id, None), min(PAGE, n)),
            ("channels.history, 50 from halfway back", _history(room_id, halfway), deep),
            *(
                (f"chat.search, {q.name}", _search(room_id, q.text), min(q.hits, SEARCH_COUNT))
                for q in seeded["queries"]
            ),
        ]
        rows = []
        for name, request, expected in cases:
            _check(server, auth, request, expected)
            rows.append(_case(server, name, [_with(request, auth)], args))
        peak = server.peak_rss_mb()
    return {
        "messages": args.messages,
        "seed_seconds": round(seeded["seconds"], 1),
        "seed_messages_per_s": round(args.messages / seeded["seconds"]),
        "seed_mode": "live indexes" if args.live_indexes else "indexes built after",
        "queries": [{"name": q.name, "text": q.text, "hits": q.hits} for q in seeded["queries"]],
        "server_peak_rss_mb": round(peak, 1),
        "rows": rows,
    }


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")


def _history(room_id: str, latest_ms: int | None) -> Request:
    query = {"roomId": room_id, "count": str(PAGE)}
    if latest_ms is not None:
        query["latest"] = _iso(latest_ms)
    return Request("GET", f"/api/v1/channels.history?{urllib.parse.urlencode(query)}")


def _search(room_id: str, text: str) -> Request:
    query = {"roomId": room_id, "searchText": text, "count": str(SEARCH_COUNT)}
    return Request("GET", f"/api/v1/chat.search?{urllib.parse.urlencode(query)}")


def _with(request: Request, auth: dict[str, str]) -> Request:
    return Request(request.method, request.path, {**request.headers, **auth}, request.body)


def _check(server: Server, auth: dict[str, str], request: Request, expected: int) -> None:
    """The case answers with as many messages as seeded before it is timed (an empty page
    would be cheap and prove nothing)."""
    path, _, query = request.path.partition("?")
    answer = api(server.url, "GET", path, auth, query=dict(urllib.parse.parse_qsl(query)))
    if not answer.get("success") or len(answer.get("messages", ())) != expected:
        raise SystemExit(f"{request.path}: expected {expected} messages: {str(answer)[:300]}")


def _case(
    server: Server, name: str, requests: list[Request], args: argparse.Namespace
) -> dict[str, Any]:
    cpu0 = server.cpu_seconds()
    result = asyncio.run(
        load(server.url, requests, args.max_seconds, args.concurrency, args.requests)
    )
    return row(name, result, server, server.cpu_seconds() - cpu0)
