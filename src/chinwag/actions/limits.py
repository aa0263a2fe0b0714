"""Counting attempts in windows: API and DDP rate limits, sign-up limits and login lockouts.

A window opens at a key's first hit and lasts `window_ms`, as Meteor's rate limiter counts.
Counters live in the process (`MemoryCounters`); a shared store plugs in behind `Counters`
so that limits hold across processes.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_ms: int  # until the window closes


class Counters(Protocol):
    async def hit(self, key: str, limit: int, window_ms: int) -> Verdict:
        """Count one attempt; whether it is within `limit` for the key's window."""
        ...

    async def count(self, key: str) -> int:
        """Attempts counted in the key's open window (0 when none is open)."""
        ...

    async def clear(self, key: str) -> None: ...


class MemoryCounters:
    """This process's counters: a dict of key → [window end (monotonic s), count]."""

    def __init__(
        self, max_keys: int = 200_000, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._windows: dict[str, list[float]] = {}
        self._max_keys = max_keys
        self._monotonic = monotonic

    async def hit(self, key: str, limit: int, window_ms: int) -> Verdict:
        now = self._monotonic()
        window = self._windows.get(key)
        if window is None or window[0] <= now:
            if len(self._windows) >= self._max_keys:
                self._evict(now)
            window = self._windows[key] = [now + window_ms / 1000, 0]
        window[1] += 1
        count = int(window[1])
        reset_ms = max(int((window[0] - now) * 1000), 0)
        return Verdict(count <= limit, limit, max(limit - count, 0), reset_ms)

    async def count(self, key: str) -> int:
        window = self._windows.get(key)
        if window is None or window[0] <= self._monotonic():
            return 0
        return int(window[1])

    async def clear(self, key: str) -> None:
        self._windows.pop(key, None)

    def _evict(self, now: float) -> None:
        """Drop closed windows; if every window is open, the oldest half."""
        closed = [k for k, w in self._windows.items() if w[0] <= now]
        if not closed:
            closed = list(self._windows)[: len(self._windows) // 2]
        for key in closed:
            del self._windows[key]


def too_many(seconds_to_reset: int, what: str = "this endpoint ") -> str:
    """Rocket.Chat's words for a refused call (Meteor's leave out "this endpoint")."""
    return (
        "Error, too many requests. Please slow down. "
        f"You must wait {seconds_to_reset} seconds before trying {what}again."
    )


def seconds(ms: int) -> int:
    return max((ms + 999) // 1000, 1)
