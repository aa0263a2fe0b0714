"""Scenario `scale`: the same realtime load on one, two and four `chinwag serve` processes
sharing one PostgreSQL and one Redis. Sockets and posters are spread round-robin over the
processes, so most deliveries cross Redis; deliveries per second and the p99 delay from
just before a POST was written to each socket's frame."""

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from bench import seed
from bench.corpus import Corpus
from bench.ddp_client import DdpSocket, Tally, open_socket, stream_params
from bench.realtime_setup import Member, Poster, cpu_seconds, raise_fd_limit, seed_members
from bench.server import ADMIN_PASS, ADMIN_USER, UNLIMITED, Server, _wait, free_port

STAMP = re.compile(rb'"msg":"s(\d+) ')  # the post's send time, in ns of perf_counter
DELIVERY_TIMEOUT = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--processes", default="1,2,4", help="server processes per case")
    parser.add_argument("--sockets", type=int, default=600, help="subscribed sockets in all")
    parser.add_argument("--room-size", type=int, default=100, help="members (sockets) per room")
    parser.add_argument("--posters", type=int, default=4, help="concurrent posters (one a room)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured posting time")
    parser.add_argument(
        "--redis-url", help="Redis to share (default: a private redis-server on a free port)"
    )
    parser.add_argument(
        "--setup-concurrency", type=int, default=50, help="sockets being opened at once"
    )


class TimedTally(Tally):
    """Counts frames, and while recording, each frame's delay from its post's stamp."""

    def __init__(self) -> None:
        super().__init__()
        self.recording = False
        self.delays: list[float] = []

    def room_message(self, payload: bytes, at: float) -> None:
        super().room_message(payload, at)
        if self.recording and (found := STAMP.search(payload)):
            self.delays.append(at - int(found[1]) / 1e9)


def run(args: argparse.Namespace) -> dict[str, Any]:
    if not args.database_url or not seed.is_postgres(args.database_url):
        raise SystemExit("scale: --database-url postgresql://... (every process shares it)")
    counts = [int(n) for n in args.processes.split(",")]
    if args.posters * args.room_size > args.sockets:
        raise SystemExit("--posters x --room-size must not exceed --sockets")
    raise_fd_limit(args.sockets + 100)
    cases = []
    with _redis(args.redis_url) as redis_url:
        for n in counts:
            print(f"{n} process(es): seeding, starting, {args.sockets} sockets", flush=True)
            seed.run(seed.recreate_postgres(args.database_url))
            members = seed.run(
                seed_members(args.database_url, args.sockets, args.room_size, args.bcrypt_rounds)
            )
            with _cluster(n, args.database_url, redis_url, args.bcrypt_rounds) as servers:
                case = asyncio.run(_measure(servers, members, args))
            cases.append({"processes": n, **case})
            print(f"  {case['deliveries_per_s']:,} deliveries/s, p99 {case['p99_ms']} ms")
    base = cases[0]["deliveries_per_s"] or 1
    for case in cases:
        case["ratio_to_first"] = round(case["deliveries_per_s"] / base, 2)
    return {"cases": cases, "redis": "private redis-server" if not args.redis_url else "given"}


@contextlib.contextmanager
def _redis(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("scale: redis-server is not installed; pass --redis-url")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.3)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait()


@contextlib.contextmanager
def _cluster(count: int, database_url: str, redis_url: str, rounds: int) -> Iterator[list[Server]]:
    """`count` servers on free ports, started together on the shared database and Redis."""
    with tempfile.TemporaryDirectory(prefix="chinwag-scale-") as data:
        env = {
            **os.environ,
            "ADMIN_USERNAME": ADMIN_USER,
            "ADMIN_PASS": ADMIN_PASS,
            "ADMIN_EMAIL": "bench@example.com",
            "CHINWAG_BCRYPT_ROUNDS": str(rounds),
            "CHINWAG_LOG_LEVEL": "warning",
            "CHINWAG_DATABASE_URL": database_url,
            "CHINWAG_REDIS_URL": redis_url,
            **{f"OVERWRITE_SETTING_{k}": v for k, v in UNLIMITED.items()},
        }
        procs, servers = [], []
        for i in range(count):
            port = free_port()
            log = open(os.path.join(data, f"server{i}.log"), "wb")  # noqa: SIM115
            cmd = [sys.executable, "-m", "chinwag", "serve", "--port", str(port), "--data", data]
            procs.append((subprocess.Popen(cmd, env=env, stdout=log, stderr=log), log))
            servers.append(Server(url=f"http://127.0.0.1:{port}", pid=procs[-1][0].pid))
        try:
            for server, (proc, _) in zip(servers, procs, strict=True):
                _wait(server.url, proc)
            yield servers
        finally:
            for proc, _ in procs:
                proc.terminate()
            for i, (proc, log) in enumerate(procs):
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    print(f"server {i} still running 30 s after SIGTERM: killed", file=sys.stderr)
                    proc.kill()
                    proc.wait()
                log.close()


async def _measure(
    servers: list[Server], members: list[Member], args: argparse.Namespace
) -> dict[str, Any]:
    tally = TimedTally()
    sockets: list[DdpSocket] = []
    gate = asyncio.Semaphore(args.setup_concurrency)

    async def one(i: int, member: Member) -> DdpSocket:
        where = urlsplit(servers[i % len(servers)].url)
        subs = [("stream-room-messages", stream_params(member.room_id))]
        async with gate:
            return await open_socket(
                where.hostname or "127.0.0.1", where.port or 80, tally, member.token, subs
            )

    sockets = list(await asyncio.gather(*(one(i, m) for i, m in enumerate(members))))
    room_first = members[:: args.room_size][: args.posters]
    posters = [
        await Poster(servers[(k + 1) % len(servers)].url, m).open()
        for k, m in enumerate(room_first)
    ]
    texts = Corpus(seed=23).messages(500)
    counts = {"ok": 0, "errors": 0}

    async def post_until(k: int, poster: Poster, until: float) -> None:
        i = k
        while time.perf_counter() < until:
            stamp = time.perf_counter_ns()
            status = await poster.post(f"s{stamp} {texts[i % len(texts)]}")
            counts["ok" if status == 200 else "errors"] += 1
            i += len(posters)

    async def burst(seconds: float) -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(post_until(k, p, until) for k, p in enumerate(posters)))

    try:
        await burst(min(1.0, args.seconds / 5))  # warm-up, not measured
        await tally.reach(counts["ok"] * args.room_size, DELIVERY_TIMEOUT)
        frames, posts = tally.frames, counts["ok"]
        cpu = [s.cpu_seconds() for s in servers]
        client_cpu, started = cpu_seconds(), time.perf_counter()
        tally.recording = True
        await burst(args.seconds)
        seconds = time.perf_counter() - started
        posted = counts["ok"] - posts
        await tally.reach(frames + posted * args.room_size, DELIVERY_TIMEOUT)
        tally.recording = False
        delivered = tally.frames - frames
        server_cpu = sum(s.cpu_seconds() for s in servers) - sum(cpu)
        client_cpu = cpu_seconds() - client_cpu
    finally:
        for poster in posters:
            poster.close()
        for sock in sockets:
            sock.close()
    delays = sorted(d * 1000 for d in tally.delays)
    return {
        "sockets": len(sockets),
        "posters": len(posters),
        "seconds": round(seconds, 2),
        "posts_per_s": round(posted / seconds, 1),
        "post_errors": counts["errors"],
        "deliveries_per_s": round(delivered / seconds),
        "lost": posted * args.room_size - delivered,
        "median_ms": _percentile(delays, 50),
        "p99_ms": _percentile(delays, 99),
        "servers_cpu_percent": round(100 * server_cpu / seconds, 1),
        "client_cpu_percent": round(100 * client_cpu / seconds, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


def _percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 2)


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| processes | sockets | posts/s | deliveries/s | vs one process | median ms | p99 ms "
        "| lost | servers CPU % | client CPU % | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in report["cases"]:
        lines.append(
            f"| {c['processes']} | {c['sockets']:,} | {c['posts_per_s']} "
            f"| {c['deliveries_per_s']:,} | {c['ratio_to_first']} | {c['median_ms']} "
            f"| {c['p99_ms']} | {c['lost']} | {c['servers_cpu_percent']} "
            f"| {c['client_cpu_percent']} | {c['load_average']} |"
        )
    notes = [
        f"PostgreSQL + Redis ({report['redis']}), one load-generating process on the same "
        f"machine; load average before/after {report['load_average']}"
    ]
    return "\n".join([*lines, "", *(f"- {n}" for n in notes)])
