"""Scenario `web`: the browser client in headless Chromium. Time from opening a room's URL
(signed in, by a kept resume token) to the room being interactive, its latest 50 messages
drawn and the message box ready; and the bytes the browser downloads to get there, over
HTTP and over the WebSocket. Cold: a new browser profile, nothing cached. Warm: a reload."""

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.server import ADMIN_PASS, ADMIN_USER, Server, api, chinwag, login

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MESSAGES = 50
TEXTS = [
    "Morning! The **release** branch is cut :tada:",
    "Two things left:\n- the `room_members` migration\n- the flaky test",
    "> quoting the plan\nlooks good to me",
    "```sh\nchinwag migrate --dry-run\n```",
    "See https://example.com/notes for details, @bench-admin",
]
# Set before the page's own scripts run: the moment the room first became usable.
READY_PROBE = f"""
new MutationObserver(() => {{
  if (window.__ready) return;
  if (document.querySelectorAll('.messages .message').length >= {MESSAGES}
      && document.querySelector('.composer-input')) window.__ready = performance.now();
}}).observe(document, {{ subtree: true, childList: true }});
"""


# When the page got its HTML, ran its first module, and finished each start-up step.
MARKS = """() => [
  ['html', performance.getEntriesByType('navigation')[0].responseEnd],
  ...performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('chinwag:')).map((m) => [m.name.slice(8), m.startTime]),
]"""
STEPS = ("html", "start", "settings", "me", "synced", "history")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=10, help="page loads per case")
    parser.add_argument("--rooms", type=int, default=20, help="other rooms in the sidebar")


def seed(server: Server, rooms: int) -> tuple[dict[str, str], str]:
    admin = login(server.url, ADMIN_USER, ADMIN_PASS)
    for i in range(rooms):
        api(server.url, "POST", "/api/v1/channels.create", admin, {"name": f"room-{i:02}"})
    room = api(server.url, "POST", "/api/v1/channels.create", admin, {"name": "bench-room"})
    rid = room["channel"]["_id"]
    for i in range(MESSAGES):
        body = {"roomId": rid, "text": f"{TEXTS[i % len(TEXTS)]} ({i + 1})"}
        api(server.url, "POST", "/api/v1/chat.postMessage", admin, body)
    return admin, "/channel/bench-room"


class Meter:
    """Bytes over the wire for one page, from Chromium's own network events."""

    def __init__(self, page: Any) -> None:
        self.http_bytes = 0
        self.http_requests = 0
        self.ws_bytes = 0
        self.ws_frames = 0
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.loadingFinished", self._http)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)

    def _http(self, event: dict[str, Any]) -> None:
        self.http_bytes += int(event["encodedDataLength"])
        self.http_requests += 1

    def _frame(self, event: dict[str, Any]) -> None:
        self.ws_bytes += len(event["response"]["payloadData"].encode())
        self.ws_frames += 1

    def reset(self) -> None:
        self.http_bytes = self.http_requests = self.ws_bytes = self.ws_frames = 0


def _load(page: Any, meter: Meter, go: Any) -> dict[str, float]:
    meter.reset()
    go()
    deadline = time.monotonic() + 30
    # Polled from outside: the page's Content-Security-Policy forbids evaluating strings in it.
    while (ready_ms := page.evaluate("window.__ready")) is None:
        if time.monotonic() > deadline:
            raise RuntimeError("the room did not become interactive within 30 s")
        page.wait_for_timeout(10)
    page.wait_for_timeout(300)  # let the subscriptions' first frames arrive and be counted
    marks = dict(page.evaluate(MARKS))
    return {
        "ready_ms": ready_ms,
        **{f"at_{name}": at for name, at in marks.items()},
        "http_kb": meter.http_bytes / 1024,
        "http_requests": meter.http_requests,
        "ws_kb": meter.ws_bytes / 1024,
        "ws_frames": meter.ws_frames,
    }


def _summary(case: str, runs: list[dict[str, float]]) -> dict[str, Any]:
    ready = sorted(r["ready_ms"] for r in runs)
    p90 = ready[min(len(ready) - 1, round(0.9 * (len(ready) - 1)))]
    return {
        "case": case,
        "runs": len(runs),
        "median_ms": round(statistics.median(ready)),
        "p90_ms": round(p90),
        "http_kb": round(statistics.median(r["http_kb"] for r in runs), 1),
        "http_requests": round(statistics.median(r["http_requests"] for r in runs)),
        "ws_kb": round(statistics.median(r["ws_kb"] for r in runs), 1),
        "ws_frames": round(statistics.median(r["ws_frames"] for r in runs)),
        "steps_median_ms": {
            step: round(statistics.median(r[f"at_{step}"] for r in runs))
            for step in STEPS
            if all(f"at_{step}" in r for r in runs)
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    if not CHROMIUM.exists():
        raise SystemExit(f"the web benchmark needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with chinwag(args.database_url, args.bcrypt_rounds) as server:
        admin, path = seed(server, args.rooms)
        keep_token = (
            f"localStorage.setItem('Meteor.userId', {json.dumps(admin['X-User-Id'])});"
            f"localStorage.setItem('Meteor.loginToken', {json.dumps(admin['X-Auth-Token'])});"
        )
        cold: list[dict[str, float]] = []
        warm: list[dict[str, float]] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_init_script(keep_token)
                context.add_init_script(READY_PROBE)
                page = context.new_page()
                meter = Meter(page)
                cold.append(_load(page, meter, lambda p=page: p.goto(server.url + path)))
                warm.append(_load(page, meter, lambda p=page: p.reload()))
                context.close()
            browser.close()
        rows = [_summary("cold: new profile, signed in", cold), _summary("warm: reload", warm)]
        return {"rows": rows, "server_peak_rss_mb": round(server.peak_rss_mb(), 1)}


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| case | runs | median ms | p90 ms | HTTP KB | HTTP requests | WebSocket KB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["rows"]:
        lines.append(
            f"| {r['case']} | {r['runs']} | {r['median_ms']} | {r['p90_ms']} | {r['http_kb']} "
            f"| {r['http_requests']} | {r['ws_kb']} ({r['ws_frames']} frames) |"
        )
    notes = [
        f"{report['database']}, a room of {MESSAGES} messages among "
        f"{report['options']['rooms'] + 2} rooms; load average before/after "
        f"{report['load_average']}",
        "time: from navigation start to the room's 50 messages drawn and its box ready",
        *(
            f"{r['case']}, median ms after navigation start: "
            + ", ".join(f"{k} {v}" for k, v in r["steps_median_ms"].items())
            for r in report["rows"]
        ),
    ]
    return "\n".join([*lines, "", *(f"- {n}" for n in notes)])
