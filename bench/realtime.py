"""Scenario `realtime`: DDP fan-out on one server process. How long a REST post takes to
reach 1, 100 and 1,000 subscribed sockets; how many stream frames a second the process
delivers under sustained posting; how much memory an idle logged-in socket holds."""

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import seed
from bench.corpus import Corpus
from bench.ddp_client import stream_params
from bench.realtime_setup import Fleet, Member, Poster, cpu_seconds, raise_fd_limit, seed_members
from bench.server import Server, chinwag

PARTS = ("latency", "throughput", "idle")
WARMUP_POSTS = 3
DELIVERY_TIMEOUT = 10.0
IDLE_WARM = 100  # sockets opened before the idle baseline, so that one-off costs are excluded
USER_EVENTS = ("message", "subscriptions-changed", "rooms-changed")
SATURATED = 90.0  # client CPU % above which the client, not the server, may be the limit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parts", default=",".join(PARTS), help="which parts to run")
    parser.add_argument("--sockets", default="1,100,1000", help="subscribed sockets per case")
    parser.add_argument("--posts", type=int, default=50, help="timed posts per case")
    parser.add_argument(
        "--gap-ms", type=float, default=50.0, help="pause after a post has reached every socket"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="sustained posting time")
    parser.add_argument("--posters", type=int, default=4, help="concurrent posting connections")
    parser.add_argument(
        "--throughput-sockets", type=int, help="sockets for the sustained part (default: most)"
    )
    parser.add_argument("--idle", type=int, default=5000, help="idle connections to open")
    parser.add_argument(
        "--idle-room-size", type=int, default=100, help="members per room for idle users"
    )
    parser.add_argument(
        "--idle-seconds", type=float, default=10.0, help="idle time before reading RSS"
    )
    parser.add_argument(
        "--deflate", action="store_true", help="offer permessage-deflate, as browsers do"
    )
    parser.add_argument(
        "--setup-concurrency", type=int, default=50, help="sockets being opened at once"
    )
    parser.add_argument(
        "--profile", help="write py-spy raw stacks of the server during the sustained part here"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    parts = args.parts.split(",")
    if not set(parts) <= set(PARTS):
        raise SystemExit(f"--parts: some of {','.join(PARTS)}")
    sizes = sorted({int(s) for s in args.sockets.split(",")})
    if min(sizes) < 1 or args.posters < 1:
        raise SystemExit("--sockets, --posters: positive numbers")
    wide = args.throughput_sockets or max(sizes)
    raise_fd_limit(max(wide, *sizes, args.idle))
    report: dict[str, Any] = {"deflate": args.deflate, "parts": parts, "source": _source()}
    if "latency" in parts or "throughput" in parts:
        users = max(wide, args.posters, *sizes)
        members = _Seeded(args, users, users)
        with chinwag(args.database_url, args.bcrypt_rounds, members.prepare) as server:
            report |= _run(_fanout(server, members.list, sizes, wide, parts, args))
            report["fanout_server_peak_rss_mb"] = round(server.peak_rss_mb(), 1)
    if "idle" in parts and args.idle > 0:
        members = _Seeded(args, args.idle, args.idle_room_size)
        with chinwag(args.database_url, args.bcrypt_rounds, members.prepare) as server:
            report["idle"] = _run(_idle(server, members.list, args))
    return report


class _Seeded:
    """Seeds a server's database before it starts; the members it wrote."""

    def __init__(self, args: argparse.Namespace, users: int, room_size: int) -> None:
        self.args, self.users, self.room_size = args, users, room_size
        self.list: list[Member] = []

    def prepare(self, url: str) -> None:
        if seed.is_postgres(url):
            seed.run(seed.recreate_postgres(url))
        print(f"seeding {self.users:,} users with tokens, rooms of {self.room_size:,}", flush=True)
        self.list = seed.run(seed_members(url, self.users, self.room_size, self.args.bcrypt_rounds))


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """On uvloop when it is there (the server runs on it too): a leaner client."""
    try:
        import uvloop

        factory: Any = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coro)


def _source() -> str:
    """Where the server's code comes from (PYTHONPATH can point at another checkout)."""
    import chinwag

    return str(Path(chinwag.__file__).parent)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


async def _fanout(
    server: Server,
    members: list[Member],
    sizes: list[int],
    wide: int,
    parts: list[str],
    args: argparse.Namespace,
) -> dict[str, Any]:
    where = urlsplit(server.url)
    fleet = Fleet(where.hostname or "127.0.0.1", where.port or 80, args.deflate)

    def subs(member: Member) -> list[tuple[str, list[Any]]]:
        return [("stream-room-messages", stream_params(member.room_id))]

    out: dict[str, Any] = {}
    poster = await Poster(server.url, members[0]).open()
    try:
        if "latency" in parts:
            out["latency"] = []
            for n in sizes:
                took = await fleet.grow(
                    members[len(fleet.sockets) : n], subs, args.setup_concurrency
                )
                print(f"  {n:,} sockets open ({took:.1f} s); timing {args.posts} posts", flush=True)
                await poster.open()
                out["latency"].append(await _latency(server, fleet, poster, n, args))
        if "throughput" in parts:
            if len(fleet.sockets) > wide:
                for sock in fleet.sockets[wide:]:
                    sock.close()
                del fleet.sockets[wide:]
            await fleet.grow(members[len(fleet.sockets) : wide], subs, args.setup_concurrency)
            print(f"  {wide:,} sockets; posting for {args.seconds} s", flush=True)
            out["throughput"] = await _throughput(server, fleet, members, args)
        out["sockets_closed_by_server"] = fleet.tally.closed
    finally:
        poster.close()
        fleet.close()
        await _settle(server)
    return out


async def _latency(
    server: Server, fleet: Fleet, poster: Poster, n: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Posts one at a time; each delivery's delay from just before its POST was written."""
    tally, texts = fleet.tally, Corpus(seed=n).messages(WARMUP_POSTS + args.posts)
    delays: list[float] = []
    answered_ms: list[float] = []
    last_ms: list[float] = []  # per post: until the last socket had it
    missing = errors = 0
    cpu, client_cpu, started = server.cpu_seconds(), cpu_seconds(), time.perf_counter()
    for i, text in enumerate(texts):
        mark = f"rt{n}x{i}y"
        tally.expect(mark, n)
        sent = time.perf_counter()
        status = await poster.post(f"{mark} {text}")
        answered = time.perf_counter()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(tally.complete.wait(), DELIVERY_TIMEOUT)
        if i >= WARMUP_POSTS:
            delays += [(at - sent) * 1000 for at in tally.arrivals]
            missing += n - len(tally.arrivals)
            answered_ms.append((answered - sent) * 1000)
            last_ms.append((max(tally.arrivals, default=sent) - sent) * 1000)
            errors += status != 200
        await asyncio.sleep(args.gap_ms / 1000)
    tally.expect("", 0)
    seconds = time.perf_counter() - started
    return {
        "sockets": n,
        "posts": args.posts,
        "deliveries": len(delays),
        "missing": missing,
        "errors": errors,
        "median_ms": _percentile(delays, 50),
        "p99_ms": _percentile(delays, 99),
        "max_ms": round(max(delays, default=0.0), 2),
        "post_answered_median_ms": _percentile(answered_ms, 50),
        "post_answered_max_ms": round(max(answered_ms, default=0.0), 2),
        "all_reached_median_ms": _percentile(last_ms, 50),
        "server_cpu_percent": round(100 * (server.cpu_seconds() - cpu) / seconds, 1),
        "client_cpu_percent": round(100 * (cpu_seconds() - client_cpu) / seconds, 1),
        "load_average": _load(),
    }


async def _throughput(
    server: Server, fleet: Fleet, members: list[Member], args: argparse.Namespace
) -> dict[str, Any]:
    """Several posters as fast as answered; frames counted across every socket."""
    tally, n = fleet.tally, len(fleet.sockets)
    posters = [await Poster(server.url, m).open() for m in members[: args.posters]]
    texts = Corpus(seed=17).messages(1000)
    counts = {"ok": 0, "errors": 0}
    base = tally.frames

    async def post_until(k: int, poster: Poster, until: float) -> None:
        i = k
        while time.perf_counter() < until:
            status = await poster.post(texts[i % len(texts)])
            counts["ok" if status == 200 else "errors"] += 1
            i += len(posters)

    async def burst(seconds: float) -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(post_until(k, p, until) for k, p in enumerate(posters)))

    try:
        await burst(min(1.0, args.seconds / 5))  # warm-up, not measured
        await _drained(fleet, base + counts["ok"] * n, DELIVERY_TIMEOUT)
        frames, posts = tally.frames, counts["ok"]
        cpu, client_cpu, started = server.cpu_seconds(), cpu_seconds(), time.perf_counter()
        profiler = await _profiler(server, args.profile, args.seconds)
        await burst(args.seconds)
        seconds = time.perf_counter() - started
        delivered, posted = tally.frames - frames, counts["ok"] - posts
        cpu, client_cpu = server.cpu_seconds() - cpu, cpu_seconds() - client_cpu
        drain = await _drained(fleet, base + counts["ok"] * n, 30.0)
        if profiler is not None:
            await profiler.wait()
    finally:
        for poster in posters:
            poster.close()
    return {
        "sockets": n,
        "posters": len(posters),
        "seconds": round(seconds, 2),
        "posts": posted,
        "posts_per_s": round(posted / seconds, 1),
        "post_errors": counts["errors"],
        "deliveries": delivered,
        "deliveries_per_s": round(delivered / seconds),
        "server_cpu_percent": round(100 * cpu / seconds, 1),
        "server_cpu_us_per_delivery": round(1e6 * cpu / delivered, 1) if delivered else None,
        "client_cpu_percent": round(100 * client_cpu / seconds, 1),
        "drain_ms": round(drain * 1000, 1),
        "lost": base + counts["ok"] * n - tally.frames,
        "load_average": _load(),
    }


async def _drained(fleet: Fleet, expected: int, limit: float) -> float:
    """Wait until `expected` frames have arrived in all (or `limit` seconds); how long."""
    started = time.perf_counter()
    await fleet.tally.reach(expected, limit)
    return time.perf_counter() - started


async def _profiler(
    server: Server, path: str | None, seconds: float
) -> asyncio.subprocess.Process | None:
    """py-spy sampling the server for the measured seconds, if asked for and installed."""
    if path is None:
        return None
    spy = Path(sys.executable).parent / "py-spy"
    command = [str(spy), "record", "--pid", str(server.pid), "--format", "raw"]
    command += ["--output", path, "--duration", str(max(1, int(seconds))), "--rate", "200"]
    return await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )


async def _idle(server: Server, members: list[Member], args: argparse.Namespace) -> dict[str, Any]:
    """Sockets that log in, subscribe like a client at rest, and then say nothing."""
    where = urlsplit(server.url)
    fleet = Fleet(where.hostname or "127.0.0.1", where.port or 80, args.deflate)

    def subs(member: Member) -> list[tuple[str, list[Any]]]:
        mine = [("stream-notify-user", stream_params(f"{member.user_id}/{e}")) for e in USER_EVENTS]
        return [*mine, ("stream-room-messages", stream_params(member.room_id))]

    before = server.rss_mb()
    warm = min(IDLE_WARM, len(members) // 2)
    try:
        await fleet.grow(members[:warm], subs, args.setup_concurrency)
        await asyncio.sleep(1.0)
        at_warm = server.rss_mb()
        print(f"  {warm} sockets warm; opening {len(members) - warm:,} more", flush=True)
        took = await fleet.grow(members[warm:], subs, args.setup_concurrency)
        await asyncio.sleep(args.idle_seconds)
        after, closed = server.rss_mb(), fleet.tally.closed
    finally:
        fleet.close()
        await _settle(server)
    opened = len(members) - warm
    return {
        "connections": len(members),
        "subscriptions_each": len(USER_EVENTS) + 1,
        "rss_before_mb": round(before, 1),
        "rss_at_warm_mb": round(at_warm, 1),
        "rss_after_mb": round(after, 1),
        "kb_per_connection": round((after - at_warm) * 1024 / opened, 1) if opened else None,
        "kb_per_connection_from_start": round((after - before) * 1024 / len(members), 1),
        "setup_seconds": round(took, 1),
        "connections_per_s": round(opened / took, 1) if took else None,
        "closed_by_server": closed,
        "load_average": _load(),
    }


async def _settle(server: Server, limit: float = 120.0) -> None:
    """Let the server finish with the sockets just closed (each one a presence change)
    before it is asked to stop, which it must do within seconds."""
    deadline, before = time.perf_counter() + limit, server.cpu_seconds()
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
        now = server.cpu_seconds()
        if now - before < 0.05:  # under a tenth of a core
            return
        before = now


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 2)


def markdown(report: dict[str, Any]) -> str:
    """The report's tables: latency by socket count, sustained delivery, idle memory."""
    lines: list[str] = []
    if report.get("latency"):
        lines += [
            "| sockets | deliveries | median ms | p99 ms | max ms | all reached ms "
            "| POST answered ms | slowest POST ms | server CPU % | client CPU % | load |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in report["latency"]:
            lines.append(
                f"| {r['sockets']:,} | {r['deliveries']:,} | {r['median_ms']} | {r['p99_ms']} "
                f"| {r['max_ms']} | {r['all_reached_median_ms']} | {r['post_answered_median_ms']} "
                f"| {r['post_answered_max_ms']} | {r['server_cpu_percent']} "
                f"| {r['client_cpu_percent']} | {r['load_average']} |"
            )
        lines.append("")
    if "throughput" in report:
        t = report["throughput"]
        lines += [
            "| sockets | posters | posts/s | deliveries/s | server CPU % | µs CPU/delivery "
            "| client CPU % | drain ms | lost | load |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {t['sockets']:,} | {t['posters']} | {t['posts_per_s']} | {t['deliveries_per_s']:,} "
            f"| {t['server_cpu_percent']} | {t['server_cpu_us_per_delivery']} "
            f"| {t['client_cpu_percent']} | {t['drain_ms']} | {t['lost']} | {t['load_average']} |",
            "",
        ]
    if "idle" in report:
        i = report["idle"]
        lines += [
            "| idle connections | subs each | RSS before MB | RSS after MB | KB per connection "
            "| opened/s | load |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {i['connections']:,} | {i['subscriptions_each']} | {i['rss_before_mb']} "
            f"| {i['rss_after_mb']} | {i['kb_per_connection']} | {i['connections_per_s']} "
            f"| {i['load_average']} |",
            "",
        ]
    return "\n".join([*lines, *(f"- {n}" for n in _notes(report))])


def _notes(report: dict[str, Any]) -> list[str]:
    deflate = "permessage-deflate offered" if report["deflate"] else "no compression"
    notes = [f"{report['database']}, {deflate}, load average before/after {report['load_average']}"]
    busy = [r for r in [*report.get("latency", []), report.get("throughput")] if r]
    if any(r["client_cpu_percent"] >= SATURATED for r in busy):
        notes.append("the client used most of a core: the figures may be the client's limit")
    lost = sum(r.get("missing", 0) for r in report.get("latency", []))
    lost += report.get("throughput", {}).get("lost", 0)
    if lost or report.get("sockets_closed_by_server"):
        notes.append(
            f"undelivered frames: {lost}; sockets closed by the server: "
            f"{report.get('sockets_closed_by_server', 0)}"
        )
    if "idle" in report:
        i = report["idle"]
        notes.append(
            f"idle: KB per connection counted from {IDLE_WARM} warm sockets "
            f"({i['kb_per_connection_from_start']} KB from the fresh server); "
            f"opened in {i['setup_seconds']} s; closed by the server: {i['closed_by_server']}"
        )
    return notes
