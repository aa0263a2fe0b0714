"""The bus protocol: how committed events reach whoever listens."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from chinwag.events.types import Event

Listener = Callable[[Event], Awaitable[None]]


class Bus(Protocol):
    async def publish(self, events: Sequence[Event]) -> None: ...

    def listen(self, listener: Listener) -> None:
        """Call `listener` with every event this process hears, local or remote."""
        ...

    async def close(self) -> None: ...
