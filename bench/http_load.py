"""A small keep-alive HTTP/1.1 load generator on asyncio streams (no client library overhead)."""

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body or self.method in ("POST", "PUT"):
            lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    def merge(self, other: "Result") -> "Result":
        """Two runs of the same case as one (their durations add up)."""
        return Result(
            self.requests + other.requests,
            self.errors + other.errors,
            self.seconds + other.seconds,
            self.latencies_ms + other.latencies_ms,
        )


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


@dataclass
class _Budget:
    """When to stop: a deadline, and optionally a total number of requests over all workers."""

    until: float
    left: int | None

    def take(self) -> bool:
        if time.perf_counter() >= self.until:
            return False
        if self.left is None:
            return True
        self.left -= 1
        return self.left >= 0


Requests = Request | Callable[[], Request]


async def _worker(url: str, request: Requests, budget: _Budget, result: Result) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    payload = request.encode(parts.netloc) if isinstance(request, Request) else b""
    try:
        while budget.take():
            if not isinstance(request, Request):
                payload = request().encode(parts.netloc)  # a new request each time
            start = time.perf_counter()
            writer.write(payload)
            status = await _read_response(reader)
            result.latencies_ms.append((time.perf_counter() - start) * 1000)
            result.requests += 1
            if status >= 400:
                result.errors += 1
    finally:
        writer.close()


async def load(
    url: str,
    request: Requests | Sequence[Requests],
    seconds: float,
    concurrency: int,
    max_requests: int | None = None,
) -> Result:
    """Send requests over `concurrency` connections for `seconds` (or until `max_requests`
    have been sent), as fast as answered. With several requests, connection i sends the
    i-th (round robin), so each connection can act as a different user. A callable makes a
    fresh request for every call (a sign-up needs a new username each time)."""
    requests = [request] if isinstance(request, Request) or callable(request) else list(request)
    result = Result(requests=0, errors=0, seconds=0.0, latencies_ms=[])
    start = time.perf_counter()
    budget = _Budget(until=start + seconds, left=max_requests)
    await asyncio.gather(
        *(_worker(url, requests[i % len(requests)], budget, result) for i in range(concurrency))
    )
    result.seconds = time.perf_counter() - start
    return result
