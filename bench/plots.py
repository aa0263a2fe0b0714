"""PNG plots of a `python -m bench run` report (matplotlib, no display needed)."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.summary import merged_latency, merged_rows

COLOURS = {"sqlite": "#1f77b4", "postgresql": "#2ca02c", "synapse": "#d62728"}


def draw(report: dict[str, Any], root: Path) -> list[str]:
    """Every plot the report has data for; the file names written."""
    results, written = report["results"], []
    for name, plot in (
        ("rest", _rest),
        ("delivery", _delivery),
        ("mixed", _mixed),
        ("history", _history),
    ):
        if name in results:
            path = root / f"{name}.png"
            fig = plot(results[name])
            fig.tight_layout()
            fig.savefig(path, dpi=100)
            plt.close(fig)
            written.append(path.name)
    return written


def _rest(result: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(8, 4))
    series = {s: merged_rows(r) for s, r in result["chinwag"].items()}
    if result["synapse"]:
        series["synapse"] = merged_rows(result["synapse"])
    labels = ["me / whoami", "subscriptions.get / joined_rooms", "chat.postMessage / send"]
    width = 0.8 / max(1, len(series))
    for k, (name, rows) in enumerate(series.items()):
        values = [r["requests_per_s"] for r in rows.values()]
        xs = [i + k * width for i in range(len(values))]
        ax.bar(
            xs,
            values,
            width,
            label=name if name == "synapse" else f"chinwag {name}",
            color=COLOURS.get(name),
        )
    ax.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(labels))], labels)
    ax.set_yscale("log")
    ax.set_ylabel("requests/s (log)")
    ax.set_title("REST throughput, one server process")
    ax.legend()
    return fig


def _delivery(result: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(8, 4))
    series = {f"chinwag {s}": merged_latency(r) for s, r in result["chinwag"].items()}
    if result["synapse"]:
        series["synapse"] = merged_latency(result["synapse"])
    for name, table in series.items():
        colour = COLOURS.get(name.split()[-1])
        ns = list(table)
        ax.plot(ns, [table[n]["median_ms"] for n in ns], "o-", color=colour, label=f"{name} median")
        ax.plot(ns, [table[n]["p99_ms"] for n in ns], "s--", color=colour, label=f"{name} p99")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("subscribers")
    ax.set_ylabel("post to receive, ms (log)")
    ax.set_title("Delivery latency to one room's subscribers")
    ax.legend(fontsize=8)
    return fig


def _mixed(result: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(8, 4))
    sides = {f"chinwag {s}": steps for s, steps in result["chinwag"].items()}
    if result["synapse"]:
        sides["synapse"] = result["synapse"]
    for name, steps in sides.items():
        colour = COLOURS.get(name.split()[-1])
        users = [s["users"] for s in steps]
        ax.plot(
            users,
            [max(s["delivery_p99_ms"], 0.1) for s in steps],
            "o-",
            color=colour,
            label=f"{name} p99",
        )
        ax.plot(
            users,
            [max(s["delivery_median_ms"], 0.1) for s in steps],
            "x:",
            color=colour,
            label=f"{name} median",
        )
    ax.axhline(result["stop_p99_ms"], color="grey", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("concurrent users (load model)")
    ax.set_ylabel("delivery, ms (log)")
    ax.set_title(f"Mixed load: delivery vs users (line: {result['stop_p99_ms']:g} ms)")
    ax.legend(fontsize=8)
    return fig


def _history(result: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(8, 4))
    stores = list(result["chinwag"])
    width = 0.8 / max(1, len(stores))
    cases: list[str] = []
    for k, store in enumerate(stores):
        rows = result["chinwag"][store]["rows"]
        cases = [r["case"] for r in rows]
        xs = [i + k * width for i in range(len(rows))]
        ax.bar(xs, [r["median_ms"] for r in rows], width, label=store, color=COLOURS.get(store))
    ax.set_xticks(
        [i + width * (len(stores) - 1) / 2 for i in range(len(cases))],
        [c.replace(", ", "\n", 1) for c in cases],
        fontsize=7,
    )
    messages = next(iter(result["chinwag"].values()))["messages"]
    ax.set_ylabel("median ms")
    ax.set_title(f"History and search, one room of {messages:,} messages")
    ax.legend()
    return fig
