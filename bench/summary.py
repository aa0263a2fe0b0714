"""The Markdown summary of a `python -m bench run` report: one table per scenario, the
Chinwag / Synapse ratios, and the goals with how far each is met."""

import math
from statistics import median
from typing import Any

GOAL_THROUGHPUT_RATIO = 10.0
GOAL_P99_MS = 50.0
GOAL_USERS = 10_000


def merged_rows(rounds: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """REST rows of several rounds, by case: the median of each figure."""
    by_case: dict[str, list[dict[str, Any]]] = {}
    for r in rounds:
        for line in r["rows"]:
            by_case.setdefault(line["case"], []).append(line)
    keys = ("requests_per_s", "median_ms", "p99_ms", "server_cpu_percent", "errors")
    return {
        case: {k: round(median(float(x[k]) for x in lines), 2) for k in keys}
        for case, lines in by_case.items()
    }


def merged_latency(rounds: list[dict[str, Any]]) -> dict[int, dict[str, float]]:
    by_n: dict[int, list[dict[str, Any]]] = {}
    for r in rounds:
        for line in r["latency"]:
            by_n.setdefault(line["sockets"], []).append(line)
    keys = ("median_ms", "p99_ms", "server_cpu_percent", "missing")
    return {
        n: {k: round(median(float(x[k]) for x in lines), 2) for k in keys}
        for n, lines in sorted(by_n.items())
    }


def users_per_box(steps: list[dict[str, Any]], line_ms: float) -> tuple[int, bool]:
    """The most users held with p99 delivery under the line, and whether a step crossed it
    (if none did, the figure is a floor: the steps ran out first)."""
    best, crossed = 0, False
    for step in steps:
        if step["delivery_p99_ms"] <= line_ms and not step["failed_connects"]:
            best = max(best, step["users"])
        else:
            crossed = True
    return best, crossed


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Chinwag benchmark run, {report['date']}",
        "",
        f"- commit {report['commit']}, {report['machine']['cpus']} cores, "
        f"Python {report['machine']['python']}, load average at start and after each scenario "
        f"{report['load_average']}",
        f"- peer: {_peer(report.get('peer'))}",
        "- ratios are Chinwag / Synapse: above 1 is Chinwag ahead for rates, below 1 for latencies",
        "",
    ]
    results = report["results"]
    for name, render in (
        ("rest", _rest),
        ("delivery", _delivery),
        ("idle", _idle),
        ("mixed", _mixed),
        ("history", _history),
    ):
        if name in results:
            lines += [*render(results[name]), ""]
    lines += _goals(results)
    return "\n".join(lines) + "\n"


def _peer(peer: dict[str, str] | None) -> str:
    if not peer:
        return "none"
    return peer.get("name") or f"skipped: {peer.get('skipped')}"


def _rest(result: dict[str, Any]) -> list[str]:
    out = ["## REST", ""]
    out += ["| server | case | req/s | median ms | p99 ms | server CPU % | CPU µs/req | errors |"]
    out += ["|---|---|---:|---:|---:|---:|---:|---:|"]
    chin = {store: merged_rows(rounds) for store, rounds in result["chinwag"].items()}
    peer = merged_rows(result["synapse"]) if result["synapse"] else {}
    sides = [*((f"Chinwag, {s}", rows) for s, rows in chin.items()), ("Synapse", peer)]
    for label, rows in sides:
        for case, r in rows.items():
            out.append(
                f"| {label} | {case} | {r['requests_per_s']:,} | {r['median_ms']} "
                f"| {r['p99_ms']} | {r['server_cpu_percent']} | {cpu_per_request(r):,} "
                f"| {int(r['errors'])} |"
            )
    if peer:
        heads = [f"Chinwag {s} / Synapse: req/s, CPU per request" for s in chin]
        out += ["", "| case | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(chin)]
        by_store = {store: _paired(rows, peer) for store, rows in chin.items()}
        for i, case in enumerate(peer):
            cells = []
            for pairs in by_store.values():
                _, o, p = pairs[i]
                ratios = _ratio(o["requests_per_s"], p["requests_per_s"])
                cells.append(f"{ratios}, {_ratio(cpu_per_request(o), cpu_per_request(p))}")
            out.append(f"| {case} | " + " | ".join(cells) + " |")
    return out


Row = dict[str, float]


def _paired(ours: dict[str, Row], peer: dict[str, Row]) -> list[tuple[str, Row, Row]]:
    """Chinwag's REST cases beside the peer's nearest calls, which the peer names after
    ours and runs in the same order: (the peer's case, ours, theirs)."""
    return [(case, o, p) for (case, p), o in zip(peer.items(), ours.values(), strict=True)]


def cpu_per_request(row: dict[str, float]) -> int:
    """Server CPU microseconds per request: steadier than req/s when others share the cores."""
    rate = row["requests_per_s"]
    return round(1e6 * row["server_cpu_percent"] / 100 / rate) if rate else 0


def _delivery(result: dict[str, Any]) -> list[str]:
    out = ["## Delivery: post to receive", ""]
    out += ["| server | subscribers | median ms | p99 ms | server CPU % | undelivered |"]
    out += ["|---|---:|---:|---:|---:|---:|"]
    chin = {s: merged_latency(rounds) for s, rounds in result["chinwag"].items()}
    peer = merged_latency(result["synapse"]) if result["synapse"] else {}
    for label, table in [*((f"Chinwag, {s}", t) for s, t in chin.items()), ("Synapse", peer)]:
        for n, r in table.items():
            out.append(
                f"| {label} | {n:,} | {r['median_ms']} | {r['p99_ms']} "
                f"| {r['server_cpu_percent']} | {int(r['missing'])} |"
            )
    if peer:
        out += ["", "| subscribers | " + " | ".join(f"{s}: median, p99 ratio" for s in chin) + " |"]
        out += ["|---:|" + "---:|" * len(chin)]
        for n, p in peer.items():
            cells = [
                _ratio(t[n]["median_ms"], p["median_ms"])
                + ", "
                + _ratio(t[n]["p99_ms"], p["p99_ms"])
                for t in chin.values()
                if n in t
            ]
            out.append(f"| {n:,} | " + " | ".join(cells) + " |")
    return out


def _idle(result: dict[str, Any]) -> list[str]:
    out = ["## Idle logged-in connections", ""]
    out += ["| store | connections | KB per connection | RSS after MB | connections/s | closed |"]
    out += ["|---|---:|---:|---:|---:|---:|"]
    for store, i in result["chinwag"].items():
        out.append(
            f"| {store} | {i['connections']:,} | {i['kb_per_connection']} | {i['rss_after_mb']} "
            f"| {i['connections_per_s']} | {i['closed_by_server']} |"
        )
    return out


def _mixed(result: dict[str, Any]) -> list[str]:
    line = result["stop_p99_ms"]
    out = ["## Mixed load (the load model): users per box", ""]
    p = result["profile"]
    out.append(
        f"Per user a minute: {p['post']} posts, {p['open']} room opens, {p['read']} reads, "
        f"{p['typing']} typing notices, {p['status']} status changes; every user in one room "
        f"of each size {', '.join(f'{s:,}' for s in p['room_sizes'])}."
    )
    out += ["", "| server | users | posts/s | deliveries/s | median ms | p99 ms | undelivered "]
    out[-1] += "| server CPU % | RSS MB | client CPU % | connect s |"
    out += ["|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    sides = [(f"Chinwag, {s}", steps) for s, steps in result["chinwag"].items()]
    sides += [("Synapse", result["synapse"])] if result["synapse"] else []
    for label, steps in sides:
        for s in steps:
            out.append(
                f"| {label} | {s['users']:,} | {s['posts_per_s']} | {s['deliveries_per_s']:,} "
                f"| {s['delivery_median_ms']} | {s['delivery_p99_ms']} | {s['missing']} "
                f"| {s['server_cpu_percent']} | {s['server_rss_mb']} | {s['client_cpu_percent']} "
                f"| {s['connect_seconds']} |"
            )
    out.append("")
    for label, steps in sides:
        best, crossed = users_per_box(steps, line)
        more = "" if crossed else " or more (the steps ran out before the line)"
        out.append(f"- {label}: {best:,} users{more} with p99 delivery under {line:g} ms")
    return out


def _history(result: dict[str, Any]) -> list[str]:
    out = ["## History and search", ""]
    out += [
        "| store | messages | case | req/s | median ms | p99 ms |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for store, r in result["chinwag"].items():
        for line in r["rows"]:
            out.append(
                f"| {store} | {r['messages']:,} | {line['case']} | {line['requests_per_s']} "
                f"| {line['median_ms']} | {line['p99_ms']} |"
            )
    return out


def _goals(results: dict[str, Any]) -> list[str]:
    """Each goal, met or not, and by how much, from what this run measured."""
    out = ["## Goals", ""]
    rest = results.get("rest")
    if rest and rest["synapse"]:
        peer = merged_rows(rest["synapse"])
        theirs = next(v for k, v in peer.items() if "send" in k)["requests_per_s"]
        for store, rounds in rest["chinwag"].items():
            ours = merged_rows(rounds)["chat.postMessage"]["requests_per_s"]
            ratio = ours / theirs if theirs else 0
            verdict = "met" if ratio >= GOAL_THROUGHPUT_RATIO else "NOT met"
            out.append(
                f"- {GOAL_THROUGHPUT_RATIO:g}x Synapse's message throughput ({store}): "
                f"{ratio:.1f}x, {verdict}"
            )
    delivery = results.get("delivery")
    if delivery:
        for store, rounds in delivery["chinwag"].items():
            table = merged_latency(rounds)
            n = max(table)
            p99 = table[n]["p99_ms"]
            verdict = "met" if p99 < GOAL_P99_MS else f"NOT met ({p99 / GOAL_P99_MS:.1f}x over)"
            out.append(
                f"- p99 delivery under {GOAL_P99_MS:g} ms to {n:,} subscribers ({store}): "
                f"{p99} ms, {verdict}"
            )
    mixed = results.get("mixed")
    if mixed:
        for store, steps in mixed["chinwag"].items():
            best, _ = users_per_box(steps, mixed["stop_p99_ms"])
            verdict = "met" if best >= GOAL_USERS else f"NOT met ({best / GOAL_USERS:.0%} of it)"
            out.append(
                f"- {GOAL_USERS:,} concurrent users on this box ({store}): {best:,}, {verdict}"
            )
    for store, pairs in _shared_pairs(results).items():
        behind = [f"{name} at {ratio:.2f}x" for name, ratio in pairs if ratio <= 1]
        verdict = "met" if not behind else "NOT met, not ahead on " + "; ".join(behind)
        out.append(
            f"- Chinwag ahead of Synapse on every shared measurement ({store}, "
            f"{len(pairs)} of them): {verdict}"
        )
    return out


def _shared_pairs(results: dict[str, Any]) -> dict[str, list[tuple[str, float]]]:
    """Each measurement both servers made, by Chinwag's store, as Chinwag's advantage: a
    rate ratio, the inverse of a latency ratio, the ratio of users per box (the peer holding
    none of its steps counts as ahead)."""
    pairs: dict[str, list[tuple[str, float]]] = {}
    rest = results.get("rest")
    if rest and rest["synapse"]:
        peer = merged_rows(rest["synapse"])
        for store, rounds in rest["chinwag"].items():
            for case, o, p in _paired(merged_rows(rounds), peer):
                ratio = o["requests_per_s"] / p["requests_per_s"]
                pairs.setdefault(store, []).append((case, ratio))
    delivery = results.get("delivery")
    if delivery and delivery["synapse"]:
        peer_latency = merged_latency(delivery["synapse"])
        for store, rounds in delivery["chinwag"].items():
            table = merged_latency(rounds)
            for n, theirs in peer_latency.items():
                if n in table and table[n]["p99_ms"]:
                    name = f"p99 delivery to {n:,}"
                    pairs.setdefault(store, []).append(
                        (name, theirs["p99_ms"] / table[n]["p99_ms"])
                    )
    mixed = results.get("mixed")
    if mixed and mixed["synapse"]:
        theirs_users, _ = users_per_box(mixed["synapse"], mixed["stop_p99_ms"])
        for store, steps in mixed["chinwag"].items():
            ours_users, _ = users_per_box(steps, mixed["stop_p99_ms"])
            # The peer holding none of its steps: any users at all are ahead of it.
            ratio = ours_users / theirs_users if theirs_users else math.inf if ours_users else 1.0
            pairs.setdefault(store, []).append(("users per box", ratio))
    return pairs
