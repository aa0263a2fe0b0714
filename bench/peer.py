"""The peer's side of the side-by-side scenarios, driven through Matrix's client-server API:
cheap calls and sending (rest), post-to-`/sync` delay to 1, 100, 1,000 members (delivery),
and the load model (mixed) with /sync long-polls in place of DDP subscriptions."""

import asyncio
import contextlib
import random
import time
import urllib.parse
from collections.abc import Sequence
from typing import Any

import httpx
import orjson

from bench import synapse
from bench.corpus import Corpus
from bench.http_load import Request, load
from bench.load_model import (
    ACTIONS,
    DRAIN_SECONDS,
    WARMUP_SECONDS,
    Profile,
    layout,
    online_members,
    percentile,
    step_figures,
)
from bench.realtime_setup import cpu_seconds
from bench.rest import row
from bench.synapse import MSG, Homeserver, MatrixUser, Syncer

SETUP_CONCURRENCY = 8


def rest(
    server: Homeserver, seconds: float, concurrency: int, senders: int
) -> list[dict[str, Any]]:
    """whoami (Chinwag's `me`), joined_rooms (`subscriptions.get`), and sending a message
    into a room of 10 (`chat.postMessage`), each over `concurrency` keep-alive connections."""

    async def setup() -> tuple[list[MatrixUser], str]:
        async with synapse.client(server.url) as http:
            users = await synapse.register(http, server.secret, [f"rest{i}" for i in range(10)])
            room = await synapse.create_room(http, users, "bench-rest")
        return users, room

    users, room = asyncio.run(setup())
    body = orjson.dumps({"msgtype": "m.text", "body": "hello from the benchmark"})
    auth = [u.auth for u in users[: max(1, min(senders, concurrency))]]
    cases = [
        ("whoami (me)", [Request("GET", f"{MSG}/account/whoami", a) for a in auth]),
        (
            "joined_rooms (subscriptions.get)",
            [Request("GET", f"{MSG}/joined_rooms", a) for a in auth],
        ),
        (
            "send m.room.message (chat.postMessage)",
            [Request("POST", synapse.send_path(room), a, body) for a in auth],
        ),
    ]
    rows = []
    for name, requests in cases:
        cpu0 = server.cpu_seconds()
        result = asyncio.run(load(server.url, requests, seconds, concurrency))
        rows.append(row(name, result, server, server.cpu_seconds() - cpu0))
    return rows


async def delivery(
    server: Homeserver, sizes: Sequence[int], posts: int, gap_ms: float
) -> list[dict[str, Any]]:
    """One room of max(sizes) members; for each size, that many members long-poll /sync and
    one posts `posts` messages one at a time: each member's delay from the send."""
    most = max(sizes)
    async with synapse.client(server.url, connections=most + 20) as http:
        print(f"  synapse: registering {most:,} users, one room", flush=True)
        users = await synapse.register(http, server.secret, [f"d{i}" for i in range(most)])
        room = await synapse.create_room(http, users, "bench-delivery", SETUP_CONCURRENCY)
        arrivals: dict[str, Arrivals] = {}

        def heard(_room: str, event: dict[str, Any], at: float) -> None:
            body = event.get("content", {}).get("body", "")
            if body in arrivals:
                arrivals[body].add(at)

        syncers: list[Syncer] = []
        out = []
        try:
            for n in sorted(sizes):
                started = time.perf_counter()
                fresh = [Syncer(http, u, heard) for u in users[len(syncers) : n]]
                await _start(fresh)
                syncers += fresh
                print(
                    f"  synapse: {n:,} syncing ({time.perf_counter() - started:.1f} s)", flush=True
                )
                out.append(
                    await _delivery_case(server, http, users[0], room, n, posts, gap_ms, arrivals)
                )
        finally:
            await synapse.stop_all(syncers)
    return out


class Arrivals:
    """When each of `expected` members saw one message; `complete` once all have."""

    def __init__(self, expected: int) -> None:
        self.expected, self.times = expected, list[float]()
        self.complete = asyncio.Event()

    def add(self, at: float) -> None:
        self.times.append(at)
        if len(self.times) >= self.expected:
            self.complete.set()


async def _start(syncers: Sequence[Syncer]) -> None:
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)

    async def one(s: Syncer) -> None:
        async with gate:
            await s.start()

    await asyncio.gather(*(one(s) for s in syncers))


async def _delivery_case(
    server: Homeserver,
    http: httpx.AsyncClient,
    poster: MatrixUser,
    room: str,
    n: int,
    posts: int,
    gap_ms: float,
    arrivals: dict[str, Arrivals],
) -> dict[str, Any]:
    delays: list[float] = []
    answered: list[float] = []
    missing = errors = 0
    cpu, started = server.cpu_seconds(), time.perf_counter()
    for i in range(3 + posts):  # three warm-up posts
        body = f"peer{n}x{i}"
        arrivals[body] = Arrivals(n)
        sent = time.perf_counter()
        status = await synapse.send(http, poster, room, body)
        done = time.perf_counter()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(arrivals[body].complete.wait(), 10)
        got = arrivals.pop(body).times
        if i >= 3:
            delays += [(at - sent) * 1000 for at in got]
            answered.append((done - sent) * 1000)
            missing += n - len(got)
            errors += status != 200
        await asyncio.sleep(gap_ms / 1000)
    seconds = time.perf_counter() - started
    return {
        "sockets": n,
        "posts": posts,
        "deliveries": len(delays),
        "missing": missing,
        "errors": errors,
        "median_ms": percentile(delays, 50),
        "p99_ms": percentile(delays, 99),
        "post_answered_median_ms": percentile(answered, 50),
        "server_cpu_percent": round(100 * (server.cpu_seconds() - cpu) / seconds, 1),
    }


class MatrixModel:
    """The load model on Synapse: users registered and rooms joined once (the layout of
    bench/load_model.py), then steps of n users syncing and acting."""

    def __init__(self, server: Homeserver, users: int, profile: Profile) -> None:
        self.server, self.total, self.profile = server, users, profile
        self.users: list[MatrixUser] = []
        self.rooms: list[list[str]] = []  # per user, one room id per size
        self.last_event: dict[str, str] = {}  # room id -> an event id in it (for receipts)

    async def setup(self) -> None:
        async with synapse.client(self.server.url, connections=SETUP_CONCURRENCY + 4) as http:
            print(f"  synapse: registering {self.total:,} users", flush=True)
            self.users = await synapse.register(
                http, self.server.secret, [f"m{i}" for i in range(self.total)]
            )
            self.rooms = [[] for _ in self.users]
            for size, groups in zip(
                self.profile.room_sizes, layout(self.total, self.profile.room_sizes), strict=True
            ):
                print(f"  synapse: rooms of {size:,}", flush=True)
                for g in range(max(groups) + 1):
                    members = [i for i, x in enumerate(groups) if x == g]
                    rid = await synapse.create_room(
                        http, [self.users[i] for i in members], f"m{size}-{g}", SETUP_CONCURRENCY
                    )
                    for i in members:
                        self.rooms[i].append(rid)

    async def step(self, online: int, seconds: float) -> dict[str, Any]:
        delays: list[float] = []
        window = (0.0, 0.0)
        offset = time.time() - time.perf_counter()

        def heard(room_id: str, event: dict[str, Any], at: float) -> None:
            self.last_event[room_id] = event.get("event_id", "")
            body = event.get("content", {}).get("body", "")
            if body.startswith("lm"):
                sent = int(body[2 : body.index("x")]) / 1e9
                if window[0] <= sent < window[1]:
                    delays.append((at + offset - sent) * 1000)

        async with synapse.client(self.server.url, connections=2 * online + 50) as http:
            started = time.perf_counter()
            syncers = [Syncer(http, u, heard) for u in self.users[:online]]
            await _start(syncers)
            connect = time.perf_counter() - started
            window = (time.time() + WARMUP_SECONDS, time.time() + WARMUP_SECONDS + seconds)
            acting = asyncio.create_task(self._act(http, online, *window))
            await asyncio.sleep(WARMUP_SECONDS)
            rss0, cpu0, client0 = self.server.rss_mb(), self.server.cpu_seconds(), cpu_seconds()
            posts, actions, errors = await acting
            await asyncio.sleep(DRAIN_SECONDS)
            cpu, client = self.server.cpu_seconds() - cpu0, cpu_seconds() - client0
            rss = self.server.rss_mb()
            await synapse.stop_all(syncers)
        members = online_members(self.total, online, self.profile.room_sizes)
        expected = sum(members.get(p, 0) for p in posts)
        span = seconds + DRAIN_SECONDS
        return {
            "users": online,
            "seconds": seconds,
            "connect_seconds": round(connect, 2),
            "failed_connects": 0,
            **step_figures(seconds, len(posts), expected, delays, actions),
            "action_errors": errors,
            "closed_by_server": sum(s.errors for s in syncers),
            "server_cpu_percent": round(100 * cpu / span, 1),
            "server_rss_mb": round(rss, 1),
            "server_rss_before_mb": round(rss0, 1),
            "client_cpu_percent": round(100 * client / span, 1),
        }

    async def _act(
        self, http: httpx.AsyncClient, online: int, start: float, end: float
    ) -> tuple[list[tuple[int, int]], dict[str, list[float]], int]:
        rng = random.Random(99)
        rates = [self.profile.rate(a) * online / 60 for a in ACTIONS]
        texts = Corpus(seed=99).messages(500)
        groups = layout(self.total, self.profile.room_sizes)
        posts: list[tuple[int, int]] = []
        actions: dict[str, list[float]] = {}
        errors = 0
        pending: set[asyncio.Task[None]] = set()

        async def one(action: str, k: int, tier: int, text: str, counted: bool) -> None:
            nonlocal errors
            user, rid = self.users[k], self.rooms[k][tier]
            started = time.perf_counter()
            try:
                status = await self._call(http, action, user, rid, text)
            except httpx.HTTPError:
                status = 599
            if not counted:
                return
            if status >= 400:
                errors += 1
                return
            actions.setdefault(action, []).append((time.perf_counter() - started) * 1000)

        while sum(rates) > 0:
            await asyncio.sleep(rng.expovariate(sum(rates)))
            if time.time() >= end:
                break
            action = rng.choices(ACTIONS, rates)[0]
            k, tier = rng.randrange(online), rng.randrange(len(self.profile.room_sizes))
            counted = time.time() >= start
            if action == "post" and counted:
                posts.append((tier, groups[tier][k]))
            text = texts[rng.randrange(len(texts))]
            task = asyncio.create_task(one(action, k, tier, text, counted))
            pending.add(task)
            task.add_done_callback(pending.discard)
        if pending:
            await asyncio.wait(pending, timeout=30)
        return posts, actions, errors

    async def _call(
        self, http: httpx.AsyncClient, action: str, user: MatrixUser, rid: str, text: str
    ) -> int:
        room = urllib.parse.quote(rid)
        uid = urllib.parse.quote(user.user_id)
        if action == "post":
            return await synapse.send(http, user, rid, f"lm{time.time_ns()}x {text}")
        if action == "open":
            params = {"dir": "b", "limit": "50"}
            answer = await http.get(
                f"{MSG}/rooms/{room}/messages", params=params, headers=user.auth
            )
        elif action == "read":
            event = self.last_event.get(rid)
            if event is None:
                return 200  # nothing to mark read yet
            path = f"{MSG}/rooms/{room}/receipt/m.read/{urllib.parse.quote(event)}"
            answer = await http.post(path, json={}, headers=user.auth)
        elif action == "typing":
            body = {"typing": True, "timeout": 10_000}
            answer = await http.put(
                f"{MSG}/rooms/{room}/typing/{uid}", json=body, headers=user.auth
            )
        else:
            presence = random.choice(("online", "unavailable"))
            body2 = {"presence": presence}
            answer = await http.put(f"{MSG}/presence/{uid}/status", json=body2, headers=user.auth)
        return answer.status_code
