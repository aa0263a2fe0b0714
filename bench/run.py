"""Scenario `run`: the performance report in one command. Starts the servers each scenario
needs (Chinwag on SQLite and on PostgreSQL, Matrix Synapse as the peer), drives them in
turns, and writes report.json, summary.md and PNG plots to bench/results/run-<time>/.

Scenarios: rest (me, subscriptions.get, chat.postMessage), delivery (post to receive, 1 /
100 / 1,000 subscribers), idle (memory per logged-in connection, time to connect), mixed
(the load model of bench/load_model.py at rising user counts, until p99 delivery passes
--stop-p99-ms: users per box), history (channels.history and chat.search on a room of
--messages messages seeded in bulk). The peer takes part in rest, delivery and mixed."""

import argparse
import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import history, load_model, peer, plots, realtime, seed, summary, synapse
from bench.http_load import Request, load
from bench.load_model import Profile
from bench.realtime_setup import raise_fd_limit
from bench.rest import row
from bench.server import Server, chinwag, login

SCENARIOS = ("rest", "delivery", "idle", "mixed", "history")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenarios", nargs="?", default="all", help=f"all, or some of {','.join(SCENARIOS)}"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip Matrix Synapse")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--rounds", type=int, default=1, help="Chinwag/Synapse turns per scenario")
    rest = parser.add_argument_group("rest")
    rest.add_argument("--seconds", type=float, default=10.0, help="per REST case")
    rest.add_argument("--concurrency", type=int, default=16, help="REST connections")
    delivery = parser.add_argument_group("delivery")
    delivery.add_argument("--sockets", default="1,100,1000", help="subscribers per case")
    delivery.add_argument("--posts", type=int, default=50, help="timed posts per case")
    delivery.add_argument("--gap-ms", type=float, default=50.0, help="pause between posts")
    delivery.add_argument(
        "--peer-sockets", help="the peer's subscribers per case (default: --sockets)"
    )
    idle = parser.add_argument_group("idle")
    idle.add_argument("--idle", type=int, default=10_000, help="idle connections")
    idle.add_argument("--idle-seconds", type=float, default=10.0, help="idle before reading RSS")
    mixed = parser.add_argument_group("mixed (the load model)")
    mixed.add_argument("--users", default="100,1000,2500,5000,10000", help="steps, rising")
    mixed.add_argument("--peer-users", type=int, default=1000, help="the peer's last step")
    mixed.add_argument("--step-seconds", type=float, default=20.0, help="measured time per step")
    mixed.add_argument("--clients", type=int, default=2, help="load-generating processes")
    mixed.add_argument("--stop-p99-ms", type=float, default=200.0, help="the users-per-box line")
    mixed.add_argument("--room-sizes", default="1000,100,10", help="every user is in one of each")
    for action, default in vars(Profile()).items():
        if action != "room_sizes":
            mixed.add_argument(
                f"--{action}-rate", type=float, default=default, help=f"{action}s per user a minute"
            )
    mixed.add_argument("--setup-concurrency", type=int, default=100, help="sockets opened at once")
    hist = parser.add_argument_group("history")
    hist.add_argument("--messages", type=int, default=1_000_000, help="messages in the room")
    hist.add_argument("--requests", type=int, default=300, help="requests per case")
    parser.add_argument("--out", help="directory for the results (default bench/results/run-*)")


def run(args: argparse.Namespace, report: dict[str, Any]) -> Path:
    """Every chosen scenario into `report`, written out after each (a long run stopped
    part-way keeps what it measured); the directory written."""
    chosen = SCENARIOS if args.scenarios == "all" else tuple(args.scenarios.split(","))
    if not set(chosen) <= set(SCENARIOS):
        raise SystemExit(f"scenarios: all, or some of {','.join(SCENARIOS)}")
    stores = ([] if args.no_sqlite else [None]) + ([args.database_url] if args.database_url else [])
    if not stores:
        raise SystemExit("--no-sqlite needs --database-url")
    raise_fd_limit(max(args.idle, *_ints(args.users)) + 1000)
    report |= {"scenarios": list(chosen), "peer": None, "results": {}}
    peer_ok = not args.no_peer and _peer_available(report)
    root = _root(args.out)
    for name in chosen:
        print(f"== {name}", flush=True)
        with_peer = peer_ok and name in ("rest", "delivery", "mixed")
        report["results"][name] = SCENARIO_RUNNERS[name](args, stores, with_peer)
        report["load_average"].append(round(os.getloadavg()[0], 2))
        write(report, root)
    return root


def _peer_available(report: dict[str, Any]) -> bool:
    try:
        synapse.python()
    except synapse.SynapseUnavailable as error:
        report["peer"] = {"skipped": str(error)}
        print(f"peer skipped: {error}", flush=True)
        return False
    report["peer"] = {"name": synapse.NOTE}
    return True


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def _label(store: str | None) -> str:
    return "postgresql" if store else "sqlite"


def _rest(args: argparse.Namespace, stores: list[str | None], with_peer: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"chinwag": {}, "synapse": []}
    for r in range(args.rounds):
        for store in stores:
            out["chinwag"].setdefault(_label(store), []).append(_chinwag_rest(args, store))
        if with_peer:
            with synapse.synapse(args.bcrypt_rounds) as hs:
                out["synapse"].append(
                    {"rows": peer.rest(hs, args.seconds, args.concurrency, 8), "round": r}
                )
    return out


def _chinwag_rest(args: argparse.Namespace, store: str | None) -> dict[str, Any]:
    seeded: dict[str, Any] = {}

    def prepare(url: str) -> None:
        if seed.is_postgres(url):
            seed.run(seed.recreate_postgres(url))
        seeded.update(seed.run(seed.members(url, [10], args.bcrypt_rounds)))

    with chinwag(store, args.bcrypt_rounds, prepare) as server:
        auth = [login(server.url, f"bench-user-{i:05d}", seed.PASSWORD) for i in range(8)]
        body = json.dumps({"roomId": seeded["rooms"][10], "text": "hello from the benchmark"})
        cases = [
            ("me", [Request("GET", "/api/v1/me", a) for a in auth]),
            ("subscriptions.get", [Request("GET", "/api/v1/subscriptions.get", a) for a in auth]),
            (
                "chat.postMessage",
                [Request("POST", "/api/v1/chat.postMessage", a, body.encode()) for a in auth],
            ),
        ]
        rows = []
        for name, requests in cases:
            cpu0 = server.cpu_seconds()
            result = asyncio.run(load(server.url, requests, args.seconds, args.concurrency))
            rows.append(row(name, result, server, server.cpu_seconds() - cpu0))
        return {"rows": rows, "server_peak_rss_mb": round(server.peak_rss_mb(), 1)}


def _scenario_args(module: Any, argv: list[str], args: argparse.Namespace) -> argparse.Namespace:
    """The namespace an existing scenario expects, from its own parser."""
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    parser.add_argument("--database-url")
    parser.add_argument("--bcrypt-rounds", type=int)
    return parser.parse_args([*argv, "--bcrypt-rounds", str(args.bcrypt_rounds)])


def _delivery(
    args: argparse.Namespace, stores: list[str | None], with_peer: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"chinwag": {}, "synapse": []}
    sizes = _ints(args.sockets)
    for _ in range(args.rounds):
        for store in stores:
            argv = ["--parts", "latency", "--sockets", args.sockets, "--posts", str(args.posts)]
            argv += ["--gap-ms", str(args.gap_ms)] + (["--database-url", store] if store else [])
            result = realtime.run(_scenario_args(realtime, argv, args))
            out["chinwag"].setdefault(_label(store), []).append(result)
        if with_peer:
            with synapse.synapse(args.bcrypt_rounds) as hs:
                theirs = _ints(args.peer_sockets) if args.peer_sockets else sizes
                rows = asyncio.run(peer.delivery(hs, theirs, args.posts, args.gap_ms))
                out["synapse"].append(
                    {"latency": rows, "server_peak_rss_mb": round(hs.peak_rss_mb(), 1)}
                )
    return out


def _idle(args: argparse.Namespace, stores: list[str | None], _peer: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"chinwag": {}}
    for store in stores:
        argv = [
            "--parts",
            "idle",
            "--idle",
            str(args.idle),
            "--idle-seconds",
            str(args.idle_seconds),
        ]
        argv += ["--database-url", store] if store else []
        result = realtime.run(_scenario_args(realtime, argv, args))
        out["chinwag"][_label(store)] = result["idle"]
    return out


def _history(args: argparse.Namespace, stores: list[str | None], _peer: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"chinwag": {}}
    for store in stores:
        argv = ["--messages", str(args.messages), "--requests", str(args.requests)]
        argv += ["--database-url", store] if store else []
        out["chinwag"][_label(store)] = history.run(_scenario_args(history, argv, args))
    return out


def _profile(args: argparse.Namespace) -> Profile:
    rates = {a: getattr(args, f"{a}_rate") for a in load_model.ACTIONS}
    return Profile(**rates, room_sizes=tuple(_ints(args.room_sizes)))


def _mixed(args: argparse.Namespace, stores: list[str | None], with_peer: bool) -> dict[str, Any]:
    """Steps of rising user counts, Chinwag's and the peer's in turns, each side stopping
    after its first step over the p99 line."""
    steps, profile = sorted(_ints(args.users)), _profile(args)
    out: dict[str, Any] = {"profile": vars(profile), "stop_p99_ms": args.stop_p99_ms}
    out["chinwag"], out["synapse"] = {}, []
    for store in stores:
        out["chinwag"][_label(store)] = []
    peer_steps = [n for n in steps if n <= args.peer_users] if with_peer else []
    if args.peer_users not in peer_steps and with_peer and args.peer_users < max(steps):
        peer_steps.append(args.peer_users)
    for store in stores:
        users: list[load_model.ModelUser] = []

        prepare = _model_seeder(users, max(steps), profile, args.bcrypt_rounds)
        with chinwag(store, args.bcrypt_rounds, prepare) as server:
            for n in steps:
                step = _chinwag_step(server, users, n, profile, args)
                out["chinwag"][_label(store)].append(step)
                if step["delivery_p99_ms"] > args.stop_p99_ms or step["failed_connects"]:
                    break
            load_model.quiet(server)
        if with_peer and store is stores[0] and peer_steps:
            out["synapse"] = _synapse_steps(args, peer_steps, profile)
    return out


def _model_seeder(
    into: list[Any], users: int, profile: Profile, rounds: int
) -> Callable[[str], None]:
    def prepare(url: str) -> None:
        if seed.is_postgres(url):
            seed.run(seed.recreate_postgres(url))
        print(f"seeding {users:,} users for the load model", flush=True)
        into.extend(seed.run(load_model.seed_model(url, users, profile.room_sizes, rounds)))

    return prepare


def _chinwag_step(
    server: Server, users: list[Any], n: int, profile: Profile, args: argparse.Namespace
) -> dict[str, Any]:
    where = urlsplit(server.url)
    print(f"  chinwag: {n:,} users for {args.step_seconds} s", flush=True)
    step = load_model.run_step(
        where.hostname or "127.0.0.1",
        where.port or 80,
        users,
        n,
        profile,
        args.step_seconds,
        min(args.clients, n),
        args.setup_concurrency,
        server,
    )
    load_model.quiet(server)
    print(
        f"    p99 delivery {step['delivery_p99_ms']} ms, {step['posts_per_s']} posts/s", flush=True
    )
    return step


def _synapse_steps(args: argparse.Namespace, steps: list[int], profile: Profile) -> list[Any]:
    out = []
    with synapse.synapse(args.bcrypt_rounds) as hs:
        model = peer.MatrixModel(hs, max(steps), profile)
        asyncio.run(model.setup())
        for n in steps:
            print(f"  synapse: {n:,} users for {args.step_seconds} s", flush=True)
            step = asyncio.run(model.step(n, args.step_seconds))
            print(f"    p99 delivery {step['delivery_p99_ms']} ms", flush=True)
            out.append(step)
            if step["delivery_p99_ms"] > args.stop_p99_ms:
                break
    return out


SCENARIO_RUNNERS: dict[str, Callable[[argparse.Namespace, list[str | None], bool], Any]] = {
    "rest": _rest,
    "delivery": _delivery,
    "idle": _idle,
    "mixed": _mixed,
    "history": _history,
}


def _root(out: str | None) -> Path:
    if out:
        return Path(out)
    return Path(__file__).parent / "results" / time.strftime("run-%Y%m%d-%H%M%S")


def write(report: dict[str, Any], root: Path) -> None:
    """report.json, summary.md and the plots, in one directory."""
    root.mkdir(parents=True, exist_ok=True)
    report["plots"] = plots.draw(report, root)
    (root / "report.json").write_text(json.dumps(report, indent=2, default=str))
    (root / "summary.md").write_text(summary.markdown(report))
