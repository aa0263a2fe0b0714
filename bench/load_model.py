"""The load model, after Rocket.Chat's own load tester: N signed-in users, each with a DDP
session subscribed to their rooms' messages and to their user streams, in rooms of mixed
sizes (every user is in one room of each size); each user posts, opens a room (history),
reads it, types and sets a status at per-user rates, all over DDP as the web client does.

Load comes from several client processes (one asyncio loop each); messages carry their
send time (wall clock, shared by every process on the machine), so each socket's arrival
gives a post-to-receive delay. A step is: connect n users, hold them for the measured
seconds, collect, disconnect."""

import asyncio
import contextlib
import multiprocessing
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench import seed
from bench.corpus import Corpus
from bench.ddp_client import DdpError, DdpSocket, Tally, open_socket, stream_params
from bench.realtime_setup import TOKEN_COLUMNS, TOKEN_DAYS, cpu_seconds, raise_fd_limit
from chinwag.domain.passwords import hash_login_token

MARK = b'"msg":"lm'  # a model message's text starts with lm<send time, ns>x
USER_EVENTS = ("message", "subscriptions-changed", "rooms-changed", "notification")
ACTIONS = ("post", "open", "read", "typing", "status")
DRAIN_SECONDS = 2.0  # after the last action: deliveries still on the way are counted
WARMUP_SECONDS = 2.0  # acting, not measured: first statements, caches, connection pools


@dataclass(frozen=True)
class Profile:
    """Per-user rates, in actions per minute, and the room sizes every user belongs to."""

    post: float = 0.5
    open: float = 1.0
    read: float = 1.0
    typing: float = 1.0
    status: float = 0.1
    room_sizes: tuple[int, ...] = (1000, 100, 10)

    def rate(self, action: str) -> float:
        rate: float = getattr(self, action)
        return rate


@dataclass(frozen=True)
class ModelUser:
    user_id: str
    username: str
    token: str
    rooms: tuple[str, ...]


def layout(users: int, sizes: Sequence[int]) -> list[list[int]]:
    """For each size, user i is in group i // size: the first n users fill whole rooms, so
    the online members of a room are the first n users' share of it."""
    return [[i // size for i in range(users)] for size in sizes]


def online_members(users: int, online: int, sizes: Sequence[int]) -> dict[tuple[int, int], int]:
    """(tier, group) -> members among the first `online` users."""
    counts: dict[tuple[int, int], int] = {}
    for tier, groups in enumerate(layout(users, sizes)):
        for i in range(online):
            counts[(tier, groups[i])] = counts.get((tier, groups[i]), 0) + 1
    return counts


async def seed_model(url: str, users: int, sizes: Sequence[int], rounds: int) -> list[ModelUser]:
    """`users` users with login tokens, and for each size its rooms, written in bulk."""
    await seed.migrate(url)
    at = seed.now_ms()
    new_id = seed.seeded_ids(random.Random(13))
    rows = seed.user_rows(users, at, rounds, new_id)
    tokens = [f"bench-model-token-{row[0]}" for row in rows]
    rooms: list[list[str]] = [[] for _ in rows]
    async with seed.Bulk(url) as bulk:
        await seed.add_users(bulk, rows)
        expires = at + TOKEN_DAYS * 86_400_000
        hashed = [(hash_login_token(t), r[0], at, expires, "") for t, r in zip(tokens, rows)]  # noqa: B905
        for start in range(0, len(hashed), 20_000):
            await bulk.insert("login_tokens", TOKEN_COLUMNS, hashed[start : start + 20_000])
        for size in sizes:
            for first in range(0, users, size):
                chunk = rows[first : first + size]
                rid = await seed.add_room(bulk, f"bench-m{size}-{first // size}", chunk, at, new_id)
                for i in range(first, first + len(chunk)):
                    rooms[i].append(rid)
    return [
        ModelUser(r[0], r[1], t, tuple(rs)) for r, t, rs in zip(rows, tokens, rooms, strict=True)
    ]


class ModelTally(Tally):
    """Counts frames and keeps the delay of each model message sent inside the window."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = time.time() - time.perf_counter()
        self.window = (0.0, 0.0)
        self.delays: list[float] = []

    def room_message(self, payload: bytes, at: float) -> None:
        self.frames += 1
        i = payload.find(MARK)
        if i < 0:
            return
        j = payload.find(b"x", i)
        sent = int(payload[i + len(MARK) : j]) / 1e9
        if self.window[0] <= sent < self.window[1]:
            self.delays.append((at + self.offset - sent) * 1000)


@dataclass
class WorkerResult:
    connect_seconds: float = 0.0
    failed_connects: int = 0
    delays_ms: list[float] = field(default_factory=list)
    posts: list[tuple[int, int]] = field(default_factory=list)  # (tier, group) of each post
    actions_ms: dict[str, list[float]] = field(default_factory=dict)
    action_errors: int = 0
    closed_by_server: int = 0
    frames: int = 0
    client_cpu_seconds: float = 0.0


@dataclass(frozen=True)
class WorkerJob:
    host: str
    port: int
    users: list[ModelUser]
    first: int  # index of users[0] among all users
    total_users: int
    profile: Profile
    setup_concurrency: int
    seed: int


def worker(job: WorkerJob, pipe: Connection) -> None:
    """One client process: connect, report ready, wait for the window, act, report."""
    raise_fd_limit(len(job.users))
    asyncio.run(_worker(job, pipe))


async def _worker(job: WorkerJob, pipe: Connection) -> None:
    tally, out = ModelTally(), WorkerResult()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    sockets = await _connect(job, tally, out)
    out.connect_seconds = time.perf_counter() - started
    pipe.send(("ready", out.connect_seconds, out.failed_connects))
    start, end = await loop.run_in_executor(None, pipe.recv)
    tally.window = (start, end)
    await asyncio.sleep(max(0.0, start - WARMUP_SECONDS - time.time()))
    warm = asyncio.create_task(_act(job, sockets, out, start, end))
    await asyncio.sleep(max(0.0, start - time.time()))
    cpu = cpu_seconds()
    await warm
    await asyncio.sleep(DRAIN_SECONDS)
    out.client_cpu_seconds = cpu_seconds() - cpu
    out.delays_ms, out.frames, out.closed_by_server = tally.delays, tally.frames, tally.closed
    for sock in sockets.values():
        sock.close()
    pipe.send(("done", out))


async def _connect(job: WorkerJob, tally: Tally, out: WorkerResult) -> dict[int, DdpSocket]:
    gate = asyncio.Semaphore(job.setup_concurrency)
    sockets: dict[int, DdpSocket] = {}

    async def one(k: int, user: ModelUser) -> None:
        subs = [("stream-room-messages", stream_params(rid)) for rid in user.rooms]
        subs += [("stream-notify-user", stream_params(f"{user.user_id}/{e}")) for e in USER_EVENTS]
        async with gate:
            try:
                sockets[k] = await open_socket(job.host, job.port, tally, user.token, subs)
            except (DdpError, OSError, TimeoutError):
                out.failed_connects += 1

    await asyncio.gather(*(one(k, u) for k, u in enumerate(job.users)))
    return sockets


async def _act(
    job: WorkerJob, sockets: dict[int, DdpSocket], out: WorkerResult, start: float, end: float
) -> None:
    """One Poisson stream of actions for all this process's users (open loop: an action
    does not wait for the previous one's answer); counted from `start`."""
    rng = random.Random(job.seed)
    rates = [job.profile.rate(a) * len(sockets) / 60 for a in ACTIONS]
    total = sum(rates)
    texts = Corpus(seed=job.seed).messages(500)
    pending: set[asyncio.Task[None]] = set()
    keys = list(sockets)
    while keys and total > 0:
        await asyncio.sleep(rng.expovariate(total))
        if time.time() >= end:
            break
        action = rng.choices(ACTIONS, rates)[0]
        k = rng.choice(keys)
        tier = rng.randrange(len(job.users[k].rooms))
        text = texts[rng.randrange(len(texts))]
        counted = out if time.time() >= start else WorkerResult()
        task = asyncio.create_task(_one(job, sockets[k], k, tier, action, text, counted))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.wait(pending, timeout=10)


async def _one(
    job: WorkerJob, sock: DdpSocket, k: int, tier: int, action: str, text: str, out: WorkerResult
) -> None:
    user = job.users[k]
    rid = user.rooms[tier]
    if action == "post":
        group = (job.first + k) // job.profile.room_sizes[tier]
        out.posts.append((tier, group))
        method, params = "sendMessage", [{"rid": rid, "msg": f"lm{time.time_ns()}x {text}"}]
    elif action == "open":
        method, params = "loadHistory", [rid, None, 50, None]
    elif action == "read":
        method, params = "readMessages", [rid]
    elif action == "typing":
        method, params = (
            "stream-notify-room",
            [f"{rid}/user-activity", user.username, ["user-typing"], {}],
        )
    else:
        method, params = (
            "UserPresence:setDefaultStatus",
            [random.choice(("online", "away", "busy"))],
        )
    started = time.perf_counter()
    try:
        await sock.call(method, params, limit=30.0)
    except (DdpError, TimeoutError):
        out.action_errors += 1
        return
    out.actions_ms.setdefault(action, []).append((time.perf_counter() - started) * 1000)


def run_step(
    host: str,
    port: int,
    users: list[ModelUser],
    online: int,
    profile: Profile,
    seconds: float,
    clients: int,
    setup_concurrency: int,
    server: Any,
) -> dict[str, Any]:
    """Connect the first `online` users from `clients` processes, hold the load for
    `seconds`, and summarise: delivery delays, action answer times, server CPU and RSS."""
    context = multiprocessing.get_context("fork")
    share = -(-online // clients)
    pipes, procs = [], []
    for c in range(clients):
        first = c * share
        if first >= online:
            break
        job = WorkerJob(
            host,
            port,
            users[first : min(online, first + share)],
            first,
            len(users),
            profile,
            max(1, setup_concurrency // clients),
            1000 + c,
        )
        here, there = context.Pipe()
        proc = context.Process(target=worker, args=(job, there), daemon=True)
        proc.start()
        pipes.append(here)
        procs.append(proc)
    try:
        ready = [pipe.recv() for pipe in pipes]
        start = time.time() + WARMUP_SECONDS + 0.5
        for pipe in pipes:
            pipe.send((start, start + seconds))
        time.sleep(max(0.0, start - time.time()))
        cpu0, rss0 = server.cpu_seconds(), server.rss_mb()
        results: list[WorkerResult] = [pipe.recv()[1] for pipe in pipes]
        cpu = server.cpu_seconds() - cpu0
        rss = server.rss_mb()
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    return summarise(users, online, profile, seconds, ready, results, cpu, rss, rss0)


def step_figures(
    seconds: float, posts: int, expected: int, delays: list[float], actions: dict[str, list[float]]
) -> dict[str, Any]:
    """A step's posts, deliveries and action timings, alike for Chinwag and the peer."""
    return {
        "posts": posts,
        "posts_per_s": round(posts / seconds, 1),
        "deliveries": len(delays),
        "deliveries_per_s": round(len(delays) / seconds),
        "missing": max(0, expected - len(delays)),
        "delivery_median_ms": percentile(delays, 50),
        "delivery_p99_ms": percentile(delays, 99),
        "actions": {
            name: {"count": len(v), "median_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
            for name, v in sorted(actions.items())
        },
    }


def summarise(
    users: list[ModelUser],
    online: int,
    profile: Profile,
    seconds: float,
    ready: list[Any],
    results: list[WorkerResult],
    cpu: float,
    rss: float,
    rss_before: float,
) -> dict[str, Any]:
    members = online_members(len(users), online, profile.room_sizes)
    posts = [p for r in results for p in r.posts]
    expected = sum(members.get(p, 0) for p in posts)
    delays = [d for r in results for d in r.delays_ms]
    actions: dict[str, list[float]] = {}
    for r in results:
        for name, values in r.actions_ms.items():
            actions.setdefault(name, []).extend(values)
    return {
        "users": online,
        "seconds": seconds,
        "connect_seconds": round(max(x[1] for x in ready), 2),
        "failed_connects": sum(x[2] for x in ready),
        **step_figures(seconds, len(posts), expected, delays, actions),
        "action_errors": sum(r.action_errors for r in results),
        "closed_by_server": sum(r.closed_by_server for r in results),
        "server_cpu_percent": round(100 * cpu / (seconds + DRAIN_SECONDS), 1),
        "server_rss_mb": round(rss, 1),
        "server_rss_before_mb": round(rss_before, 1),
        "client_cpu_percent": round(
            100 * sum(r.client_cpu_seconds for r in results) / (seconds + DRAIN_SECONDS), 1
        ),
    }


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 2)


async def settle(server: Any, limit: float = 60.0) -> None:
    """Wait until the server is nearly idle (sockets just closed are presence changes)."""
    deadline, before = time.perf_counter() + limit, server.cpu_seconds()
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
        now = server.cpu_seconds()
        if now - before < 0.05:
            return
        before = now


def quiet(server: Any) -> None:
    with contextlib.suppress(Exception):
        asyncio.run(settle(server))
