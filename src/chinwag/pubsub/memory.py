"""The in-process bus: delivers committed events to local listeners, and can record them."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from chinwag.events.bus import GapHook, Listener
from chinwag.events.types import Event


class MemoryBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._captures: list[list[Event]] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def publish(self, events: Sequence[Event]) -> None:
        for captured in self._captures:
            captured.extend(events)
        for event in events:
            for listener in self._listeners:
                await listener(event)

    @contextmanager
    def capture(self) -> Iterator[list[Event]]:
        """Record every event published inside the block (for tests and debugging)."""
        captured: list[Event] = []
        self._captures.append(captured)
        try:
            yield captured
        finally:
            self._captures.remove(captured)

    def on_gap(self, hook: GapHook) -> None:
        """One process hears every event it publishes: there is never a gap."""

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        self._listeners.clear()
