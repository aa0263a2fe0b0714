"""The bus protocol: how committed events reach whoever listens."""

from collections.abc import Sequence
from typing import Protocol

from chinwag.events.types import Event


class Bus(Protocol):
    async def publish(self, events: Sequence[Event]) -> None: ...

    async def close(self) -> None: ...
