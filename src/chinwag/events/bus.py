"""The bus protocol: how committed events reach whoever listens."""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from chinwag.events.types import Event

Listener = Callable[[Event], Awaitable[None]]
# Called when events may have been missed (the link to other processes came back), with when
# the link broke: whoever keeps state from events catches up from the database.
GapHook = Callable[[datetime], Awaitable[None]]


class Bus(Protocol):
    async def publish(self, events: Sequence[Event]) -> None: ...

    def listen(self, listener: Listener) -> None:
        """Call `listener` with every event this process hears, local or remote."""
        ...

    def on_gap(self, hook: GapHook) -> None:
        """Call `hook` whenever this process may have missed events from other processes."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...
